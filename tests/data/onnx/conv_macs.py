#!/usr/bin/env python3
"""Prints the MACs of the Conv nodes of an ONNX graph whose first input is bound to the shape given
(e.g. 1x3x48x192), from ONNX's own shape inference: a reference the importer is checked against.

Usage: conv_macs.py MODEL.onnx SHAPE"""
import sys

import numpy as np
import onnx
from onnx import shape_inference

m = onnx.load(sys.argv[1])
dims = [int(x) for x in sys.argv[2].split('x')]
for d, v in zip(m.graph.input[0].type.tensor_type.shape.dim, dims):
    d.ClearField('dim_param'); d.dim_value = v
m2 = shape_inference.infer_shapes(m, data_prop=True)
shapes = {vi.name: [d.dim_value for d in vi.type.tensor_type.shape.dim] for vi in list(m2.graph.value_info) + list(m2.graph.input) + list(m2.graph.output)}
for n in m.graph.node:
    if n.op_type == 'Constant':
        shapes[n.output[0]] = list(n.attribute[0].t.dims)
for t in m.graph.initializer:
    shapes[t.name] = list(t.dims)
total = 0
for n in m.graph.node:
    if n.op_type == 'Conv':
        w = shapes[n.input[1]]
        total += int(np.prod(shapes[n.output[0]])) * int(np.prod(w[1:]))
print(total)
