#!/usr/bin/python3
"""Whole-process figures of catsim: start-up included, as a shell loop or a make-driven study pays them.

Runs each case N times (after one warm-up run) as a child process and reports the median wall time, the
median CPU time (user + system, from wait4) and the peak resident set; exits 1 when a case is over its
target. Usage: startup_bench.py CATSIM [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARCH = os.path.join(ROOT, "configs", "arch", "edge_npu.yaml")
MODELS = os.path.join(ROOT, "configs", "models")

# (name, arguments, target wall ms, target CPU ms, target peak RSS MiB); None = no target on that figure.
CASES = [
    # Not catsim: a C++ program that prints one line (tools/startup_floor.cpp, built beside catsim), measured
    # just before `catsim --version`, so that the machine's own process cost at that moment shows beside it.
    ("C++ floor: hello world (reference)", None, None, None, None),
    ("catsim --version", ["--version"], None, 5.0, 10.0),
    ("catsim info bert-base", ["info", os.path.join(MODELS, "bert-base.yaml")], None, None, None),
    # SCALE-Sim v2 needs 18.6 s for this layer; 18 ms is 1000x faster, whole process.
    ("GEMM 128x768x768, 32x32 OS, scalesim timing, ideal DRAM",
     [ARCH, os.path.join(MODELS, "gemm-bert-proj.yaml"), "--set", "arch.systolic.timing=scalesim",
      "--set", "arch.dram.model=ideal"], 18.0, None, None),
    ("BERT-base seq 128 int8 on edge_npu", [ARCH, os.path.join(MODELS, "bert-base.yaml")], 50.0, None, None),
    # An 11 MB ONNX export (written by tests/data/onnx/make_bert_onnx.py): read, checked, hashed, shape-folded and
    # lowered, whole process; the goal for importing and lowering a 10 MB graph is 100 ms.
    ("catsim info, 11 MB ONNX BERT graph", ["info", "{onnx}", "--set", "model.dims.batch=1", "--set",
                                            "model.dims.sequence=128"], 100.0, None, None),
    # A 128 MiB graph whose weights are stored inline (not as external data): parsed without its weights'
    # data (workloads/onnx/onnx_wire.h), so the process stays far below the file's size.
    ("catsim info, 128 MiB ONNX graph, weights inline", ["info", "{big_onnx}"], None, None, 64.0),
]
ONNX_ARGS = ["--layers", "2", "--hidden", "256", "--heads", "4", "--ffn", "1024", "--vocab", "4096", "--positions", "512"]


def fail(cmd, code, err):
    sys.exit(f"startup_bench: {' '.join(cmd)} exited {code}: {err.strip()}")


def run_once(cmd):
    """Wall ms and CPU ms (user + system, from wait4, in microseconds) of one run, started directly."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1e3
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        fail(cmd, proc.returncode, err)
    return wall, (usage.ru_utime + usage.ru_stime) * 1e3


def peak_rss_mib(cmd):
    """Peak RSS of one run, as /usr/bin/time's %M: the kernel's figure includes the image the child was
    forked from, which for time is small (for Python it would be Python's ~12 MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        proc = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        if proc.returncode != 0:
            fail(cmd, proc.returncode, proc.stderr.decode(errors="replace"))
        return float(t.read().split()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("catsim")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    rows, failed = [], False
    scratch = tempfile.TemporaryDirectory()
    onnx_file = os.path.join(scratch.name, "bert.onnx")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "data", "onnx", "make_bert_onnx.py"), onnx_file] + ONNX_ARGS,
                   check=True)
    big_onnx = os.path.join(scratch.name, "big.onnx")
    subprocess.run(["/usr/bin/python3", "-c", "import numpy as np, onnx; from onnx import helper, numpy_helper, TensorProto as T; "
                    "w = numpy_helper.from_array(np.ones((4096, 8192), np.float32), 'w'); "
                    "g = helper.make_graph([helper.make_node('MatMul', ['x', 'w'], ['y'])], 'big', "
                    "[helper.make_tensor_value_info('x', T.FLOAT, [4, 4096])], [helper.make_tensor_value_info('y', T.FLOAT, [4, 8192])], [w]); "
                    f"m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)]); m.ir_version = 7; onnx.save(m, '{big_onnx}')"],
                   check=True)
    floor = os.path.join(os.path.dirname(os.path.abspath(args.catsim)), "startup_floor")
    for name, argv, wall_target, cpu_target, rss_target in CASES:
        if argv is None:
            if not os.access(floor, os.X_OK):
                print(f"startup_bench: no {floor} (build the startup_floor target); the floor row is left out",
                      file=sys.stderr)
                continue
            cmd = [floor]
        else:
            cmd = [args.catsim] + [a.replace("{onnx}", onnx_file).replace("{big_onnx}", big_onnx) for a in argv]
        run_once(cmd)  # warm the page cache
        runs = [run_once(cmd) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        rss = max(peak_rss_mib(cmd) for _ in range(3))
        over = [label for value, target, label in ((wall, wall_target, "wall"), (cpu, cpu_target, "CPU"),
                                                  (rss, rss_target, "RSS")) if target is not None and value > target]
        failed |= bool(over)
        targets = ", ".join(f"{label} <= {t:g}" for t, label in ((wall_target, "wall ms"), (cpu_target, "CPU ms"),
                                                                 (rss_target, "RSS MiB")) if t is not None) or "-"
        rows.append((name, f"{wall:.1f}", f"{cpu:.1f}", f"{rss:.1f}", targets,
                     "OVER (" + ", ".join(over) + ")" if over else "OK"))
    head = ("whole process", "wall ms", "CPU ms", "peak RSS MiB", "target", "verdict")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    fmt = lambda r: " | ".join(c.ljust(w) if i in (0, 4, 5) else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    print(fmt(head))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(fmt(r))
    print(f"medians of {args.runs} runs each (after one warm-up); CPU = user + system time of the process; "
          "peak RSS = the largest of 3 runs under /usr/bin/time")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
