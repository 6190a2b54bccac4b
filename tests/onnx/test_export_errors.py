"""What export refuses, and how: an unmapped op names itself and writes nothing; bad arguments say why."""

from __future__ import annotations

import io

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.onnx import UnsupportedOperatorError

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")


class Rolled(nn.Module):
    def forward(self, x: gg.Tensor) -> gg.Tensor:
        return gg.roll(x, 1, 1) * 2  # Roll has no ONNX mapping


def test_unmapped_op_names_the_op_and_module_and_writes_nothing(tmp_path):
    model = nn.Sequential(nn.Linear(4, 4), Rolled(), nn.ReLU())
    target = tmp_path / "model.onnx"
    with pytest.raises(UnsupportedOperatorError, match=r"op Roll \(in module '1 \(Rolled\)'\).*nothing was written"):
        gg.onnx.export(model, gg.randn(2, 4), target)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_left_alone_on_failure(tmp_path):
    target = tmp_path / "model.onnx"
    target.write_bytes(b"old")
    with pytest.raises(UnsupportedOperatorError):
        gg.onnx.export(Rolled(), gg.randn(2, 4), target)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_training_mode_dropout_is_refused():
    class AlwaysDrop(nn.Module):
        def forward(self, x: gg.Tensor) -> gg.Tensor:
            return nn.functional.dropout(x, 0.5, training=True)

    with pytest.raises(UnsupportedOperatorError, match="Dropout in training mode"):
        gg.onnx.export(AlwaysDrop(), gg.randn(2, 4), io.BytesIO())


def test_torch_keywords_are_accepted_and_a_file_object_works():
    buffer = io.BytesIO()
    proto = gg.onnx.export(nn.Linear(3, 2), (gg.randn(1, 3),), buffer, export_params=True, verbose=False,
                           do_constant_folding=True, dynamo=False, opset_version=18)
    assert onnx.load_from_string(buffer.getvalue()) == proto
    assert proto.opset_import[0].version == 18


def test_unknown_keyword_and_bad_opset_are_refused():
    with pytest.raises(TypeError, match="export_weights"):
        gg.onnx.export(nn.Linear(3, 2), gg.randn(1, 3), io.BytesIO(), export_weights=True)
    with pytest.raises(ValueError, match="opset_version 11"):
        gg.onnx.export(nn.Linear(3, 2), gg.randn(1, 3), io.BytesIO(), opset_version=11)


def test_dynamic_axes_must_name_an_input_or_output():
    with pytest.raises(ValueError, match="'images'"):
        gg.onnx.export(nn.Linear(3, 2), gg.randn(1, 3), io.BytesIO(), dynamic_axes={"images": [0]})


def test_a_dynamic_axis_must_exist():
    with pytest.raises(ValueError, match="dynamic axis 2 of input 'x'"):
        gg.onnx.export(nn.Linear(3, 2), gg.randn(1, 3), io.BytesIO(), input_names=["x"], dynamic_axes={"x": [2]})


def test_a_constant_that_depends_on_the_input_is_refused():
    class Sneaky(nn.Module):
        def forward(self, x: gg.Tensor) -> gg.Tensor:
            return x * gg.tensor(np.sign(x.numpy()) * np.arange(x.shape[0])[:, None])  # computed outside the graph

    with pytest.raises(RuntimeError, match="depends on the input"):
        gg.onnx.export(Sneaky(), gg.randn(3, 4), io.BytesIO(), input_names=["x"], dynamic_axes={"x": [0]})


def test_opset_18_reductions_take_axes_as_an_input(tmp_path):
    import onnxruntime

    model = nn.Sequential(nn.GroupNorm(2, 4), nn.Flatten())
    x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype(np.float32)
    path = tmp_path / "gn.onnx"
    gg.onnx.export(model, gg.tensor(x), path, opset_version=18, input_names=["x"], dynamic_axes={"x": [0]})
    got = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    np.testing.assert_allclose(got, model(gg.tensor(x)).detach().numpy(), atol=1e-5, rtol=0)
