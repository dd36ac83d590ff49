#!/usr/bin/env python3
"""Writes a BERT encoder (BertModel: embeddings, L layers, pooler) as an ONNX graph in the style of
HuggingFace's PyTorch export: LayerNorm written out as ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add,
erf-GELU as Div/Erf/Add/Mul/Mul, head reshapes computed from Shape/Slice/Concat, position and token-type
ids sliced from stored buffers, symbolic `batch` and `sequence` dimensions, opset 13.

Usage: make_bert_onnx.py OUT.onnx [--layers L --hidden H --heads A --ffn F --vocab V --positions P]"""
import argparse

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from graph_io import save


class Graph:
    def __init__(self, seed):
        self.nodes, self.inits, self.rng, self.n = [], [], np.random.default_rng(seed), 0

    def name(self, base):
        self.n += 1
        return f"{base}_{self.n}"

    def const(self, array, base="c"):
        t = numpy_helper.from_array(np.asarray(array), self.name(base))
        self.inits.append(t)
        return t.name

    def weight(self, shape, base):
        return self.const(self.rng.standard_normal(shape).astype(np.float32) * 0.02, base)

    def op(self, op_type, inputs, base=None, outputs=1, **attrs):
        name = self.name(base or op_type)
        outs = [f"{name}_out{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=name, **attrs))
        return outs[0] if outputs == 1 else outs

    def layernorm(self, x, hidden, base):
        mean = self.op("ReduceMean", [x], f"{base}/ReduceMean", axes=[-1])
        centered = self.op("Sub", [x, mean], f"{base}/Sub")
        sq = self.op("Pow", [centered, self.const(np.float32(2.0))], f"{base}/Pow")
        var = self.op("ReduceMean", [sq], f"{base}/ReduceMean_1", axes=[-1])
        eps = self.op("Add", [var, self.const(np.float32(1e-12))], f"{base}/Add")
        std = self.op("Sqrt", [eps], f"{base}/Sqrt")
        normed = self.op("Div", [centered, std], f"{base}/Div")
        scaled = self.op("Mul", [normed, self.const(np.ones(hidden, np.float32), "gamma")], f"{base}/Mul")
        return self.op("Add", [scaled, self.const(np.zeros(hidden, np.float32), "beta")], f"{base}/Add_1")

    def linear(self, x, n_in, n_out, base, bias_first=True):
        y = self.op("MatMul", [x, self.weight((n_in, n_out), "weight")], f"{base}/MatMul")
        b = self.const(np.zeros(n_out, np.float32), "bias")
        return self.op("Add", [b, y] if bias_first else [y, b], f"{base}/Add")

    def split_heads(self, x, heads, head_dim, perm, base):
        shape = self.op("Shape", [x], f"{base}/Shape")
        lead = self.op("Slice", [shape, self.const(np.array([0], np.int64)), self.const(np.array([2], np.int64)),
                                 self.const(np.array([0], np.int64))], f"{base}/Slice")
        target = self.op("Concat", [lead, self.const(np.array([heads, head_dim], np.int64))], f"{base}/Concat", axis=0)
        return self.op("Transpose", [self.op("Reshape", [x, target], f"{base}/Reshape")], f"{base}/Transpose", perm=perm)

    def gelu(self, x, base):
        d = self.op("Div", [x, self.const(np.float32(1.4142135))], f"{base}/Div")
        e = self.op("Erf", [d], f"{base}/Erf")
        a = self.op("Add", [e, self.const(np.float32(1.0))], f"{base}/Add")
        m = self.op("Mul", [x, a], f"{base}/Mul")
        return self.op("Mul", [m, self.const(np.float32(0.5))], f"{base}/Mul_1")


def build(args):
    g = Graph(args.seed)
    H, A, F = args.hidden, args.heads, args.ffn
    dh = H // A
    ids = "input_ids"
    # Embeddings: word rows gathered by the ids; position and token-type rows from stored buffers.
    shape = g.op("Shape", [ids], "embeddings/Shape")
    seq = g.op("Gather", [shape, g.const(np.int64(1))], "embeddings/Gather", axis=0)
    seq1 = g.op("Unsqueeze", [seq, g.const(np.array([0], np.int64))], "embeddings/Unsqueeze")
    zero, one = g.const(np.array([0], np.int64)), g.const(np.array([1], np.int64))
    pos_ids = g.op("Slice", [g.const(np.arange(args.positions, dtype=np.int64)[None, :], "position_ids"), zero, seq1, one],
                   "embeddings/Slice")
    tt_ids = g.op("Expand", [g.op("Slice", [g.const(np.zeros((1, args.positions), np.int64), "token_type_ids"), zero,
                                             seq1, one], "embeddings/Slice_1"), shape], "embeddings/Expand")
    x = g.op("Gather", [g.weight((args.vocab, H), "word_embeddings"), ids], "embeddings/word_embeddings/Gather")
    x = g.op("Add", [x, g.op("Gather", [g.weight((2, H), "token_type_embeddings"), tt_ids],
                             "embeddings/token_type_embeddings/Gather")], "embeddings/Add")
    x = g.op("Add", [x, g.op("Gather", [g.weight((args.positions, H), "position_embeddings"), pos_ids],
                             "embeddings/position_embeddings/Gather")], "embeddings/Add_1")
    x = g.layernorm(x, H, "embeddings/LayerNorm")
    for l in range(args.layers):
        p = f"encoder/layer.{l}"
        q = g.split_heads(g.linear(x, H, H, f"{p}/attention/self/query"), A, dh, [0, 2, 1, 3], f"{p}/q")
        k = g.split_heads(g.linear(x, H, H, f"{p}/attention/self/key", bias_first=False), A, dh, [0, 2, 3, 1], f"{p}/k")
        v = g.split_heads(g.linear(x, H, H, f"{p}/attention/self/value"), A, dh, [0, 2, 1, 3], f"{p}/v")
        scores = g.op("MatMul", [q, k], f"{p}/attention/self/MatMul")
        scores = g.op("Div", [scores, g.const(np.float32(np.sqrt(dh)))], f"{p}/attention/self/Div")
        probs = g.op("Softmax", [scores], f"{p}/attention/self/Softmax", axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v], f"{p}/attention/self/MatMul_1")],
                   f"{p}/attention/self/Transpose", perm=[0, 2, 1, 3])
        cshape = g.op("Shape", [ctx], f"{p}/attention/self/Shape")
        lead = g.op("Slice", [cshape, zero, g.const(np.array([2], np.int64)), zero], f"{p}/attention/self/Slice")
        merged = g.op("Reshape", [ctx, g.op("Concat", [lead, g.const(np.array([H], np.int64))],
                                            f"{p}/attention/self/Concat", axis=0)], f"{p}/attention/self/Reshape")
        o = g.linear(merged, H, H, f"{p}/attention/output/dense")
        x = g.layernorm(g.op("Add", [o, x], f"{p}/attention/output/Add"), H, f"{p}/attention/output/LayerNorm")
        up = g.linear(x, H, F, f"{p}/intermediate/dense")
        down = g.linear(g.gelu(up, f"{p}/intermediate/gelu"), F, H, f"{p}/output/dense")
        x = g.layernorm(g.op("Add", [down, x], f"{p}/output/Add"), H, f"{p}/output/LayerNorm")
    first = g.op("Gather", [x, g.const(np.int64(0))], "pooler/Gather", axis=1)
    pooled = g.op("Gemm", [first, g.weight((H, H), "pooler.dense.weight"), g.const(np.zeros(H, np.float32), "bias")],
                  "pooler/dense/Gemm", transB=1)
    out = g.op("Tanh", [pooled], "pooler/activation/Tanh")
    graph = helper.make_graph(
        g.nodes, "bert_encoder",
        [helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["batch", "sequence", H]),
         helper.make_tensor_value_info(out, TensorProto.FLOAT, ["batch", H])],
        g.inits)
    return graph


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    for key, default in [("layers", 2), ("hidden", 64), ("heads", 4), ("ffn", 256), ("vocab", 512), ("positions", 128),
                         ("seed", 1)]:
        ap.add_argument(f"--{key}", type=int, default=default)
    args = ap.parse_args()
    save(build(args), args.out)


if __name__ == "__main__":
    main()
