"""Shared by the test-graph writers: a graph made into an opset-13, IR-7 model (what Debian's ONNX 1.12
and catsim read), checked by ONNX's checker and saved."""
import onnx
from onnx import helper


def save(graph, path, check=True):
    model = helper.make_model(graph, producer_name="catsim-tests", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    if check:
        onnx.checker.check_model(model)
    onnx.save(model, path)
