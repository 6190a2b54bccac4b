"""Cross-entropy with class-index targets: the fast path (no dense one-hot target kept, the gradient
written in place) gives the same values and gradients as the reference formula, bit for bit."""

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
@pytest.mark.parametrize("shape", [(7, 5), (3, 5, 4)])
def test_fast_and_reference_cross_entropy_agree_exactly(dtype, kwargs, shape):
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal(shape) * 3).astype(dtype)
    target = rng.integers(0, shape[1], (shape[0],) + shape[2:])
    target.flat[::3] = kwargs.get("ignore_index", -100)  # some positions ignored
    if kwargs.get("weight") == "classes":
        kwargs = dict(kwargs, weight=gg.tensor(rng.uniform(0.5, 2.0, shape[1]).astype(dtype)))
    fast, reference = (_loss_and_grad(mode, logits, target, **kwargs) for mode in ("fast", "reference"))
    np.testing.assert_array_equal(fast[0], reference[0])
    np.testing.assert_array_equal(fast[1], reference[1])
