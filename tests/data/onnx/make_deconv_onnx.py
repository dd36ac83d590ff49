#!/usr/bin/env python3
"""Writes ConvTranspose graphs over the attributes that shape their output (strides, pads, output_padding,
dilations, group, auto_pad, output_shape, 1-D and 2-D) into OUTDIR, and prints one line per graph:
its name, its output's element count from ONNX's own shape inference, and its MACs (every input element
times the filters it feeds: w[1] x kernel elements): the reference the importer is checked against.

Usage: make_deconv_onnx.py OUTDIR"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper, numpy_helper, shape_inference

from graph_io import save

CASES = {  # name: (input shape, filter shape, attributes)
    "stride2_pad1": ([1, 8, 16, 16], [8, 4, 4, 4], dict(strides=[2, 2], pads=[1, 1, 1, 1])),
    "output_padding": ([2, 4, 15, 15], [4, 4, 3, 3], dict(strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1])),
    "dilated": ([1, 4, 9, 7], [4, 2, 3, 3], dict(dilations=[2, 2])),
    "grouped": ([1, 8, 6, 6], [8, 3, 3, 3], dict(group=2, strides=[2, 2])),
    "same_upper": ([1, 4, 5, 5], [4, 4, 3, 3], dict(strides=[2, 2], auto_pad="SAME_UPPER")),
    "output_shape": ([1, 4, 16, 16], [4, 2, 3, 3], dict(strides=[2, 2], output_shape=[33, 33])),
    "one_d": ([1, 4, 10], [4, 2, 5], dict(strides=[3])),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (x, w, attrs) in CASES.items():
        weights = numpy_helper.from_array(np.ones(w, np.float32), "w")
        node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], **attrs)
        graph = helper.make_graph([node], name, [helper.make_tensor_value_info("x", T.FLOAT, x)],
                                  [helper.make_tensor_value_info("y", T.FLOAT, [None] * len(x))], [weights])
        path = os.path.join(out, name + ".onnx")
        save(graph, path)
        inferred = shape_inference.infer_shapes(onnx.load(path)).graph.output[0].type.tensor_type.shape
        dims = [d.dim_value for d in inferred.dim]
        assert all(d > 0 for d in dims), (name, dims)
        print(name, int(np.prod(dims)), int(np.prod(x)) * int(np.prod(w[1:])))


if __name__ == "__main__":
    main()
