"""Pareto plot of one `catsim search` output folder (all.csv, pareto.csv, pareto.json).

Modes with accuracy: accuracy (y) against total carbon (x), colour = latency; a proxy accuracy is named as
such on the axis. all-hw: latency (y) against total carbon (x). Feasible points in grey, the front in colour.
"""
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def fail(msg):
    print(f"plot_pareto: {msg}", file=sys.stderr)
    sys.exit(2)


def rows(path):
    try:
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        fail(f"{path}: cannot read ({e}); expected a catsim search --out folder")


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: scripts/plot_pareto SEARCH_OUT_DIR [OUT.png]")
    folder = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.join(folder, "pareto.png")
    try:
        with open(os.path.join(folder, "pareto.json")) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{folder}/pareto.json: cannot read ({e})")
    feasible = [r for r in rows(os.path.join(folder, "all.csv")) if r["feasible"] == "true"]
    front = rows(os.path.join(folder, "pareto.csv"))
    if not front:
        fail(f"{folder}: no feasible point, nothing to plot")
    fig, ax = plt.subplots(figsize=(7, 5))
    carbon = lambda rs: [float(r["carbon_total_g"]) for r in rs]  # noqa: E731
    if doc["metric"] == "all-hw":
        latency_ms = lambda rs: [1e3 * float(r["latency_s"]) for r in rs]  # noqa: E731
        ax.scatter(carbon(feasible), latency_ms(feasible), s=6, c="0.8", label=f"feasible ({len(feasible)})")
        order = sorted(front, key=lambda r: float(r["carbon_total_g"]))
        ax.plot(carbon(order), latency_ms(order), "o-", color="C3", ms=4, label=f"Pareto front ({len(front)})")
        ax.set_yscale("log")
        ax.set_ylabel("latency per inference (ms, log scale)")
    else:
        acc = lambda rs: [float(r["accuracy"]) for r in rs]  # noqa: E731
        lat = [1e3 * float(r["latency_s"]) for r in front]
        ax.scatter(carbon(feasible), acc(feasible), s=6, c="0.85", label=f"feasible ({len(feasible)})")
        sc = ax.scatter(carbon(front), acc(front), c=lat, cmap="viridis", s=24, label=f"Pareto front ({len(front)})")
        fig.colorbar(sc, ax=ax, label="latency (ms)")
        source = doc.get("accuracy_source", "")
        ax.set_ylabel("accuracy PROXY (parameter fraction kept)" if doc.get("accuracy_is_proxy") else f"accuracy ({source})")
    ax.set_xlabel("total carbon over the deployment (g CO2e: embodied + operational)")
    ax.set_title(f"{doc['space']}: metric {doc['metric']}, {doc['points']} points")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    try:
        fig.savefig(out, dpi=120)
    except OSError as e:
        print(f"plot_pareto: {out}: cannot write ({e})", file=sys.stderr)
        sys.exit(3)
    print(out)


main()
