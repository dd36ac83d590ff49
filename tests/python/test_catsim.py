"""The Python module against the command line: simulate's dict is the document `catsim ARCH MODEL --json`
prints, byte for byte when dumped; dict-built designs; catsim.Error for bad input with the command line's
message and exit code; a 2-thread pool of calls equal to serial calls; sweep's rows; the example study.
Run by CTest with PYTHONPATH at the build's python/ and CATSIM_BINARY at the built catsim."""
import concurrent.futures
import json
import os
import subprocess
import sys

import pytest

import catsim

CATSIM = os.environ["CATSIM_BINARY"]
SOURCE = os.environ["CATSIM_SOURCE_DIR"]


def cli(*args):
    """Runs the built catsim as `catsim ARGS` (argv[0] 'catsim', as the module records it)."""
    return subprocess.run(["catsim", *args], executable=CATSIM, capture_output=True, text=True)


def dumped(doc):
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("args,call", [
    (["edge_npu", "bert-base"], dict()),
    (["datacenter", "llama-3-8b-decode", "--fidelity", "analytic"], dict(fidelity="analytic")),
    (["tpuv1", "gemm-bert-proj", "--set", "arch.systolic.rows=64", "--set", "model.precision=int8"],
     dict(set=["arch.systolic.rows=64", "model.precision=int8"])),
])
def test_simulate_is_the_json_the_command_line_prints(args, call):
    arch, model, *rest = args
    # the module records `catsim ARCH MODEL --json [--set ...] [--fidelity F]`
    expected = cli(arch, model, "--json", *rest)
    assert expected.returncode == 0, expected.stderr
    assert dumped(catsim.simulate(arch, model, **call)) == expected.stdout


def test_trace_is_the_trace_the_command_line_writes(tmp_path):
    args = ["edge_npu", "gemm-bert-proj", "--json", "--trace", str(tmp_path / "t.json"), "--trace-ops", "proj"]
    expected = cli(*args)
    assert expected.returncode == 0, expected.stderr
    doc = catsim.simulate("edge_npu", "gemm-bert-proj", trace=str(tmp_path / "t.json"), trace_ops="proj")
    assert dumped(doc) == expected.stdout  # the same command line recorded, the trace written again
    assert json.loads((tmp_path / "t.json").read_text())["traceEvents"]
    with pytest.raises(catsim.Error, match="--trace-window: needs --trace"):
        catsim.simulate("edge_npu", "gemm-bert-proj", trace_window="0:100")


def test_a_dict_built_arch_runs_as_the_same_file(tmp_path):
    arch = {"name": "nb", "clock_mhz": 800, "cores": 2,
            "systolic": {"rows": 32, "cols": 32, "dataflow": "ws", "precisions": {"int8": 1}},
            "vector": {"lanes": 32}, "sram": {"kib": 256, "bytes_per_cycle": 64},
            "dram": {"type": "lpddr4", "bandwidth_gbps": 25.6, "capacity_gib": 4},
            "technology": {"node_nm": 22}}
    path = tmp_path / "nb.yaml"
    path.write_text(json.dumps(arch))
    expected = json.loads(cli(str(path), "gemm-bert-proj", "--json", "--set", "model.precision=int8").stdout)
    got = catsim.simulate(arch, "gemm-bert-proj", set=["model.precision=int8"])
    for key in ("cycles", "latency_s", "energy_j", "area_mm2", "carbon"):
        assert got[key] == expected[key], key
    assert got["command_line"] == "catsim '<arch dict>' gemm-bert-proj --json --set model.precision=int8"


def test_bad_input_raises_the_command_lines_error():
    expected = cli("edge_npu", "bert-base", "--json", "--set", "arch.cores=-1")
    assert expected.returncode == 2
    with pytest.raises(catsim.Error) as e:
        catsim.simulate("edge_npu", "bert-base", set=["arch.cores=-1"])
    assert isinstance(e.value, ValueError)
    assert e.value.exit_code == 2
    assert str(e.value) + "\n" == expected.stderr


def test_a_bad_dict_names_the_dict_and_the_key():
    with pytest.raises(catsim.Error) as e:
        catsim.simulate({"name": "x", "clock_mhz": 1000, "systolic": {"rows": -8, "cols": 8}}, "bert-base")
    assert str(e.value).startswith("arch (dict): systolic.rows: out of range, got -8")
    with pytest.raises(catsim.Error, match="fidelity: unknown value 'exact'"):
        catsim.simulate("edge_npu", "bert-base", fidelity="exact")
    with pytest.raises(catsim.Error, match="expected a path, a shipped name or a dict"):
        catsim.simulate(3, "bert-base")


def test_info_is_the_json_the_command_line_prints():
    for name in ("llama-3-8b-decode", "tpuv1"):
        expected = cli("info", name, "--json")
        assert dumped(catsim.info(name)) == expected.stdout


def test_validate_is_the_json_the_command_line_prints():
    expected = cli("validate", "edge_npu", "gemm-bert-proj", "--json")
    assert expected.returncode == 0, expected.stderr
    assert dumped(catsim.validate("edge_npu", "gemm-bert-proj")) == expected.stdout


