#!/usr/bin/env python3
"""Adjacent "more hardware" steps of a grid search that run slower: reads a search's all.csv, and for every
point and every swept parameter compares it with the point that has the next larger value of that
parameter and all else equal. Prints the number of steps, those slower by more than --tolerance, and the
worst ones, then the count and the worst step per parameter. Every swept parameter is a resource (cores,
rows, cols, scratchpad, bandwidth, global buffer), so more of it should never be slower, but for a larger
array's fill and drain: steps of the array's shape (systolic rows and cols) are counted apart.

With --explain ARCH MODEL (the space's arch and model files), every slower step of the array's shape is run
again, both points with `catsim --json`, and counted as within fill and drain when its growth in cycles is at
most the growth of the run's fill and drain cycles (the ops' fill_drain_cycles summed: the larger array's
added pipeline depth), else as beyond it.

Usage: scripts/grid_steps.py OUT/all.csv [--tolerance 0.005] [--top 10] [--explain ARCH MODEL [--catsim BIN]]
"""
import argparse
import concurrent.futures
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

RESULT_COLUMNS = {"status", "feasible", "accuracy", "accuracy_source", "latency_s", "energy_j", "area_mm2", "tops",
                  "carbon_total_g", "carbon_operational_g", "carbon_embodied_g", "id", "stage", "reason", "power_w",
                  "array_utilization", "bound", "wall_s"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("all_csv")
    ap.add_argument("--tolerance", type=float, default=0.005, help="0.005 = 0.5 %%")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--explain", nargs=2, metavar=("ARCH", "MODEL"))
    ap.add_argument("--catsim", default=os.path.join(ROOT, "build", "release", "catsim"))
    args = ap.parse_args()
    with open(args.all_csv, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("status") == "ok" and r.get("latency_s")]
    if not rows:
        sys.exit(f"{args.all_csv}: no evaluated points")
    params = [c for c in rows[0] if c not in RESULT_COLUMNS]
    values = {p: sorted({float(r[p]) for r in rows}) for p in params}
    latency = {tuple(float(r[p]) for p in params): float(r["latency_s"]) for r in rows}
    steps, slower = 0, []
    for key, t in latency.items():
        for i, p in enumerate(params):
            vs = values[p]
            j = vs.index(key[i])
            if j + 1 == len(vs):
                continue
            bigger = key[:i] + (vs[j + 1],) + key[i + 1:]
            if bigger not in latency:
                continue
            steps += 1
            change = latency[bigger] / t - 1
            if change > args.tolerance:
                slower.append((change, p, key, vs[j + 1]))
    shape = [s for s in slower if is_shape(s[1])]
    print(f"{steps} adjacent steps, {len(slower)} slower by more than {100 * args.tolerance:g} % "
          f"({len(shape)} of them steps of the array's shape, {len(slower) - len(shape)} of other resources)")
    for change, p, key, to in sorted(slower, reverse=True)[:args.top]:
        print(f"  {100 * change:+7.2f} %  {p} -> {to:g}  at {where(params, key)}")
    print("per parameter:")
    for p in params:
        mine = sorted((s for s in slower if s[1] == p), reverse=True)
        worst = f", worst {100 * mine[0][0]:+.2f} % at {where(params, mine[0][2])}" if mine else ""
        print(f"  {p}: {len(mine)}{worst}")
    if args.explain:
        explain(args, params, shape)
    return 0


def run_point(args, params, key):
    """Cycles and summed fill/drain cycles of one grid point, run again with --json."""
    cmd = [args.catsim, *args.explain, "--json"]
    for p, v in zip(params, key):
        cmd += ["--set", f"{p}={v:g}"]
    j = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    return j["makespan_cycles"], sum(o["fill_drain_cycles"] for o in j["ops"])


def explain(args, params, shape):
    """Runs every slower shape step again and tells apart those within the larger array's fill and drain."""
    def one(step):
        change, p, key, to = step
        i = params.index(p)
        bigger = key[:i] + (to,) + key[i + 1:]
        (small, fd_small), (big, fd_big) = run_point(args, params, key), run_point(args, params, bigger)
        return step, big - small, max(0, fd_big - fd_small)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, shape))
    beyond = sorted(((grown - fd, grown, fd, step) for step, grown, fd in results if grown > fd), reverse=True)
    print(f"shape steps slower by more than the tolerance: {len(shape)}; within the added fill and drain: "
          f"{len(shape) - len(beyond)}; beyond it: {len(beyond)}")
    for excess, grown, fd, (change, p, key, to) in beyond[:args.top]:
        print(f"  {100 * change:+7.2f} %  {p} -> {to:g}: {grown:,} cycles more, {fd:,} of them fill and drain "
              f"({excess:,} beyond) at {where(params, key)}")


def is_shape(param):
    return param.endswith("systolic.rows") or param.endswith("systolic.cols")


def where(params, key):
    return ", ".join(f"{q}={v:g}" for q, v in zip(params, key))


if __name__ == "__main__":
    sys.exit(main())
