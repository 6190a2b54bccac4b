"""Each family of op mappings, exported and run in onnxruntime against glassgrad (two batch sizes)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.onnx.runtime import export_and_compare

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

RNG = np.random.default_rng(0)
IMAGES = RNG.standard_normal((2, 4, 9, 9)).astype(np.float32)   # (N, C, H, W)
SEQUENCE = RNG.standard_normal((3, 5, 8)).astype(np.float32)    # (N, T, C)
HEADS = RNG.standard_normal((2, 2, 5, 4)).astype(np.float32)    # (N, heads, T, E)
CAUSAL = np.tril(np.ones((5, 5), dtype=bool))


class Lambda(nn.Module):
    """A module whose forward is ``fn(self, *inputs)``, holding ``children`` as submodules."""

    def __init__(self, fn: Callable, *children: nn.Module) -> None:
        super().__init__()
        self.fn, self.children_ = fn, nn.ModuleList(children)

    def forward(self, *inputs: gg.Tensor) -> gg.Tensor:
        return self.fn(self, *inputs)


def _layers() -> dict[str, tuple[nn.Module, np.ndarray]]:
    gg.manual_seed(0)
    return {
        "conv, transposed conv, batchnorm, pooling": (nn.Sequential(
            nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1), nn.BatchNorm2d(6), nn.AvgPool2d(2),
            nn.Conv2d(6, 4, 3, stride=2, padding=1, groups=2), nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
        ), IMAGES),
        "groupnorm and activations": (nn.Sequential(
            nn.GroupNorm(2, 4), nn.LeakyReLU(0.1), nn.ELU(), nn.SELU(), nn.GELU(approximate="tanh"), nn.SiLU(),
            nn.Softplus(beta=2.0), nn.Mish(), nn.Hardswish(), nn.Hardsigmoid(), nn.Hardtanh(-0.5, 0.5), nn.GELU(),
        ), IMAGES),
        "layernorm without affine": (nn.LayerNorm(8, elementwise_affine=False), SEQUENCE),
        "conv1d": (nn.Conv1d(5, 3, 3, padding=1), SEQUENCE),
        "bilinear upsampling": (nn.Upsample(scale_factor=2, mode="bilinear"), IMAGES),
        "slicing, cat, permute, flatten": (Lambda(lambda s, x: gg.cat([x[:, 1:4, ::2], x[:, :3, 1::2]], 1)
                                                  .permute(0, 2, 1).flatten(1)[:, None, 2:] * 2 + 1), SEQUENCE),
        "integer and tensor indexing": (Lambda(lambda s, x: x[:, -1] - x[:, 0, 3:5].sum(-1, keepdim=True)
                                               + x[:, [0, 2, 4]].mean(1)), SEQUENCE),
        "gather, index_select, masked_fill": (Lambda(lambda s, x: x.gather(2, gg.tensor(np.zeros((1, 5, 2), np.int64))
                                                                       .expand(x.shape[0], 5, 2))
                                                      + x.index_select(2, gg.tensor([1, 3]))
                                                      + x[:, :, :5].masked_fill(gg.tensor(CAUSAL), -1.0)[:, :, :2]),
                                               SEQUENCE),
        "einsum, normalize, repeat, pow": (Lambda(lambda s, x: gg.einsum("btc,bsc->bts", x, x)
                                                  + F.normalize(x, dim=2).repeat(1, 1, 1)[:, :, :5]
                                                  + 2.0 ** x[:, :, :5] + gg.log2(x[:, :, :5].abs() + 1)), SEQUENCE),
        "padding": (Lambda(lambda s, x: F.pad(x, (1, 2, 0, 1), value=0.5)), SEQUENCE),
        "reductions": (Lambda(lambda s, x: x.mean(1) + x.amax(1) - x.var(1) + x.std(2, keepdim=True)[:, 0]
                              + gg.logsumexp(x, 1) + x.max(1)[0] + x.min(1).values + x.sum(1)), SEQUENCE),
        "softmax and log_softmax": (Lambda(lambda s, x: F.softmax(x, -1) + F.log_softmax(x, 1)), SEQUENCE),
        "pointwise math": (Lambda(lambda s, x: gg.exp(x).sqrt() + x.abs().log1p() + gg.sin(x) * gg.cos(x)
                                  + x.clamp(-0.5, 0.5) + x ** 3 + gg.maximum(x, x * 0.5) + x.tanh().sigmoid().rsqrt()
                                  - x / (x.abs() + 1)), SEQUENCE),
        "clamp with tensor bounds": (Lambda(lambda s, x: x.clamp(x.mean(2, keepdim=True), x.amax(1, keepdim=True))
                                            + x.clamp(max=x * 0.5)), SEQUENCE),
        "cumsum, tril, flip": (Lambda(lambda s, x: x[:, :, :5].cumsum(1) + x[:, :5, :5].tril() + x[:, :5, :5].flip(2)),
                               SEQUENCE),
        "attention with a bool mask": (Lambda(lambda s, x: F.scaled_dot_product_attention(
            x, x * 2, x + 1, attn_mask=gg.tensor(CAUSAL))), HEADS),
        "attention with a float mask": (Lambda(lambda s, x: F.scaled_dot_product_attention(
            x, x * 2, x + 1, attn_mask=gg.tensor(np.where(CAUSAL, 0.0, -1.0).astype(np.float32)))), HEADS),
        "causal attention": (Lambda(lambda s, x: F.scaled_dot_product_attention(x, x, x, is_causal=True)), HEADS),
        "transformer encoder layer": (nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True), SEQUENCE),
        "transformer (encoder and decoder)": (Lambda(lambda s, x: s.children_[0](x, x[:, :3] * 0.5),
                                                     nn.Transformer(8, 2, 1, 1, 16, batch_first=True)), SEQUENCE),
        "nearest upsampling": (nn.Upsample(scale_factor=2, mode="nearest"), IMAGES),
        "stack and split": (Lambda(lambda s, x: gg.stack(gg.split(x, 4, 2), 1).sum(1)), SEQUENCE),
        "multihead attention": (Lambda(lambda s, x: s.children_[0](x, x, x)[0],
                                       nn.MultiheadAttention(8, 2, batch_first=True)), SEQUENCE),
        "gru, batch first": (nn.GRU(8, 6, 2, batch_first=True), SEQUENCE),
        "rnn relu, batch first": (nn.RNN(8, 6, nonlinearity="relu", batch_first=True), SEQUENCE),
        "lstm, batch first": (nn.LSTM(8, 6, batch_first=True), SEQUENCE),
    }


LAYERS = _layers()


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_family_runs_in_onnxruntime(name, tmp_path):
    model, x = LAYERS[name]
    export_and_compare(model, [x], tmp_path / "model.onnx", batch_sizes=[x.shape[0], x.shape[0] + 2])


def test_time_major_lstm_with_a_given_state(tmp_path):
    """Batch on axis 1 (time-major) and an initial (h, c) passed in: three inputs, one dynamic axis each."""
    lstm = nn.LSTM(8, 6, 2)
    x = SEQUENCE.transpose(1, 0, 2).copy()  # (T, B, C)
    h0 = RNG.standard_normal((2, 3, 6)).astype(np.float32)
    c0 = RNG.standard_normal((2, 3, 6)).astype(np.float32)
    model = Lambda(lambda s, x, h, c: s.children_[0](x, (h, c)), lstm)
    axes = {"x": {1: "batch"}, "h": {1: "batch"}, "c": {1: "batch"}}
    path = tmp_path / "lstm.onnx"
    gg.onnx.export(model, (gg.tensor(x), gg.tensor(h0), gg.tensor(c0)), path, input_names=["x", "h", "c"],
                   dynamic_axes=axes)
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for batch in (3, 1):
        feeds = {"x": x[:, :batch], "h": h0[:, :batch], "c": c0[:, :batch]}
        with gg.no_grad():
            out, (h, c) = model(*(gg.tensor(v) for v in feeds.values()))
        for got, expected in zip(session.run(None, feeds), (out, h, c)):
            np.testing.assert_allclose(got, expected.numpy(), atol=1e-5, rtol=0)


def test_embedding_and_one_hot_read_the_ids_input(tmp_path):
    model = Lambda(lambda s, ids: s.children_[0](ids) + gg.one_hot(ids, 10) @ gg.ones(10, 3), nn.Embedding(10, 3))
    ids = RNG.integers(0, 10, (2, 4))
    export_and_compare(model, [ids], tmp_path / "emb.onnx", batch_sizes=[2, 5])


def test_static_export_without_dynamic_axes(tmp_path):
    model = nn.Sequential(nn.Linear(8, 4), nn.Tanh())
    export_and_compare(model, [SEQUENCE], tmp_path / "static.onnx", dynamic=False)


def test_batchnorm_running_statistics_keep_their_state_dict_names():
    model = nn.Sequential(nn.Conv2d(4, 2, 3), nn.BatchNorm2d(2)).eval()
    proto = gg.onnx.export(model, gg.tensor(IMAGES), None)
    names = {i.name for i in proto.graph.initializer}
    assert {"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"} <= names
