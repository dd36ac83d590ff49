#!/usr/bin/python3
"""Black-box fuzz of the catsim command line: hostile cases across its commands, each run as a user would
(a child process with a time limit), classified by what went wrong.

Cases: hostile --set values on every declared arch and model key (catsim help arch|model), mutated shipped
YAML, HuggingFace JSON and SCALE-Sim inputs, bit-flipped real ONNX exports, hostile flag values, inputs
that are not files, and outputs that cannot be written (/dev/full, a missing directory, a file-size limit, a
closed stdout). A case is an anomaly when catsim
  crash       dies of a signal, or exits 1 ("internal error"; for sweep only with its line naming failed
              points) or with a code outside 0, 2, 3, 4;
  hang        outlives --timeout;
  lines       fails (exit != 0) with other than one line of error on stderr (warnings aside);
  number      exits 0 with a --json document holding a non-finite or negative number, or one that does not parse;
  partial     leaves a temporary file (*.tmp.*), or an output file after failing;
  device      replaces /dev/null, /dev/full or /dev/zero with a file (an output written over a device).
Usage: cli_fuzz.py CATSIM [--cases N] [--seed S] [--timeout SEC] [--keep DIR] [--sanitized]
Exit 1 when any case is an anomaly (each is kept under --keep with its inputs, command and output)."""
import argparse
import json
import math
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARCHS = sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "configs", "arch")) if f.endswith(".yaml"))
MODELS = ["gemm-bert-proj", "gemms-vit-mlp", "bert-pruned"]  # quick to simulate
HF = os.path.join(ROOT, "configs", "models", "hf")
SCALESIM = os.path.join(ROOT, "tests", "data", "scalesim")
ONNX = os.path.join(ROOT, "tests", "data", "onnx", "real")

HOSTILE = ["2147483648", "4294967296", "9223372036854775807", "18446744073709551616", "-1", "0", "-0", "nan",
           "inf", "-inf", "1e308", "-1e308", "4.9e-324", "''", "x", "[1, 2]", "{a: 1}", "~", "0x10", "1e1", "true",
           "1/0", "1/3", "\u2135", "9" * 400, "a" * 10000, "[" * 500 + "]" * 500, "{x: {y: {z: 1}}}", "&a [*a]"]


def declared_keys(catsim, kind):
    out = subprocess.run([catsim, "help", kind], capture_output=True, text=True, check=True).stdout
    keys = []
    for line in out.splitlines()[2:]:
        cell = line.split("|")[1].strip().strip("`") if line.startswith("|") else ""
        if cell:
            keys.append(cell.replace(".PRECISION", ".int8").replace(".OP", ".add"))
    return keys


def mutate_text(rng, text):
    """One of: drop, duplicate or reorder a line, put a hostile value after a colon, cut the text, add junk."""
    lines = text.splitlines()
    choice = rng.randrange(6)
    if choice == 0 and lines:
        del lines[rng.randrange(len(lines))]
    elif choice == 1 and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif choice == 2 and len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 3:
        candidates = [i for i, l in enumerate(lines) if ":" in l and not l.rstrip().endswith(":")]
        if candidates:
            i = rng.choice(candidates)
            head = lines[i][:lines[i].index(":") + 1]
            lines[i] = head + " " + rng.choice(HOSTILE)
    elif choice == 4:
        return text[:rng.randrange(len(text) + 1)]
    else:
        return text + "".join(chr(rng.randrange(1, 0x2FF)) for _ in range(rng.randrange(1, 40)))
    return "\n".join(lines) + "\n"


def flip_bytes(rng, data):
    data = bytearray(data)
    for _ in range(rng.randrange(1, 16)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data[:len(data) if rng.random() < 0.7 else rng.randrange(len(data))])


class Case:
    def __init__(self, kind, argv, files=None, fsize=None, close_stdout=False, outputs=()):
        self.kind, self.argv, self.files = kind, argv, files or {}
        self.fsize, self.close_stdout, self.outputs = fsize, close_stdout, list(outputs)


