#!/usr/bin/env python3
"""Writes attention written with Einsum (as some exporters and hand-written models do) plus a Pad and a
nearest Resize: x (2x16x64) projected by a stored weight ("bsh,hd->bsd"), scores "bqd,bkd->bqk", softmax,
"bqk,bkd->bqd"; then the 16x64 result padded by 2 rows on each side and upsampled 2x in both dimensions.

Usage: make_einsum_onnx.py OUT.onnx"""
import sys

import numpy as np
from onnx import TensorProto as T, helper, numpy_helper

from graph_io import save


def main():
    rng = np.random.default_rng(5)
    inits = [numpy_helper.from_array(rng.standard_normal((64, 64)).astype(np.float32), "w"),
             numpy_helper.from_array(np.array([0, 2, 0, 0, 2, 0], np.int64), "pads"),
             numpy_helper.from_array(np.array([1.0, 2.0, 2.0], np.float32), "scales")]
    nodes = [
        helper.make_node("Einsum", ["x", "w"], ["q"], equation="bsh,hd->bsd", name="project"),
        helper.make_node("Einsum", ["q", "x"], ["s"], equation="bqd,bkd->bqk", name="scores"),
        helper.make_node("Softmax", ["s"], ["p"], axis=-1, name="softmax"),
        helper.make_node("Einsum", ["p", "x"], ["o"], equation="bqk,bkd->bqd", name="mix"),
        helper.make_node("Pad", ["o", "pads"], ["padded"], name="pad"),
        helper.make_node("Resize", ["padded", "", "scales"], ["up"], mode="nearest", name="resize"),
    ]
    graph = helper.make_graph(nodes, "einsum_attention", [helper.make_tensor_value_info("x", T.FLOAT, [2, 16, 64])],
                              [helper.make_tensor_value_info("up", T.FLOAT, [2, 40, 128])], inits)
    save(graph, sys.argv[1])


if __name__ == "__main__":
    main()
