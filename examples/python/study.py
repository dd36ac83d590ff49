#!/usr/bin/python3
"""A short catsim study from Python: sweep the scratchpad and the array's rows of edge_npu on a BERT
projection GEMM, print the rows as a table, and plot latency and energy against the scratchpad size.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/study.py [OUT.png]
"""
import sys

import catsim
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(out):
    rows = sorted(catsim.sweep("edge_npu", "gemm-bert-proj",
                               vary={"arch.sram.kib": [64, 128, 256, 512], "arch.systolic.rows": [32, 64]},
                               progress=False),
                  key=lambda r: (r["arch.systolic.rows"], r["arch.sram.kib"]))  # rows come as points finish
    print(f"{'sram KiB':>8} {'rows':>4} {'latency us':>10} {'energy uJ':>10} {'bound':>8}")
    for r in rows:
        if r["status"] != "ok":
            print(f"{r['arch.sram.kib']:>8} {r['arch.systolic.rows']:>4} {r['status']}: {r['reason']}")
            continue
        print(f"{r['arch.sram.kib']:>8} {r['arch.systolic.rows']:>4} {r['latency_s'] * 1e6:>10.2f} "
              f"{r['energy_j'] * 1e6:>10.2f} {r['bound']:>8}")
    fig, (lat, energy) = plt.subplots(1, 2, figsize=(9, 3.5))
    for n in sorted({r["arch.systolic.rows"] for r in rows}):
        ok = [r for r in rows if r["arch.systolic.rows"] == n and r["status"] == "ok"]
        kib = [r["arch.sram.kib"] for r in ok]
        lat.plot(kib, [r["latency_s"] * 1e6 for r in ok], marker="o", label=f"{n} rows")
        energy.plot(kib, [r["energy_j"] * 1e6 for r in ok], marker="o", label=f"{n} rows")
    for ax, label in ((lat, "latency (us)"), (energy, "energy (uJ)")):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("scratchpad (KiB)")
        ax.set_ylabel(label)
        ax.legend()
    fig.suptitle("edge_npu x BERT projection GEMM (catsim " + catsim.version() + ")")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "study.png")