def generate(rng, keys, sanitized=False):
    arch, model = rng.choice(ARCHS), rng.choice(MODELS)
    kind = rng.choice(["set", "set", "yaml", "hf", "scalesim", "onnx", "flags", "paths", "outputs"])
    if kind == "set":
        side = rng.choice(["arch", "model"])
        cmd = rng.choice([[arch, model], ["info", model if side == "model" else arch]])
        return Case(kind, cmd + ["--json", "--set", f"{side}.{rng.choice(keys[side])}={rng.choice(HOSTILE)}"])
    if kind == "yaml":
        side = rng.choice(["arch", "models"])
        name = rng.choice(ARCHS if side == "arch" else MODELS)
        text = open(os.path.join(ROOT, "configs", side, name + ".yaml"), encoding="utf-8").read()
        for _ in range(rng.randrange(1, 4)):
            text = mutate_text(rng, text)
        f = "input.yaml"
        return Case(kind, ([f, model] if side == "arch" else [arch, f]) + ["--json"], {f: text.encode("utf-8", "replace")})
    if kind == "hf":
        name = rng.choice([f for f in os.listdir(HF) if f.endswith(".json")])
        text = open(os.path.join(HF, name), encoding="utf-8").read()
        for _ in range(rng.randrange(1, 4)):
            text = mutate_text(rng, text)
        return Case(kind, ["info", "config.json", "--json"], {"config.json": text.encode("utf-8", "replace")})
    if kind == "scalesim":
        cfg = open(os.path.join(SCALESIM, rng.choice(["scale.cfg", "google.cfg", "eyeriss.cfg"])), encoding="utf-8").read()
        topo = open(os.path.join(SCALESIM, rng.choice(["alexnet.csv", "Resnet18.csv", "gpt2.csv"])), encoding="utf-8").read()
        cfg, topo = (mutate_text(rng, cfg), topo) if rng.random() < 0.5 else (cfg, mutate_text(rng, topo))
        return Case(kind, ["scalesim", "in.cfg", "in.csv", "--outdir", "reports"],
                    {"in.cfg": cfg.encode(), "in.csv": topo.encode()}, outputs=["reports"])
    if kind == "onnx":
        name = rng.choice(["hello_deepa.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"])
        data = flip_bytes(rng, open(os.path.join(ONNX, name), "rb").read())
        return Case(kind, ["info", "model.onnx", "--json"], {"model.onnx": data})
    if kind == "flags":
        v = rng.choice(HOSTILE)
        argv = rng.choice([
            [arch, model, "--json", "--trace", "t.json", "--trace-window", f"{v}:{rng.choice(HOSTILE)}"],
            [arch, model, "--trace", "t.json", "--trace-ops", rng.choice(["(" * 30000, "a" * 100000, "[", v])],
            ["sweep", arch, model, "--vary", f"arch.sram.kib={v}", "--timeout", rng.choice(HOSTILE), "--json"],
            ["sweep", arch, model, "--vary", f"arch.cores=1:{v}", "--workers", rng.choice(HOSTILE)],
            ["validate", arch, model, "--tolerance", v],
            [arch, model, "--precisions", ",".join(["int8"] * rng.randrange(1, 600))],
            [arch, model, "--fidelity", v],
        ])
        return Case(kind, argv, outputs=["t.json"])
    if kind == "paths":
        target = rng.choice(["/dev/null", ".", "/nonexistent/m.yaml", "x" * 300 + ".yaml", "loop.yaml", "/proc/self/mem"])
        files = {}
        if target == "loop.yaml":
            files = {"__symlink__": b"loop.yaml"}
        return Case(kind, rng.choice([[arch, target], [target, model], ["info", target]]), files)
    # outputs that cannot be written
    if sanitized:  # only failures before or outside a simulation (see --sanitized)
        return Case(kind, ["sweep", arch, model, "--vary", "arch.cores=1,2", "--quiet", "--out",
                           rng.choice(["/dev/full", "/dev/null", "/nonexistent/dir/out.csv"])], outputs=["out.csv"])
    where = rng.choice(["/dev/full", "/dev/null", "/nonexistent/dir/out.json", "out/" + "y" * 300 + ".json", "limited"])
    if where == "limited":
        return Case(kind, [arch, "bert-base", "--trace", "t.json"], fsize=4096, outputs=["t.json"])
    if rng.random() < 0.3:
        return Case(kind, [arch, model, "--json"], close_stdout=True)
    return Case(kind, rng.choice([[arch, model, "--trace", where], ["sweep", arch, model, "--vary", "arch.cores=1,2", "--out", where],
                                  [arch, model, "--outdir", where]]), outputs=[where])


def numbers(doc, path="$"):
    if isinstance(doc, bool) or doc is None or isinstance(doc, str):
        return
    if isinstance(doc, (int, float)):
        yield path, doc
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield from numbers(v, f"{path}.{k}")
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from numbers(v, f"{path}[{i}]")


