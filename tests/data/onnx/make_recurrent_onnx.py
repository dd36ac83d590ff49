#!/usr/bin/env python3
"""Writes small ONNX graphs with recurrent cells and control flow: LSTM (bidirectional, peepholes, an
initial state computed in the run), GRU (both reset placements), RNN with a ReLU cell, an If decided by
an input's bound dimension, an If decided by the run's data, a Loop, comparisons and Where on computed data.
One file per case in OUTDIR.

Usage: make_recurrent_onnx.py OUTDIR"""
import os
import sys

import numpy as np
from onnx import TensorProto as T, helper, numpy_helper

from graph_io import save

STEPS, BATCH, INPUT, HIDDEN = 5, 2, 16, 8


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.asarray(values, np.int64), name)


def value(name, shape, elem=T.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def recurrent(op, gates, directions, **attrs):
    """X [STEPS, BATCH, INPUT] -> op -> Y_h read by a Relu (a consumer of the last state)."""
    steps = attrs.pop("steps", STEPS)
    w = const("w", np.ones((directions, gates * HIDDEN, INPUT)))
    r = const("r", np.ones((directions, gates * HIDDEN, HIDDEN)))
    b = const("b", np.ones((directions, 2 * gates * HIDDEN)))
    inputs, inits = ["x", "w", "r", "b"], [w, r, b]
    nodes = []
    if attrs.pop("initial_state", False):  # h0 = tanh(h_in): a state computed in the run
        nodes.append(helper.make_node("Tanh", ["h_in"], ["h0"]))
        inputs += ["", "h0"]
    if attrs.pop("peepholes", False):
        inputs += ["", "", "p"] if len(inputs) == 4 else ["", "p"]
        inits.append(const("p", np.ones((directions, 3 * HIDDEN))))
    direction = "bidirectional" if directions == 2 else "forward"
    nodes.append(helper.make_node(op, inputs, ["y", "y_h"], hidden_size=HIDDEN, direction=direction, **attrs))
    nodes.append(helper.make_node("Relu", ["y_h"], ["out"]))
    graph_inputs = [value("x", [steps, BATCH, INPUT])]
    if "h0" in inputs:
        graph_inputs.append(value("h_in", [directions, BATCH, HIDDEN]))
    return helper.make_graph(nodes, op.lower(), graph_inputs, [value("out", [None] * 3)], inits)


def if_on(condition_nodes, condition, name):
    """y = If(condition) then x·W_then (16 -> 32) else x·W_else (16 -> 64), for x [n, 16]."""
    then_graph = helper.make_graph([helper.make_node("MatMul", ["x", "w_then"], ["t"])], "then", [], [value("t", [None] * 2)],
                                   [const("w_then", np.ones((16, 32)))])
    else_graph = helper.make_graph([helper.make_node("MatMul", ["x", "w_else"], ["e"])], "else", [], [value("e", [None] * 2)],
                                   [const("w_else", np.ones((16, 64)))])
    nodes = condition_nodes + [helper.make_node("If", [condition], ["y"], then_branch=then_graph, else_branch=else_graph)]
    return helper.make_graph(nodes, name, [value("x", ["n", 16])], [value("y", [None] * 2)], [ints("zero", [0]), ints("one", 1)])


def cases():
    yield "lstm_bidirectional", recurrent("LSTM", 4, 2, peepholes=True, initial_state=True)
    yield "gru", recurrent("GRU", 3, 1)
    yield "gru_linear_before_reset", recurrent("GRU", 3, 1, linear_before_reset=1)
    yield "rnn_relu", recurrent("RNN", 1, 1, activations=["Relu"])
    yield "rnn_softsign", recurrent("RNN", 1, 1, activations=["Softsign"])
    yield "rnn_steps", recurrent("RNN", 1, 2, steps="steps")  # bidirectional, steps bound by model.dims.steps
    # The rank check exporters write: Shape -> Gather -> Equal(1) -> Not -> Cast(bool) -> If.
    yield "if_on_shape", if_on([
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["n1"]),
        helper.make_node("Squeeze", ["n1"], ["n"]),
        helper.make_node("Equal", ["n", "one"], ["is_one"]),
        helper.make_node("Not", ["is_one"], ["not_one"]),
        helper.make_node("Cast", ["not_one"], ["c"], to=T.BOOL)], "c", "if_on_shape")
    # A condition stored as a boolean constant, Xor-ed with a folded false: the else branch.
    yield "if_on_bool_constant", if_on([
        helper.make_node("Constant", [], ["stored"], value=helper.make_tensor("stored", T.BOOL, [], [True])),
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["n1"]),
        helper.make_node("Squeeze", ["n1"], ["n"]),
        helper.make_node("Equal", ["n", "n"], ["same"]),
        helper.make_node("Xor", ["stored", "same"], ["c"])], "c", "if_on_bool_constant")
    # A condition on the data: which branch runs is known only in the run.
    yield "if_on_data", if_on([
        helper.make_node("ReduceSum", ["x"], ["total"], keepdims=0),
        helper.make_node("Greater", ["total", "zero_f"], ["c"])], "c", "if_on_data")
    # A Loop: refused, named.
    body = helper.make_graph([helper.make_node("Identity", ["cond_in"], ["cond_out"]),
                              helper.make_node("Relu", ["v_in"], ["v_out"])], "body",
                             [value("i", [], T.INT64), value("cond_in", [], T.BOOL), value("v_in", [None] * 2)],
                             [value("cond_out", [], T.BOOL), value("v_out", [None] * 2)])
    yield "loop", helper.make_graph([helper.make_node("Loop", ["trip", "", "x"], ["y"], body=body)], "loop",
                                    [value("x", [4, 16])], [value("y", [None] * 2)], [ints("trip", 3)])
    # Comparisons, Where, Neg and Max on computed data: |x| written out, then max(|x|, 1).
    yield "compare_where", helper.make_graph([
        helper.make_node("Relu", ["x"], ["r"]),
        helper.make_node("Greater", ["r", "zero_f"], ["positive"]),
        helper.make_node("Neg", ["r"], ["negated"]),
        helper.make_node("Where", ["positive", "r", "negated"], ["magnitude"]),
        helper.make_node("Max", ["magnitude", "one_f"], ["y"])], "compare_where",
        [value("x", [4, 16])], [value("y", [None] * 2)], [const("zero_f", 0.0), const("one_f", 1.0)])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, g in cases():
        if name == "if_on_data":
            g.initializer.append(const("zero_f", 0.0))
        save(g, os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
