"""Per-op roofline and per-unit utilization timeline of one catsim --json result.

Roofline: each op with MACs is a point at arithmetic intensity (2 x MACs per byte moved to or from DRAM)
and achieved throughput (2 x MACs per second of the op's span), under the arch's compute roof (2 x PEs x
MAC rate x cores x clock at the op's precision) and DRAM bandwidth roof. Timeline: each unit kind's busy
cycles per time bin, as a fraction of its units; an op's busy cycles are spread evenly over its span (the
JSON keeps busy cycles per op, not per command), so the timeline is exact per op, smoothed within one.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BINS = 400
UNITS = (("array", "array"), ("dma", "DMA (load + store engines)"), ("vector", "vector"))


def fail(msg):
    print(f"plot_run: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: cannot read a catsim JSON result ({e})")
    if "generation" in r:
        r = dict(r["prefill"], resolved=r["resolved"])  # a generation: plot its prefill
    for key in ("ops", "units", "clock_mhz", "makespan_cycles", "resolved"):
        if key not in r:
            fail(f"{path}: no '{key}' (expected the output of catsim ARCH MODEL --json)")
    return r


def peak_ops_per_s(arch, precision):
    rate = arch["systolic"]["precisions"].get(precision, 0)
    return 2 * arch["systolic"]["rows"] * arch["systolic"]["cols"] * arch["cores"] * rate * arch["clock_mhz"] * 1e6


def roofline(r, out):
    arch = r["resolved"]["arch"]
    clock = r["clock_mhz"] * 1e6
    bw = arch["dram"]["bandwidth_gbps"] * 1e9
    points = []
    for o in r["ops"]:
        if o["macs"] <= 0 or o["cycles"] <= 0:
            continue
        ops = 2 * o["macs"]
        dram = o["dram_read_bytes"] + o["dram_write_bytes"]
        points.append((ops / dram if dram else None, ops / (o["cycles"] / clock), o))
    if not points:
        fail("no op with MACs to plot")
    finite = [p[0] for p in points if p[0]]
    x_hi = max(finite) * 4 if finite else 1e4
    x_lo = min(finite) / 4 if finite else 1e-1
    fig, ax = plt.subplots(figsize=(8, 5.5))
    xs = [x_lo * (x_hi / x_lo) ** (i / 200) for i in range(201)]
    for prec in sorted({p[2]["compute_precision"] for p in points}):
        peak = peak_ops_per_s(arch, prec)
        ax.plot(xs, [min(peak, bw * x) for x in xs], lw=1.5, label=f"roof: {prec} peak {peak / 1e12:.3g} TOPS, "
                f"DRAM {arch['dram']['bandwidth_gbps']:g} GB/s")
    kinds = sorted({p[2]["kind"] for p in points})
    for kind, marker in zip(kinds, "os^D"):
        sel = [p for p in points if p[2]["kind"] == kind]
        ax.scatter([p[0] if p[0] else x_hi for p in sel], [p[1] for p in sel], marker=marker, s=18, alpha=0.7,
                   label=f"{kind} ({len(sel)} ops)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (ops per DRAM byte; no DRAM traffic: right edge)")
    ax.set_ylabel("achieved ops/s over the op's span")
    ax.set_title(f"{r['model']} on {r['arch']}: per-op roofline")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def timeline(r, out):
    span = r["makespan_cycles"]
    if span <= 0:
        fail("the run has no cycles")
    cores = r["resolved"]["arch"]["cores"]
    width = span / BINS
    busy = {u: [0.0] * BINS for u, _ in UNITS}
    for o in r["ops"]:
        s, e = o["start_cycle"], o["end_cycle"]
        if e <= s:
            continue
        for unit, _ in UNITS:
            b = o["busy_cycles"][unit]
            if b <= 0:
                continue
            density = b / (e - s)
            first, last = int(s // width), min(BINS - 1, int((e - 1) // width))
            for i in range(first, last + 1):
                lo, hi = max(s, i * width), min(e, (i + 1) * width)
                if hi > lo:
                    busy[unit][i] += density * (hi - lo)
    dma_units = 2 * cores  # a load and a store engine per core
    fig, axes = plt.subplots(len(UNITS), 1, figsize=(10, 6), sharex=True)
    t = [(i + 0.5) * width / (r["clock_mhz"] * 1e3) for i in range(BINS)]  # ms
    for ax, (unit, label) in zip(axes, UNITS):
        n = dma_units if unit == "dma" else cores
        ax.fill_between(t, [min(1.0, b / (width * n)) for b in busy[unit]], step="mid", alpha=0.6)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel(f"{label}\nbusy fraction", fontsize=8)
        ax.grid(True, alpha=0.3)
    axes[-1].set_xlabel("time (ms)")
    axes[0].set_title(f"{r['model']} on {r['arch']}: unit utilization over time ({BINS} bins)")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main():
    path = sys.argv[1]
    prefix = sys.argv[2] if len(sys.argv) > 2 else (path[:-5] if path.endswith(".json") else path)
    r = load(path)
    roofline(r, prefix + "_roofline.png")
    timeline(r, prefix + "_timeline.png")
    print(f"{prefix}_roofline.png\n{prefix}_timeline.png")


if __name__ == "__main__":
    main()