def run(catsim, case, work, timeout):
    for name, data in case.files.items():
        if name == "__symlink__":
            os.symlink(data.decode(), os.path.join(work, data.decode()))
        else:
            with open(os.path.join(work, name), "wb") as f:
                f.write(data)

    def limits():
        os.setsid()
        if case.fsize:
            resource.setrlimit(resource.RLIMIT_FSIZE, (case.fsize, case.fsize))

    start = time.monotonic()
    proc = subprocess.Popen([catsim] + case.argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=limits)
    if case.close_stdout:
        proc.stdout.close()
    try:
        out, err = proc.communicate(timeout=timeout) if not case.close_stdout else (b"", proc.communicate(timeout=timeout)[1])
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = b"", proc.communicate()[1] if proc.stderr and not proc.stderr.closed else b""
        hung = True
    return proc.returncode, out or b"", err or b"", hung, time.monotonic() - start


DEVICES = ("/dev/null", "/dev/full", "/dev/zero")


def classify(case, code, out, err, hung, work):
    problems = []
    for dev in DEVICES:  # an output written over a device must not replace it with a file
        if not stat.S_ISCHR(os.stat(dev).st_mode):
            problems.append(f"replaced the device {dev}")
    if hung:
        return ["hang"]
    documented_failure = code == 1 and case.argv[0] == "sweep" and b"points failed" in err  # a point crashed or timed out
    if code < 0 or (code not in (0, 2, 3, 4) and not documented_failure):
        problems.append("crash")
    # Not warnings, progress lines, or the notes AddressSanitizer prints when SystemC switches stacks.
    errors = [l for l in err.decode("utf-8", "replace").splitlines()
              if "warning" not in l.lower() and not l.startswith(("sweep: ", "search: ", "==")) and
              l not in ("False positive error reports may follow",) and
              not l.startswith("For details see https://github.com/google/sanitizers/issues/189")]
    if code != 0 and len(errors) != 1:
        problems.append("lines")
    if code == 0 and "--json" in case.argv and not case.close_stdout and case.argv[0] not in ("sweep",):
        try:
            doc = json.loads(out.decode("utf-8"))
            for path, value in numbers(doc):
                if not math.isfinite(value) or value < 0:
                    problems.append(f"number {path}={value}")
                    break
        except (ValueError, UnicodeDecodeError):
            problems.append("number (the --json output does not parse)")
    for dirpath, _, names in os.walk(work):
        for n in names:
            if ".tmp." in n:
                problems.append(f"partial {os.path.relpath(os.path.join(dirpath, n), work)}")
    if code != 0:
        for o in case.outputs:
            p = os.path.join(work, o)
            if not o.startswith("/") and os.path.exists(p) and (os.path.isfile(p) or os.listdir(p)):
                problems.append(f"partial {o} written by a failed run")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("catsim")
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=None, help="default: a fresh one, printed")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--keep", default="build/cli_fuzz", help="where anomalies are kept")
    ap.add_argument("--sanitized", action="store_true",
                    help="CATSIM is an AddressSanitizer build: no case makes a write fail after a simulation (ASan "
                         "misreports an exception thrown after SystemC's stack switches as its own error)")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    catsim = os.path.abspath(args.catsim)
    keys = {"arch": declared_keys(catsim, "arch"), "model": declared_keys(catsim, "model")}
    tally, anomalies = {}, []
    scratch = tempfile.mkdtemp(prefix="catsim_cli_fuzz_")
    try:
        for i in range(args.cases):
            case = generate(rng, keys, args.sanitized)
            work = os.path.join(scratch, str(i))
            os.makedirs(work)
            code, out, err, hung, secs = run(catsim, case, work, args.timeout)
            problems = classify(case, code, out, err, hung, work)
            outcome = "hang" if hung else f"exit {code}"
            tally[(case.kind, outcome)] = tally.get((case.kind, outcome), 0) + 1
            if problems:
                keep = os.path.join(args.keep, f"{seed}_{i}")
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(work, keep, symlinks=True)
                with open(os.path.join(keep, "case.txt"), "w", encoding="utf-8") as f:
                    f.write(f"catsim {' '.join(case.argv)}\nfsize {case.fsize} close_stdout {case.close_stdout}\n"
                            f"exit {code}, {secs:.2f} s\nproblems: {problems}\n--- stderr\n"
                            f"{err.decode('utf-8', 'replace')}")
                anomalies.append((i, case, problems, keep))
            shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"cli_fuzz: {args.cases} cases, seed {seed}")
    for (kind, outcome), n in sorted(tally.items()):
        print(f"  {kind:<9} {outcome:<8} {n}")
    for i, case, problems, keep in anomalies:
        print(f"ANOMALY case {i}: catsim {' '.join(a if len(a) < 80 else a[:77] + '...' for a in case.argv)}: "
              f"{'; '.join(problems)} (kept in {keep})")
    if anomalies:
        print(f"cli_fuzz: {len(anomalies)} anomalies; re-run with --seed {seed}")
    return 1 if anomalies else 0


if __name__ == "__main__":
    sys.exit(main())
