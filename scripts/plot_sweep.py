"""Plot of one `catsim sweep` table (its CSV, or its --json array): a metric against the varied keys.

One varied key: the metric (y) against it (x), a line per value of nothing else. Two varied keys: a line per
value of the second over the first (--heatmap: a heat map of the metric over both). More varied keys: name
the two to plot with --x and --by; the other keys must then hold one value each. Points that did not run
(status other than ok) are left out and counted in the title.
"""
import argparse
import csv
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

METRICS = ("latency_s", "energy_j", "power_w", "tops_per_w", "peak_tops", "area_mm2", "carbon_total_g",
           "carbon_operational_g", "carbon_embodied_g", "array_utilization")
FIXED = ("status",) + METRICS + ("bound", "reason")


def fail(msg):
    print(f"plot_sweep: {msg}", file=sys.stderr)
    sys.exit(2)


def read(path):
    try:
        with open(path, newline="") as f:
            text = f.read()
    except OSError as e:
        fail(f"{path}: cannot read ({e})")
    if text.lstrip().startswith("["):
        try:
            return [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in json.loads(text)]
        except ValueError as e:
            fail(f"{path}: not a catsim sweep --json array ({e})")
    return list(csv.DictReader(text.splitlines()))


def number(v):
    try:
        return float(v)
    except ValueError:
        return None


def main():
    ap = argparse.ArgumentParser(prog="scripts/plot_sweep", description=__doc__.splitlines()[0])
    ap.add_argument("table", help="catsim sweep output: CSV or --json")
    ap.add_argument("out", help="PNG to write")
    ap.add_argument("--metric", default="latency_s", choices=METRICS)
    ap.add_argument("--x", help="varied key on the x axis (default: the first)")
    ap.add_argument("--by", help="varied key drawn as one line each (default: the second, if any)")
    ap.add_argument("--heatmap", action="store_true", help="two varied keys as a heat map")
    a = ap.parse_args()
    rows = read(a.table)
    if not rows:
        fail(f"{a.table}: no rows")
    keys = [k for k in rows[0] if k not in FIXED]
    if not keys or a.metric not in rows[0]:
        fail(f"{a.table}: not a catsim sweep table (no varied key or no {a.metric} column)")
    x = a.x or keys[0]
    by = a.by or next((k for k in keys if k != x), None)
    for k in (x, by):
        if k is not None and k not in keys:
            fail(f"--x/--by: {k} is not a varied key (expected one of {', '.join(keys)})")
    for k in keys:
        if k not in (x, by) and len({r[k] for r in rows}) > 1:
            fail(f"{k} varies too: plot two keys at a time (--x, --by) of a sweep that fixes the others")
    ok = [r for r in rows if r["status"] == "ok" and number(r[a.metric]) is not None]
    if not ok:
        fail(f"{a.table}: no point ran (status ok)")

    def order(values):
        return sorted(set(values), key=lambda v: (number(v) is None, number(v) if number(v) is not None else 0, v))

    xs = order(r[x] for r in ok)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if a.heatmap:
        if by is None:
            fail("--heatmap needs two varied keys")
        ys = order(r[by] for r in ok)
        grid = [[float("nan")] * len(xs) for _ in ys]
        for r in ok:
            grid[ys.index(r[by])][xs.index(r[x])] = float(r[a.metric])
        im = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(xs)), xs)
        ax.set_yticks(range(len(ys)), ys)
        ax.set_ylabel(by)
        fig.colorbar(im, ax=ax, label=a.metric)
    else:
        groups = order(r[by] for r in ok) if by else [None]
        numeric = all(number(v) is not None for v in xs)
        for g in groups:
            pts = sorted((r for r in ok if by is None or r[by] == g), key=lambda r: xs.index(r[x]))
            xv = [float(r[x]) if numeric else xs.index(r[x]) for r in pts]
            ax.plot(xv, [float(r[a.metric]) for r in pts], "o-", ms=4, label=f"{by} = {g}" if by else None)
        if numeric and len(xs) > 2 and float(xs[-1]) / max(float(xs[0]), 1e-300) >= 8:
            ax.set_xscale("log", base=2)
        if not numeric:
            ax.set_xticks(range(len(xs)), xs)
        ax.set_ylabel(a.metric)
        if by:
            ax.legend()
    ax.set_xlabel(x)
    skipped = len(rows) - len(ok)
    ax.set_title(f"catsim sweep: {len(ok)} points" + (f" ({skipped} did not run)" if skipped else ""))
    fig.tight_layout()
    try:
        fig.savefig(a.out, dpi=100)
    except OSError as e:
        fail(f"{a.out}: cannot write ({e})")


if __name__ == "__main__":
    main()
