"""EmbeddingBag against torch with copied weights: every mode, both input forms, per-sample weights,
padding, from_pretrained, repr and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.nn.module_parity import check_module_with_torch

INDICES = np.array([1, 2, 2, 5, 0, 3, 6, 6])


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 2}, {"include_last_offset": True}], ids=str)
def test_module_matches_torch(mode, kwargs, torch):
    ours, theirs = nn.EmbeddingBag(7, 3, mode=mode, **kwargs), torch.nn.EmbeddingBag(7, 3, mode=mode, **kwargs)
    assert repr(ours) == repr(theirs)
    offsets = np.array([0, 2, 2, 5, 8]) if kwargs.get("include_last_offset") else np.array([0, 2, 2, 5])
    check_module_with_torch(ours, theirs, [INDICES, offsets], torch, tol=1e-12)
    check_module_with_torch(ours, theirs, [INDICES.reshape(2, 4)], torch, tol=1e-12)


def test_per_sample_weights_get_gradients_as_torch(torch, rng):
    ours, theirs = nn.EmbeddingBag(7, 3, mode="sum"), torch.nn.EmbeddingBag(7, 3, mode="sum")
    weights = rng.normal(size=INDICES.shape)
    check_module_with_torch(ours, theirs, [INDICES, np.array([0, 3, 3]), weights], torch,
                            call=lambda m, i, o, w: m(i, o, per_sample_weights=w), tol=1e-12)


def test_from_pretrained_freezes_and_keeps_the_table(rng):
    table = rng.normal(size=(5, 2))
    layer = nn.EmbeddingBag.from_pretrained(gg.tensor(table), mode="max")
    assert not layer.weight.requires_grad
    out = layer(gg.tensor([[0, 4], [1, 1]]))
    np.testing.assert_array_equal(out.numpy(), np.stack([table[[0, 4]].max(0), table[1]]))


def test_bad_arguments_raise():
    weight = gg.ones(5, 2)
    with pytest.raises(RuntimeError, match="offsets"):
        F.embedding_bag(gg.tensor([[0, 1]]), weight, gg.tensor([0]))
    with pytest.raises(RuntimeError, match="offsets\\[0\\]"):
        F.embedding_bag(gg.tensor([0, 1]), weight, gg.tensor([1]))
    with pytest.raises(NotImplementedError, match="per_sample_weights"):
        F.embedding_bag(gg.tensor([[0, 1]]), weight, mode="max", per_sample_weights=gg.ones(1, 2))
    with pytest.raises(IndexError):
        F.embedding_bag(gg.tensor([[0, 9]]), weight)
    with pytest.raises(ValueError, match="mode"):
        nn.EmbeddingBag(5, 2, mode="median")
