"""Draw an ONNX file's graph as a PNG with graphviz ``dot`` (a stand-in for a Netron screenshot).

    python docs/figures/interop/render_onnx_graph.py runs/mnist-cnn/model.onnx docs/figures/interop/mnist_cnn_onnx.png

Boxes are nodes (op type, then its main attributes), ellipses the graph's inputs and outputs,
and each edge is labelled with the tensor's shape (from ONNX shape inference; ``batch`` is the
dynamic axis). Initializers (the weights) are listed inside the node that reads them, with
their shapes, as Netron shows them. Needs ``onnx`` and the graphviz ``dot`` program.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import onnx
from onnx import helper, shape_inference

SHOWN_ATTRIBUTES = ("kernel_shape", "strides", "pads", "axis", "perm", "hidden_size", "transB", "epsilon")


def shape_text(value_type: onnx.TypeProto) -> str:
    dims = value_type.tensor_type.shape.dim
    return "(" + ", ".join(d.dim_param or str(d.dim_value) for d in dims) + ")"


def node_label(node: onnx.NodeProto, weights: dict[str, onnx.TensorProto]) -> str:
    lines = [f"<B>{node.op_type}</B>"]
    for attr in node.attribute:
        if attr.name in SHOWN_ATTRIBUTES:
            lines.append(f"{attr.name} = {helper.get_attribute_value(attr)}")
    for name in node.input:
        if name in weights:
            lines.append(f"<I>{name}</I> {tuple(weights[name].dims)}")
    return "<" + "<BR/>".join(lines) + ">"


def to_dot(model: onnx.ModelProto) -> str:
    model = shape_inference.infer_shapes(model)
    graph = model.graph
    weights = {t.name: t for t in graph.initializer}
    shapes = {v.name: shape_text(v.type) for v in list(graph.value_info) + list(graph.input) + list(graph.output)}
    producer = {out: f"n{i}" for i, node in enumerate(graph.node) for out in node.output}
    lines = ["digraph onnx {", '  rankdir=TB; node [fontname="Helvetica", fontsize=11];',
             '  edge [fontname="Helvetica", fontsize=9, color="#555555"];']
    for value in graph.input:
        if value.name not in weights:
            lines.append(f'  "{value.name}" [shape=ellipse, style=filled, fillcolor="#dbe9f6", '
                         f'label="{value.name}\\n{shapes[value.name]}"];')
            producer[value.name] = value.name
    for i, node in enumerate(graph.node):
        colour = "#f6e3c8" if node.op_type in ("Conv", "Gemm", "MatMul", "LSTM", "GRU", "RNN") else "#eeeeee"
        lines.append(f'  n{i} [shape=box, style="rounded,filled", fillcolor="{colour}", '
                     f'label={node_label(node, weights)}];')
        for name in node.input:
            if name in producer:
                lines.append(f'  {producer[name]} -> n{i} [label=" {shapes.get(name, "")}"];'
                             if not name.startswith("input") else f'  "{name}" -> n{i};')
    for value in graph.output:
        lines.append(f'  "out_{value.name}" [shape=ellipse, style=filled, fillcolor="#dbf6e0", '
                     f'label="{value.name}\\n{shapes[value.name]}"];')
        lines.append(f'  {producer[value.name]} -> "out_{value.name}";')
    lines.append("}")
    return "\n".join(lines)


def main(source: str, target: str) -> None:
    dot = to_dot(onnx.load(source))
    subprocess.run(["dot", "-Tpng", "-Gdpi=110", "-o", target], input=dot.encode(), check=True)
    print(f"wrote {target}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: python {Path(__file__).name} MODEL.onnx OUT.png")
    main(sys.argv[1], sys.argv[2])
