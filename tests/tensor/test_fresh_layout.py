"""Every tensor torch makes contiguous is contiguous in glassgrad: the fresh output of an op (a
convolution's included) can be ``view``-ed as in torch, e.g. ``x.view(-1, 320)`` after Conv2d."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

RNG = np.random.default_rng(7)
X = RNG.standard_normal((2, 3, 6, 5)).astype(np.float32)
W = RNG.standard_normal((4, 3, 3, 3)).astype(np.float32)
WIDE = RNG.standard_normal((4, 3, 3, 3 * 8)).astype(np.float32)  # 72-value windows: the fast conv kernel


def F(m):  # noqa: N802  (torch's name for nn.functional)
    return m.nn.functional


# name -> an op whose output torch makes contiguous, called the same way on glassgrad and torch
FRESH = {
    "conv2d (plain path)": lambda m, x: F(m).conv2d(x, m.tensor(W)),
    "conv2d strided, padded": lambda m, x: F(m).conv2d(x, m.tensor(W), padding=1, stride=2),
    "conv2d (fast kernel)": lambda m, x: F(m).conv2d(x, m.tensor(WIDE), m.ones(4), padding=(1, 12)),
    "conv2d groups": lambda m, x: F(m).conv2d(x, m.tensor(W[:3, :1]), groups=3),
    "conv_transpose2d": lambda m, x: F(m).conv_transpose2d(x, m.tensor(W.transpose(1, 0, 2, 3).copy()), m.ones(4)),
    "conv1d": lambda m, x: F(m).conv1d(x[:, :, 0], m.tensor(W[:, :, 0])),
    "flip": lambda m, x: m.flip(x, (1,)),
    "fliplr": lambda m, x: m.fliplr(x),
    "sort descending": lambda m, x: m.sort(x, 2, descending=True)[0],
    "argsort descending": lambda m, x: m.argsort(x, 3, descending=True),
    "diag_embed": lambda m, x: m.diag_embed(x[0, 0], dim1=1, dim2=0),
    "einsum contraction": lambda m, x: m.einsum("ij,kj->ik", x[0, 0], x[0, 1]),
    "inner": lambda m, x: m.inner(x[0], x[1]),
    "MultiheadAttention (L, N, E)": lambda m, x: m.nn.MultiheadAttention(5, 1)(x[0], x[0], x[0])[0],
    "Conv2d module": lambda m, x: m.nn.Conv2d(3, 4, 3)(x),
    "ConvTranspose2d module": lambda m, x: m.nn.ConvTranspose2d(3, 4, 3)(x),
    "max_pool2d of conv": lambda m, x: F(m).max_pool2d(F(m).conv2d(x, m.tensor(W)), 2),
    "relu of conv": lambda m, x: F(m).relu(F(m).conv2d(x, m.tensor(W))),
}


@pytest.mark.parametrize("name", list(FRESH))
def test_fresh_outputs_are_contiguous_as_in_torch(torch, name: str) -> None:
    ours = FRESH[name](gg, gg.tensor(X))
    theirs = FRESH[name](torch, torch.tensor(X))
    assert ours.is_contiguous() == theirs.is_contiguous(), name
    assert ours.stride() == tuple(theirs.stride()), name


def test_view_after_a_convolution_works_as_in_torch(torch) -> None:
    """pytorch/examples mnist_forward_forward & co.: conv, pool, then ``x.view(-1, 320)``."""
    images = RNG.standard_normal((4, 1, 28, 28)).astype(np.float32)
    w1 = RNG.standard_normal((10, 1, 5, 5)).astype(np.float32)
    w2 = RNG.standard_normal((20, 10, 5, 5)).astype(np.float32)
    outs = []
    for m in (gg, torch):
        x = F(m).relu(F(m).max_pool2d(F(m).conv2d(m.tensor(images), m.tensor(w1)), 2))
        x = F(m).relu(F(m).max_pool2d(F(m).conv2d(x, m.tensor(w2)), 2))
        outs.append(x.view(-1, 320).numpy())
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-4, atol=1e-4)


def test_conv_gradients_unchanged_by_the_contiguous_output(torch) -> None:
    grads = []
    for m in (gg, torch):
        x, w = m.tensor(X, requires_grad=True), m.tensor(WIDE, requires_grad=True)
        out = F(m).conv2d(x, w, m.ones(4), padding=(1, 12))
        (out * m.tensor(np.arange(out.numel(), dtype=np.float32).reshape(tuple(out.shape)) / 100)).sum().backward()
        grads.append((x.grad.numpy(), w.grad.numpy()))
    for ours, theirs in zip(grads[0], grads[1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-3)
