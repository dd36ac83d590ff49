#!/usr/bin/env python3
"""Adjacent "more hardware" steps of a grid search that run slower: reads a search's all.csv, and for every
point and every swept parameter compares it with the point that has the next larger value of that
parameter and all else equal. Prints the number of steps, those slower by more than --tolerance, and the
worst ones, then the count and the worst step per parameter. Every swept parameter is a resource (cores,
rows, cols, scratchpad, bandwidth, global buffer), so more of it should never be slower, but for a larger
array's fill and drain: steps of the array's shape (systolic rows and cols) are counted apart.

Usage: scripts/grid_steps.py OUT/all.csv [--tolerance 0.005] [--top 10]
"""
import argparse
import csv
import sys

RESULT_COLUMNS = {"status", "feasible", "accuracy", "accuracy_source", "latency_s", "energy_j", "area_mm2", "tops",
                  "carbon_total_g", "carbon_operational_g", "carbon_embodied_g", "id", "stage", "reason", "power_w",
                  "array_utilization", "bound", "wall_s"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("all_csv")
    ap.add_argument("--tolerance", type=float, default=0.005, help="0.005 = 0.5 %%")
    ap.add_argument("--top", type=int, default=10)
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
    return 0


def is_shape(param):
    return param.endswith("systolic.rows") or param.endswith("systolic.cols")


def where(params, key):
    return ", ".join(f"{q}={v:g}" for q, v in zip(params, key))


if __name__ == "__main__":
    sys.exit(main())
