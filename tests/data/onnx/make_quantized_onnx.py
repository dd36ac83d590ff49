#!/usr/bin/env python3
"""Writes a small quantized graph in the two styles ONNX Runtime's quantizer produces: dynamic
(DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul by the scales) and QDQ-to-QLinear
(QuantizeLinear -> QLinearMatMul -> DequantizeLinear), then a Softmax. Tokens 16, width 64 -> 32 -> 48.

Usage: make_quantized_onnx.py OUT.onnx"""
import sys

import numpy as np
from onnx import TensorProto as T, helper, numpy_helper

from graph_io import save


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def main():
    rng = np.random.default_rng(3)
    inits = [
        const("w1", rng.integers(-128, 127, (64, 32), dtype=np.int8)), const("w1_zp", np.int8(0)),
        const("w1_scale", np.float32(0.02)),
        const("s", np.float32(0.05)), const("zp", np.uint8(128)),
        const("w2", rng.integers(0, 255, (32, 48), dtype=np.uint8)), const("w2_scale", np.float32(0.01)),
        const("w2_zp", np.uint8(128)), const("y_scale", np.float32(0.1)), const("y_zp", np.uint8(128)),
    ]
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "x_scale", "x_zp"], name="quantize_x"),
        helper.make_node("MatMulInteger", ["xq", "w1", "x_zp", "w1_zp"], ["acc"], name="fc1"),
        helper.make_node("Cast", ["acc"], ["acc_f"], to=T.FLOAT, name="cast"),
        helper.make_node("Mul", ["x_scale", "w1_scale"], ["scale"], name="scale"),
        helper.make_node("Mul", ["acc_f", "scale"], ["h"], name="rescale"),
        helper.make_node("Relu", ["h"], ["hr"], name="relu"),
        helper.make_node("QuantizeLinear", ["hr", "s", "zp"], ["hq"], name="quantize_h"),
        helper.make_node("QLinearMatMul", ["hq", "s", "zp", "w2", "w2_scale", "w2_zp", "y_scale", "y_zp"], ["yq"],
                         name="fc2"),
        helper.make_node("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"], name="dequantize_y"),
        helper.make_node("Softmax", ["y"], ["p"], axis=-1, name="softmax"),
    ]
    graph = helper.make_graph(nodes, "quantized_mlp", [helper.make_tensor_value_info("x", T.FLOAT, [16, 64])],
                              [helper.make_tensor_value_info("p", T.FLOAT, [16, 48])], inits)
    save(graph, sys.argv[1])


if __name__ == "__main__":
    main()
