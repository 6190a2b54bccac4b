"""draw_graph: text tree, Graphviz source and pictures, Value graphs, deep graphs."""

import sys

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.scalar import MLP as ScalarMLP
from glassgrad.scalar import Value
from glassgrad.viz import draw_graph
from glassgrad.viz import graph as graph_module


def _mlp_loss(rng):
    model = nn.Sequential(nn.Linear(3, 5, rng=rng), nn.Linear(5, 2, rng=rng))
    x = gg.tensor(rng.standard_normal((4, 3)).astype(np.float32))
    out = model[1](model[0](x).tanh())  # (4, 2)
    loss = (out * out).mean()
    return model, loss


def test_text_tree_of_an_mlp_names_ops_shapes_and_parameters(rng):
    model, loss = _mlp_loss(rng)
    text = draw_graph(loss, format="text", names=dict(model.named_parameters()))
    for op in ("Mean", "Mul", "Linear", "Tanh"):
        assert op in text
    for shape in ("(4, 3)", "(4, 5)", "(4, 2)", "(5, 3)", "(2, 5)", "(5,)", "(2,)", "()"):
        assert shape in text
    for name in ("0.weight", "0.bias", "1.weight", "1.bias"):
        assert f"param: {name}" in text
    assert "float32" in text
    assert text.splitlines()[0].startswith("#0 Mean")
    assert "(above)" in text  # `out` feeds Mul twice: printed once, then referred to


def test_text_tree_shows_gradients_after_backward_with_retain_graph(rng):
    model, loss = _mlp_loss(rng)
    assert "grad=" not in draw_graph(loss, format="text")
    loss.backward(retain_graph=True)
    text = draw_graph(loss, format="text")
    norm = np.linalg.norm(model[0].weight.grad.astype(np.float64))
    assert f"grad=|{norm:.4g}|" in text


def test_graph_after_plain_backward_says_inputs_were_freed(rng):
    _, loss = _mlp_loss(rng)
    loss.backward()
    text = draw_graph(loss, format="text")
    assert text.count("\n") == 1 and "inputs freed by backward" in text


def test_dot_source_has_one_op_node_per_recorded_op(rng):
    _, loss = _mlp_loss(rng)
    dot = draw_graph(loss, format="dot")
    assert dot.startswith("digraph")
    assert dot.count("shape=ellipse") == 5  # Linear, Tanh, Linear, Mul, Mean
    assert 'label="Tanh"' in dot


def test_value_graph(rng):
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = (a * b + a).tanh()
    c.backward()
    text = draw_graph(c, format="text")
    lines = text.splitlines()
    assert lines[0].startswith("#0 tanh")
    assert any("* ->" in line for line in lines) and any("+ ->" in line for line in lines)
    assert "leaf: a data=2" in text and "leaf: b data=-3" in text
    assert f"grad={a.grad:.4g}" in text
    mlp = ScalarMLP(2, [3, 1], rng=rng)
    out = mlp([0.5, -1.0])
    out = out[0] if isinstance(out, list) else out
    assert "tanh" in draw_graph(out, format="dot")


def test_deep_graph_has_no_recursion_error():
    x = gg.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    limit = sys.getrecursionlimit()
    assert limit < 5000 * 2
    text = draw_graph(y, format="text")
    assert text.count("Mul") == 5000
    assert "[depth 4992]" in text
    assert draw_graph(y, format="dot").count("shape=ellipse") == 5000
    v = Value(1.0)
    w = v
    for _ in range(5000):
        w = w * 1.0
    assert draw_graph(w, format="text").count("* ->") == 5000


def test_bad_format_and_bad_root():
    with pytest.raises(ValueError, match="format must be one of"):
        draw_graph(Value(1.0), format="jpeg")
    with pytest.raises(TypeError, match="expected a glassgrad Tensor or scalar Value"):
        draw_graph(3.0)


def test_without_graphviz_pictures_fall_back_to_text(rng, tmp_path, monkeypatch):
    _, loss = _mlp_loss(rng)
    monkeypatch.setattr(graph_module.shutil, "which", lambda name: None)
    text = draw_graph(loss, tmp_path / "g.svg")
    assert text.startswith("#0 Mean")
    assert (tmp_path / "g.txt").read_text() == text
    assert not (tmp_path / "g.svg").exists()


@pytest.mark.skipif(not graph_module.graphviz_available(), reason="Graphviz `dot` is not installed")
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_graphviz_picture(rng, tmp_path, fmt):
    model, loss = _mlp_loss(rng)
    path = draw_graph(loss, tmp_path / f"g.{fmt}", format=fmt, names=dict(model.named_parameters()))
    data = (tmp_path / f"g.{fmt}").read_bytes()
    assert path == str(tmp_path / f"g.{fmt}")
    if fmt == "svg":
        svg = data.decode()
        assert "<svg" in svg and "Linear" in svg and "0.weight" in svg and "(4, 5)" in svg
    else:
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
