"""Cross-entropy with class-index targets: the fast path (no dense one-hot target kept, log p formed at the
targets only, the gradient p from exp(z - c) and its row sums in one pass) gives the reference formula's values
and gradients, up to rounding (and bit for bit with label smoothing, which both modes compute alike)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import kernels
from glassgrad.nn import functional as F


def _loss_and_grad(mode: str, logits: np.ndarray, target: np.ndarray, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    with kernels.use(mode):
        x = gg.tensor(logits, requires_grad=True)
        loss = F.cross_entropy(x, gg.tensor(target), **kwargs)
        loss.backward(gg.ones_like(loss) if loss.ndim else None)
        return loss.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kwargs", [{}, {"ignore_index": -1}, {"reduction": "sum"}, {"reduction": "none"},
                                    {"weight": "classes"}, {"weight": "classes", "ignore_index": 2},
                                    {"label_smoothing": 0.1}])
@pytest.mark.parametrize("shape", [(7, 5), (3, 5, 4), (96, 65)])  # (96, 65): the block shift serves it
def test_fast_and_reference_cross_entropy_agree(dtype, kwargs, shape):
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal(shape) * 3).astype(dtype)
    target = rng.integers(0, shape[1], (shape[0],) + shape[2:])
    target.flat[::3] = kwargs.get("ignore_index", -100)  # some positions ignored
    if kwargs.get("weight") == "classes":
        kwargs = dict(kwargs, weight=gg.tensor(rng.uniform(0.5, 2.0, shape[1]).astype(dtype)))
    fast, reference = (_loss_and_grad(mode, logits, target, **kwargs) for mode in ("fast", "reference"))
    tol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(fast[0], reference[0], rtol=tol, atol=tol)
    np.testing.assert_allclose(fast[1], reference[1], rtol=tol, atol=tol)


def test_fast_cross_entropy_with_masked_classes_and_a_far_row_matches_the_reference():
    """-inf logits (masked classes, one of them a target: loss inf) and a row far below the others."""
    rng = np.random.default_rng(1)
    logits = (rng.standard_normal((96, 65)) * 3).astype(np.float32)
    logits[:, 60:] = -np.inf
    logits[5] -= 500.0
    target = rng.integers(0, 60, 96)
    fast, reference = (_loss_and_grad(mode, logits, target) for mode in ("fast", "reference"))
    np.testing.assert_allclose(fast[0], reference[0], rtol=1e-6)
    np.testing.assert_allclose(fast[1], reference[1], rtol=1e-6, atol=1e-7)
    target[3] = 62  # a target at a -inf logit: an infinite loss in both
    fast, reference = (_loss_and_grad(mode, logits, target, reduction="none") for mode in ("fast", "reference"))
    np.testing.assert_array_equal(np.isinf(fast[0]), np.isinf(reference[0]))
    np.testing.assert_allclose(fast[1], reference[1], rtol=1e-6, atol=1e-7)
