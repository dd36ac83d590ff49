#!/usr/bin/env python3
"""The monotonicity matrix of issue 16: every shipped arch x {BERT-base, ViT-B/16, Llama-2-7B prefill at
seq 512, Llama-3-8B decode at kv 2048}, each hardware resource doubled from the arch's own value, and ideal
against timed DRAM. Every run is one `catsim ARCH MODEL --json` process (two at a time).

A step of cores, scratchpad, global buffer, bandwidth, lanes or DMA window that is more than --tolerance
slower is a violation, and so is ideal DRAM slower than timed. A step of rows or cols may be slower (a larger
array's fill and drain) but is reported when it is slower while moving more DRAM bytes. Prints every step,
the violations and the worst step; exits 1 when there is a violation.

Llama runs use INT8 (every shipped array computes it) and 32 GiB of DRAM (so the weights fit everywhere).
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARCHS = ["catransformers_baseline", "datacenter", "edge_npu", "simba_like", "tpuv1"]
LLAMA = ["model.precision=int8", "arch.dram.capacity_gib=32"]
MODELS = {
    "bert-base": ("bert-base.yaml", []),
    "vit-b16": ("vit-base.yaml", []),
    "llama2-prefill-512": ("llama-2-7b-prefill.yaml", LLAMA + ["model.workload.seq_len=512"]),
    "llama3-decode-2048": ("llama-3-8b-decode.yaml", LLAMA + ["model.workload.kv_len=2048"]),
}
SHAPE_STEPS = {"rows", "cols", "rows+cols"}


def run(binary, arch, model, sets):
    path, base = MODELS[model]
    cmd = [binary, f"{ROOT}/configs/arch/{arch}.yaml", f"{ROOT}/configs/models/{path}", "--json"]
    for s in base + sets:
        cmd += ["--set", s]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"}
    j = json.loads(r.stdout)
    stats = j["stats"]
    return {"cycles": j["cycles"], "resolved": j["resolved"]["arch"],
            "dram_bytes": stats["dram_read_bytes"]["value"] + stats["dram_write_bytes"]["value"]}


def steps_of(a):
    """Each resource doubled from the resolved arch's value (cores up to 16), and ideal DRAM."""
    s, sram, dram = a["systolic"], a["sram"], a["dram"]
    out = {
        "rows": [f"arch.systolic.rows={2 * s['rows']}"],
        "cols": [f"arch.systolic.cols={2 * s['cols']}"],
        "rows+cols": [f"arch.systolic.rows={2 * s['rows']}", f"arch.systolic.cols={2 * s['cols']}"],
        "sram.kib": [f"arch.sram.kib={2 * sram['kib']:g}"],
        "dram.bandwidth_gbps": [f"arch.dram.bandwidth_gbps={2 * dram['bandwidth_gbps']:g}"],
        "vector.lanes": [f"arch.vector.lanes={2 * a['vector']['lanes']}"],
        "dma.outstanding": [f"arch.dma.outstanding={2 * a['dma']['outstanding']}"],
        "dram.model=ideal": ["arch.dram.model=ideal"],
    }
    if 2 * a["cores"] <= 16:
        out["cores"] = [f"arch.cores={2 * a['cores']}"]
    if sram["global_kib"] > 0:
        out["sram.global_kib"] = [f"arch.sram.global_kib={2 * sram['global_kib']:g}"]
        out["sram.global_bytes_per_cycle"] = [f"arch.sram.global_bytes_per_cycle={2 * sram['global_bytes_per_cycle']}"]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catsim", default=f"{ROOT}/build/release/catsim")
    ap.add_argument("--tolerance", type=float, default=0.002, help="allowed slow-down of a step (0.002 = 0.2 %%)")
    ap.add_argument("--archs", default=",".join(ARCHS))
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", help="write every run's cycles and bytes here")
    args = ap.parse_args()
    pairs = [(a, m) for a in args.archs.split(",") for m in args.models.split(",")]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        base = dict(zip(pairs, ex.map(lambda p: run(args.catsim, p[0], p[1], []), pairs)))
        jobs = [(a, m, name, sets) for (a, m), b in base.items() if "error" not in b
                for name, sets in steps_of(b["resolved"]).items()]
        done = list(ex.map(lambda j: run(args.catsim, j[0], j[1], j[3]), jobs))
    violations, worst, rows = [], None, []
    for (a, m), b in base.items():
        if "error" in b:
            print(f"{a:24} {m:19} does not run: {b['error']}")
    for (a, m, name, _), r in zip(jobs, done):
        b = base[(a, m)]
        if "error" in r:
            print(f"{a:24} {m:19} {name:28} does not run: {r['error']}")
            continue
        change = r["cycles"] / b["cycles"] - 1
        more_bytes = r["dram_bytes"] > b["dram_bytes"]
        bad = change > args.tolerance and (name not in SHAPE_STEPS or more_bytes)
        rows.append({"arch": a, "model": m, "step": name, "cycles": b["cycles"], "after": r["cycles"],
                     "dram_bytes": b["dram_bytes"], "dram_bytes_after": r["dram_bytes"]})
        print(f"{a:24} {m:19} {name:28} {b['cycles']:>13,} -> {r['cycles']:>13,} cycles {100 * change:+7.2f} %"
              f"  DRAM {b['dram_bytes'] / 1e9:8.3f} -> {r['dram_bytes'] / 1e9:8.3f} GB{'  VIOLATION' if bad else ''}")
        if bad:
            violations.append((change, a, m, name))
        if name not in SHAPE_STEPS and (worst is None or change > worst[0]):
            worst = (change, a, m, name)
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump(rows, f, indent=1)
        os.replace(args.json + ".tmp", args.json)
    print(f"\n{len(rows)} steps, {len(violations)} violations (tolerance {100 * args.tolerance:g} %)")
    for change, a, m, name in sorted(violations, reverse=True):
        print(f"  {100 * change:+7.2f} %  {a} {m} {name}")
    if worst:
        print(f"worst step of a resource: {100 * worst[0]:+.2f} % ({worst[1]} {worst[2]} {worst[3]})")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
