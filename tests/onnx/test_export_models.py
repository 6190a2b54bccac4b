"""The experiments' models (mnist-mlp, mnist-cnn, char-lstm, char-gpt) exported to ONNX and run in
onnxruntime at the traced batch size and another one (the batch axis is dynamic)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import models, nn
from tests.onnx.runtime import export_and_compare

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")


class CharLSTM(nn.Module):
    """char-lstm's model: one-hot ids -> 2-layer LSTM (batch first) -> linear head; returns (logits, (h, c))."""

    def __init__(self, vocab_size: int, hidden: int, rng: np.random.Generator) -> None:
        super().__init__()
        self.vocab_size = vocab_size
        self.rnn = nn.LSTM(vocab_size, hidden, 2, batch_first=True, rng=rng)
        self.head = nn.Linear(hidden, vocab_size, rng=rng)

    def forward(self, ids: gg.Tensor) -> tuple[gg.Tensor, tuple[gg.Tensor, gg.Tensor]]:
        out, state = self.rnn(gg.one_hot(ids, self.vocab_size))  # (B, T, H)
        return self.head(out), state  # (B, T, V)


def test_mnist_mlp(tmp_path):
    rng = np.random.default_rng(0)
    model = models.mnist_mlp(rng)
    x = rng.standard_normal((3, 784)).astype(np.float32)
    export_and_compare(model, [x], tmp_path / "mlp.onnx", batch_sizes=[3, 5])
    proto = onnx.load(str(tmp_path / "mlp.onnx"))
    assert sorted(i.name for i in proto.graph.initializer) == sorted(model.state_dict())


def test_mnist_cnn_with_dropout_in_eval(tmp_path):
    rng = np.random.default_rng(1)
    model = models.mnist_cnn(rng, dropout=0.5)
    x = rng.standard_normal((1, 1, 28, 28)).astype(np.float32)
    export_and_compare(model, [x], tmp_path / "cnn.onnx", batch_sizes=[1, 3])


def test_char_lstm_outputs_logits_and_state(tmp_path):
    rng = np.random.default_rng(2)
    model = CharLSTM(11, 16, rng)
    ids = rng.integers(0, 11, (2, 7))
    export_and_compare(model, [ids], tmp_path / "lstm.onnx", batch_sizes=[2, 4],
                       output_names=["logits", "h_n", "c_n"])
    graph = onnx.load(str(tmp_path / "lstm.onnx")).graph
    assert [o.name for o in graph.output] == ["logits", "h_n", "c_n"]
    assert sum(n.op_type == "LSTM" for n in graph.node) == 2
    assert graph.output[0].type.tensor_type.shape.dim[0].dim_param == "batch"


def test_char_gpt_with_tied_weights(tmp_path):
    rng = np.random.default_rng(3)
    model = models.GPT(vocab_size=13, block_size=8, n_layer=2, n_head=2, n_embd=16, rng=rng)
    ids = rng.integers(0, 13, (2, 8))
    export_and_compare(model, [ids], tmp_path / "gpt.onnx", batch_sizes=[2, 5])
    names = [i.name for i in onnx.load(str(tmp_path / "gpt.onnx")).graph.initializer]
    assert "h.0.attn.c_attn.weight" in names
    assert sum(name in ("wte.weight", "lm_head.weight") for name in names) == 1  # one tensor, stored once


def test_export_keeps_the_training_mode(tmp_path):
    model = models.mnist_mlp(np.random.default_rng(0))
    model.train()
    gg.onnx.export(model, gg.randn(2, 784), tmp_path / "m.onnx")
    assert model.training
    model.eval()
    gg.onnx.export(model, gg.randn(2, 784), tmp_path / "m.onnx")
    assert not model.training
