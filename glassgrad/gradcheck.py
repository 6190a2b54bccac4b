"""A finite-difference gradient checker (float64).

For a function f of tensors, backward gives the analytic gradient of
L = sum(f(x) * w) for a random weighting w (random, so that transposed or
mis-broadcast gradients cannot hide behind a uniform upstream gradient).
Each element of each input is then nudged by +-eps and the central difference

    dL/dx_i ~ (L(x + eps e_i) - L(x - eps e_i)) / (2 eps)

is compared with the analytic value: |analytic - numeric| <= atol + rtol |numeric|.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.autograd import no_grad
from glassgrad.tensor import Tensor


class GradcheckError(AssertionError):
    """Raised when an analytic gradient disagrees with finite differences."""


def _outputs(result: Any) -> list[Tensor]:
    return list(result) if isinstance(result, tuple | list) else [result]


def _weighted_sum(fn: Callable[..., Any], inputs: Sequence[Tensor], weights: list[np.ndarray]) -> float:
    total = 0.0
    with no_grad():  # the numeric side needs values only, no graph
        outputs = _outputs(fn(*inputs))
    for out, w in zip(outputs, weights):
        total += float(np.sum(out.numpy().astype(np.float64) * w))
    return total


def gradcheck(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Compare backward with central differences; raise GradcheckError naming the
    input index, the element index and both values on the first disagreement.

    ``inputs`` are float64 tensors (or arrays); those with ``requires_grad`` are checked.
    ``fn`` returns a tensor or a tuple of tensors. Returns True when all agree.
    """
    tensors = [t if isinstance(t, Tensor) else Tensor(np.asarray(t, dtype=np.float64), requires_grad=True)
               for t in inputs]
    for i, t in enumerate(tensors):
        if t.requires_grad and t.dtype != np.float64:
            raise TypeError(f"gradcheck: input {i} is {t.dtype}; finite differences need float64")
        t.grad = None
        if t.requires_grad:
            # nudge a private, writable, contiguous copy: reshape(-1) of a transposed or
            # broadcast view would be a copy, and nudging that copy would change nothing
            t.array = np.array(t.array, dtype=np.float64, order="C")
    rng = np.random.default_rng(seed)
    outputs = _outputs(fn(*tensors))
    weights = [rng.standard_normal(out.shape) for out in outputs]
    loss: Any = None
    for out, w in zip(outputs, weights):
        if out.requires_grad:
            term = (out * Tensor(w)).sum()
            loss = term if loss is None else loss + term
    if loss is None:
        raise GradcheckError("gradcheck: no output requires grad, nothing to check")
    loss.backward()
    for i, t in enumerate(tensors):
        if t.requires_grad:
            _check_input(fn, tensors, weights, i, eps, atol, rtol)
    return True


def _check_input(fn: Callable[..., Any], tensors: list[Tensor], weights: list[np.ndarray],
                 i: int, eps: float, atol: float, rtol: float) -> None:
    t = tensors[i]
    analytic = np.zeros(t.shape) if t.grad is None else backend.to_numpy(t.grad.array)
    flat = t.array.reshape(-1)  # a view: nudging it nudges t
    for j in range(flat.size):
        original = flat[j].item()
        flat[j] = original + eps
        plus = _weighted_sum(fn, tensors, weights)
        flat[j] = original - eps
        minus = _weighted_sum(fn, tensors, weights)
        flat[j] = original
        numeric = (plus - minus) / (2 * eps)
        got = analytic.reshape(-1)[j]
        if not abs(got - numeric) <= atol + rtol * abs(numeric):
            element = np.unravel_index(j, t.shape) if t.shape else ()
            raise GradcheckError(
                f"gradcheck: input {i} (shape {t.shape}), element {tuple(int(e) for e in element)}: "
                f"analytic {got:.8g} vs numeric {numeric:.8g}"
            )
