#!/usr/bin/env python3
"""Writes small ONNX graphs at the importer's edges (a review of the importer named each): folds that
overflow or divide by zero, huge attributes, a channels-first LayerNorm, a Concat feeding a MatMul, an input
with no shape, a LayerNormalization whose mean output is read. One file per case in OUTDIR.

Usage: make_edge_onnx.py OUTDIR"""
import os
import sys

import numpy as np
from onnx import TensorProto as T, helper, numpy_helper

from graph_io import save


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def graph(name, nodes, inputs, outputs, inits):
    return helper.make_graph(nodes, name, inputs, outputs, inits)


def x_input(shape, name="x"):
    return helper.make_tensor_value_info(name, T.FLOAT, shape)


def y_output(name="y"):
    return helper.make_tensor_value_info(name, T.FLOAT, ["n"])


def cases():
    # A float Range (torch.arange(dtype=float)) whose length ONNX's inference knows but whose values are not ints.
    yield "float_range", graph("float_range", [
        helper.make_node("Range", ["s", "l", "d"], ["r"]),
        helper.make_node("Add", ["x", "r"], ["y"])],
        [x_input([4])], [y_output()], [const("s", np.float32(0)), const("l", np.float32(4)), const("d", np.float32(1))])
    # INT64_MIN / -1 in shape arithmetic.
    yield "div_overflow", graph("div_overflow", [
        helper.make_node("Div", ["a", "b"], ["q"]),
        helper.make_node("Reshape", ["x", "q"], ["y"])],
        [x_input([4])], [y_output()], [const("a", np.array([-2**63], np.int64)), const("b", np.array([-1], np.int64))])
    # A blocksize whose square wraps to 0 in 64 bits.
    yield "huge_blocksize", graph("huge_blocksize", [
        helper.make_node("DepthToSpace", ["x"], ["y"], blocksize=2**32)], [x_input([1, 4, 2, 2])], [y_output()], [])
    # ConvNeXt's channels-first LayerNorm: the mean and variance over axis 1 of NCHW.
    nodes = [helper.make_node("ReduceMean", ["x"], ["u"], axes=[1]),
             helper.make_node("Sub", ["x", "u"], ["c"]),
             helper.make_node("Pow", ["c", "two"], ["c2"]),
             helper.make_node("ReduceMean", ["c2"], ["v"], axes=[1]),
             helper.make_node("Add", ["v", "eps"], ["ve"]),
             helper.make_node("Sqrt", ["ve"], ["sd"]),
             helper.make_node("Div", ["c", "sd"], ["y"])]
    yield "channels_first_layernorm", graph("channels_first_layernorm", nodes, [x_input([1, 32, 8, 8])], [y_output()],
                                            [const("two", np.float32(2)), const("eps", np.float32(1e-6))])
    # Two branches concatenated, then a weight GEMM: it must wait for both.
    yield "concat_matmul", graph("concat_matmul", [
        helper.make_node("Relu", ["x"], ["a"]),
        helper.make_node("Tanh", ["x"], ["b"]),
        helper.make_node("Concat", ["a", "b"], ["ab"], axis=1),
        helper.make_node("MatMul", ["ab", "w"], ["y"])],
        [x_input([16, 32])], [y_output()], [const("w", np.ones((64, 8), np.float32))])
    # A transpose between two GEMMs (token mixing): row r of the second is column r of the first, so the
    # second GEMM must wait for all of the first, though both have 128 rows.
    yield "transpose_between_matmuls", graph("transpose_between_matmuls", [
        helper.make_node("MatMul", ["x", "w1"], ["h"]),
        helper.make_node("Transpose", ["h"], ["ht"], perm=[1, 0]),
        helper.make_node("MatMul", ["ht", "w2"], ["y"])],
        [x_input([128, 256])], [y_output()],
        [const("w1", np.ones((256, 128), np.float32)), const("w2", np.ones((128, 64), np.float32))])
    # A graph input with no shape at all: it must be bound.
    yield "shapeless_input", graph("shapeless_input", [helper.make_node("Relu", ["x"], ["y"])],
                                   [helper.make_tensor_value_info("x", T.FLOAT, None)], [y_output()], [])
    # MaxPool's indices output read by a later node.
    yield "maxpool_indices", graph("maxpool_indices", [
        helper.make_node("MaxPool", ["x"], ["p", "i"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Cast", ["i"], ["f"], to=T.FLOAT),
        helper.make_node("Add", ["p", "f"], ["y"])],
        [x_input([1, 2, 4, 4])], [y_output()], [])
    yield "mixed_precision", mixed_precision()


def mixed_precision():
    """fp32 in, an fp16 GEMM (Cast in, fp16 weights), a dynamically quantized int8 GEMM, fp32 out."""
    nodes = [helper.make_node("Cast", ["x"], ["x16"], to=T.FLOAT16),
             helper.make_node("MatMul", ["x16", "w16"], ["h16"]),
             helper.make_node("Cast", ["h16"], ["h"], to=T.FLOAT),
             helper.make_node("DynamicQuantizeLinear", ["h"], ["hq", "h_scale", "h_zp"]),
             helper.make_node("MatMulInteger", ["hq", "w8"], ["acc"]),
             helper.make_node("Cast", ["acc"], ["acc_f"], to=T.FLOAT),
             helper.make_node("Mul", ["acc_f", "h_scale"], ["y"])]
    return graph("mixed_precision", nodes, [x_input([16, 64])], [y_output()],
                 [const("w16", np.ones((64, 32), np.float16)), const("w8", np.ones((32, 8), np.uint8))])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, g in cases():
        save(g, os.path.join(out, name + ".onnx"), check=name != "shapeless_input")  # ONNX's checker refuses it


if __name__ == "__main__":
    main()