def test_a_thread_pool_of_calls_equals_serial_calls():
    designs = [("edge_npu", "gemm-bert-proj", [f"arch.systolic.rows={r}"]) for r in (8, 16, 32, 64)]
    serial = [catsim.simulate(a, m, set=s) for a, m, s in designs]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        pooled = list(pool.map(lambda d: catsim.simulate(d[0], d[1], set=d[2]), designs))
    assert pooled == serial
    assert len({d["cycles"] for d in serial}) > 1  # the designs differ


def test_sweep_rows_are_the_command_lines():
    expected = cli("sweep", "edge_npu", "gemm-bert-proj", "--vary", "arch.systolic.rows=8,16",
                   "--vary", "arch.cores=1:2", "--json", "--quiet")
    assert expected.returncode == 0, expected.stderr
    stream = catsim.sweep("edge_npu", "gemm-bert-proj", vary={"arch.systolic.rows": [8, 16], "arch.cores": "1:2"},
                          progress=False)
    assert len(stream) == 4  # 2 row counts x 2 core counts
    rows = list(stream)  # as the points finish
    assert len(rows) == 4
    # In point order (the last varied key fastest), the rows the command line prints.
    assert dumped(sorted(rows, key=lambda r: (r["arch.systolic.rows"], r["arch.cores"]))) == expected.stdout
    with pytest.raises(catsim.Error, match="arch.systolic.rowz"):
        catsim.sweep("edge_npu", "gemm-bert-proj", vary={"arch.systolic.rowz": [8]})


def test_the_example_study_writes_its_plot(tmp_path):
    out = tmp_path / "study.png"
    run = subprocess.run([sys.executable, os.path.join(SOURCE, "examples", "python", "study.py"), str(out)],
                         capture_output=True, text=True, env=os.environ)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "wrote" in run.stdout


def test_search_returns_the_front_the_command_line_writes(tmp_path):
    space = {"name": "tiny", "arch": "edge_npu", "model": "gemm-bert-proj", "metric": "all-hw",
             "parameters": {"arch.systolic.rows": [16, 32], "arch.cores": [1, 2]},
             "optimizer": {"name": "grid"}, "workers": 1}
    path = tmp_path / "space.yaml"
    path.write_text(json.dumps(space))
    expected = cli("search", str(path), "--out", str(tmp_path / "cli"), "--quiet")
    assert expected.returncode == 0, expected.stderr
    front = catsim.search(space, out=str(tmp_path / "py"), progress=False)
    assert front["front"] == json.loads((tmp_path / "cli" / "pareto.json").read_text())["front"]
    assert front["feasible"] == 4  # 2 row counts x 2 core counts, all within the (absent) constraints
    def without_wall_time(name):  # all.csv's last column is each point's evaluation time
        return [line.rsplit(",", 1)[0] for line in (tmp_path / name / "all.csv").read_text().splitlines()]
    assert without_wall_time("py") == without_wall_time("cli")


def test_a_bad_space_raises_the_search_error(tmp_path):
    with pytest.raises(catsim.Error) as e:
        catsim.search({"name": "bad", "arch": "edge_npu", "model": "gemm-bert-proj",
                       "parameters": {"arch.systolic.rowz": [16]}}, out=str(tmp_path / "o"), progress=False)
    assert e.value.exit_code == 2
    assert "space (dict)" in str(e.value) and "arch.systolic.rowz" in str(e.value)


HELLO_DEEPA = os.path.join(SOURCE, "tests", "data", "onnx", "real", "hello_deepa.onnx")


def test_an_onnx_model_simulates_as_the_command_line_prints():
    expected = cli("edge_npu", HELLO_DEEPA, "--json", "--set", "model.precision=int8")
    assert expected.returncode == 0, expected.stderr
    doc = catsim.simulate("edge_npu", HELLO_DEEPA, set=["model.precision=int8"])
    assert dumped(doc) == expected.stdout
    assert doc["resolved"]["model"]["onnx"]["sha256"] == "67ac357640e53b9d4713433a8ab48be4333f7cb21d6816406be7660ebe6d7614"
    with pytest.raises(catsim.Error, match="the graph has no symbolic dimension 'batch'"):
        catsim.simulate("edge_npu", HELLO_DEEPA, set=["model.dims.batch=2"])


def test_a_search_takes_an_onnx_model_as_any_model(tmp_path):
    model = tmp_path / "graph.yaml"
    model.write_text(json.dumps({"kind": "onnx", "file": HELLO_DEEPA, "precision": "int8"}))
    space = {"name": "onnx", "arch": "edge_npu", "model": str(model), "metric": "all-hw",
             "parameters": {"arch.systolic.rows": [8, 32]}, "optimizer": {"name": "grid"}, "workers": 1}
    front = catsim.search(space, out=str(tmp_path / "out"), progress=False)
    assert front["feasible"] == 2
    rows = list(catsim.sweep("edge_npu", str(model), vary={"arch.systolic.rows": [8, 32]}, progress=False))
    assert sorted(r["latency_s"] for r in rows) == sorted(
        catsim.simulate("edge_npu", str(model), set=[f"arch.systolic.rows={r}"])["latency_s"] for r in (8, 32))
