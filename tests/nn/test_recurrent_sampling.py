"""glassgrad.sampling: temperature, top-k, greedy, reproducible with a seed, on a small char model."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import Tensor, nn
from glassgrad.data.text import CharVocab
from glassgrad.sampling import generate, sample_from_logits


class TinyCharModel(nn.Module):
    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        rng = np.random.default_rng(0)
        self.embed = nn.Embedding(vocab_size, 4, rng=rng)
        self.rnn = nn.GRU(4, 8, batch_first=True, rng=rng)
        self.head = nn.Linear(8, vocab_size, rng=rng)

    def forward(self, ids, state=None):
        out, state = self.rnn(self.embed(ids), state)
        return self.head(out), state


def test_generate_is_reproducible_with_a_seed():
    vocab = CharVocab.from_text("abcdefgh\n")
    model = TinyCharModel(len(vocab))
    a = generate(model, vocab, "ab", 30, temperature=1.0, rng=np.random.default_rng(5))
    b = generate(model, vocab, "ab", 30, temperature=1.0, rng=np.random.default_rng(5))
    c = generate(model, vocab, "ab", 30, temperature=1.0, rng=np.random.default_rng(6))
    assert a == b and a != c
    assert a.startswith("ab") and len(a) == 32 and set(a) <= set(vocab.itos)
    assert model.training  # mode restored


def test_generate_stops_at_the_stop_character():
    vocab = CharVocab.from_text("abc\n")
    out = generate(TinyCharModel(len(vocab)), vocab, "\n", 500, stop="\n", rng=np.random.default_rng(0))
    assert out.endswith("\n") and out[1:-1].count("\n") == 0


def test_greedy_and_top_k():
    logits = np.array([[0.0, 3.0, 1.0, 2.9], [5.0, 0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(sample_from_logits(logits, temperature=0), [1, 0])
    rng = np.random.default_rng(0)
    draws = np.array([sample_from_logits(logits[0], top_k=2, rng=rng) for _ in range(300)])
    assert set(draws.tolist()) == {1, 3}  # only the two largest logits are ever drawn
    assert sample_from_logits(Tensor(logits[0]), top_k=1, rng=rng) == 1


def test_temperature_sharpens():
    logits = np.log(np.array([0.5, 0.3, 0.2]))
    rng = np.random.default_rng(1)
    counts = np.bincount([sample_from_logits(logits, rng=rng) for _ in range(3000)], minlength=3) / 3000
    np.testing.assert_allclose(counts, [0.5, 0.3, 0.2], atol=0.04)  # temperature 1 = the model's distribution
    cold = np.bincount([sample_from_logits(logits, 0.2, rng=rng) for _ in range(1000)], minlength=3) / 1000
    assert cold[0] > 0.85


def test_sampling_errors():
    with pytest.raises(ValueError, match="temperature"):
        sample_from_logits(np.zeros(3), temperature=-1)
    with pytest.raises(ValueError, match="top_k"):
        sample_from_logits(np.zeros(3), top_k=0)
    with pytest.raises(ValueError, match="prompt"):
        generate(TinyCharModel(3), CharVocab("abc"), "", 5)
