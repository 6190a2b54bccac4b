"""nn.functional against torch: argument names and order of every F.* form, and the values/gradients of
the forms added or adapted here (one_hot, normalize, linear, dropout, layer_norm, embedding, pooling)."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import glassgrad as gg
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch

NAMES = ["cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "l1_loss",
         "mse_loss", "smooth_l1_loss", "huber_loss", "kl_div", "cosine_embedding_loss", "margin_ranking_loss",
         "one_hot", "normalize", "linear", "dropout", "layer_norm", "embedding", "conv1d", "conv2d",
         "conv_transpose2d", "batch_norm", "group_norm", "instance_norm", "max_pool2d", "avg_pool2d",
         "adaptive_avg_pool2d", "interpolate", "pad"]


def _torch_parameters(fn) -> list[str]:
    try:
        return list(inspect.signature(fn).parameters)
    except ValueError:  # a builtin: read "name(a, b=None, ...) -> Tensor" from its docstring
        text = re.search(r"\w+\((.*?)\)\s*->", fn.__doc__).group(1)
        return [part.split("=")[0].strip() for part in text.split(",") if part.strip() not in ("*", "")]


@pytest.mark.parametrize("name", NAMES)
def test_argument_names_and_order_match_torch(torch, name):
    theirs = _torch_parameters(getattr(torch.nn.functional, name))
    if theirs[:1] == ["args"]:  # torch's boolean-dispatch wrappers (max_pool2d)
        theirs = _torch_parameters(getattr(torch.nn.functional, f"_{name}"))
    ours = [p.name for p in inspect.signature(getattr(F, name)).parameters.values() if p.kind != p.KEYWORD_ONLY]
    assert ours[1:len(theirs)] == theirs[1:], f"{name}: ours {ours}, torch {theirs}"


def test_one_hot_is_int64_like_torch(torch):
    labels = np.array([[0, 3], [2, 1]])
    ours, theirs = F.one_hot(gg.tensor(labels), 5), torch.nn.functional.one_hot(torch.tensor(labels), 5)
    assert ours.dtype == np.int64 and ours.dtype == theirs.numpy().dtype
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    np.testing.assert_array_equal(F.one_hot(gg.tensor(labels)).numpy(),
                                  torch.nn.functional.one_hot(torch.tensor(labels)).numpy())


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, -1), (3.0, 0)])
def test_normalize_matches_torch(rng, torch, p, dim):
    x = rng.normal(size=(3, 4))
    x[1] = 0.0  # a zero row: the eps branch, finite gradient
    compare_with_torch(lambda a: F.normalize(a, p, dim), lambda a: torch.nn.functional.normalize(a, p, dim), [x],
                       torch)
    assert gg.gradcheck(lambda a: F.normalize(a, p=p, dim=dim), [rng.normal(size=(3, 4))])


def test_linear_dropout_layer_norm_match_torch(rng, torch):
    x, w, b = rng.normal(size=(2, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    compare_with_torch(lambda a, c, d: F.linear(a, c, bias=d), lambda a, c, d: torch.nn.functional.linear(a, c, bias=d),
                       [x, w, b], torch)
    compare_with_torch(lambda a: F.dropout(a, 0.5, training=False),
                       lambda a: torch.nn.functional.dropout(a, 0.5, training=False), [x], torch)
    y, g, beta = rng.normal(size=(2, 3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    compare_with_torch(lambda a, c, d: F.layer_norm(a, (3, 4), c, d, 1e-3),
                       lambda a, c, d: torch.nn.functional.layer_norm(a, (3, 4), c, d, 1e-3), [y, g, beta], torch)


def test_embedding_max_norm_renormalises_like_torch(rng, torch):
    weight, idx = rng.normal(size=(6, 3)) * 3, np.array([[0, 2], [2, 5]])
    ours_w, theirs_w = gg.tensor(weight.copy()), torch.tensor(weight.copy())
    ours = F.embedding(gg.tensor(idx), ours_w, max_norm=1.5, norm_type=1.0)
    theirs = torch.nn.functional.embedding(torch.tensor(idx), theirs_w, max_norm=1.5, norm_type=1.0)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours_w.numpy(), theirs_w.numpy(), rtol=1e-12)  # rows edited in place, as torch
    compare_with_torch(lambda w: F.embedding(gg.tensor(idx), w, padding_idx=2),
                       lambda w: torch.nn.functional.embedding(torch.tensor(idx), w, padding_idx=2), [weight], torch)
    with pytest.raises(NotImplementedError, match="scale_grad_by_freq"):
        F.embedding(gg.tensor(idx), ours_w, scale_grad_by_freq=True)


def test_pooling_and_norm_adapters_take_torch_order(rng, torch):
    x = rng.normal(size=(2, 3, 6, 6))
    compare_with_torch(lambda a: F.avg_pool2d(a, 2, 2, 1, False, False),
                       lambda a: torch.nn.functional.avg_pool2d(a, 2, 2, 1, False, False), [x], torch)
    compare_with_torch(lambda a: F.max_pool2d(a, 3, 2, 1, 1, True),
                       lambda a: torch.nn.functional.max_pool2d(a, 3, 2, 1, 1, True), [x], torch)
    compare_with_torch(lambda a: F.instance_norm(a, eps=1e-3), lambda a: torch.nn.functional.instance_norm(a, eps=1e-3),
                       [x], torch)
    values, indices = F.max_pool2d(gg.tensor(x), 2, return_indices=True)  # checked against torch in test_conv_pool_nd
    np.testing.assert_array_equal(values.numpy(), F.max_pool2d(gg.tensor(x), 2).numpy())
    assert indices.dtype == gg.int64 and indices.shape == values.shape
