"""The PyTorch oracle: run the same computation in glassgrad and in torch, then compare
the forward values and the gradient of every input.

The loss is ``sum(out * dout)`` with a RANDOM ``dout`` (one per output), never
``out.sum()`` or ``out.mean()``: a uniform upstream gradient gives every output
element the same weight, which hides a transposed or mis-broadcast backward.
``tests/ops/test_oracle_helper.py`` checks that this helper does catch such bugs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassgrad import Tensor

# float64: agreement to 1e-6; float32: 1e-4 relative, with an absolute floor for values near 0 that
# scales with the array's largest magnitude (a float32 result that cancels terms of size M carries
# rounding errors of about M * 1e-7 whatever its own size: see _absolute_floor)
TOLERANCES = {np.dtype(np.float64): (1e-6, 1e-6), np.dtype(np.float32): (1e-4, 1e-5)}


def _absolute_floor(atol: float, expected: np.ndarray) -> float:
    """float32: ``atol`` times the largest magnitude in ``expected`` (at least 1); float64: ``atol``."""
    if expected.dtype != np.float32 or expected.size == 0:
        return atol
    largest = float(np.max(np.abs(expected[np.isfinite(expected)]), initial=0.0))
    return atol * max(1.0, largest)


def _as_list(result: Any) -> list[Any]:
    return list(result) if isinstance(result, tuple | list) else [result]


def compare_with_torch(
    gg_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    arrays: Sequence[np.ndarray],
    torch: Any,
    dtype: Any = np.float64,
    seed: int = 0,
    rtol: float | None = None,
    atol: float | None = None,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Assert that glassgrad and torch agree on forward values and input gradients.

    Args:
        gg_fn: ``gg_fn(*tensors)`` -> a Tensor or a tuple of Tensors.
        torch_fn: ``torch_fn(*torch_tensors)`` -> the torch counterpart.
        arrays: the inputs; each becomes a leaf requiring grad on both sides.
        torch: the torch module (the ``torch`` fixture).
        dtype: float64 or float32; both sides compute in it.
        seed: seeds the random upstream gradients ``dout``.

    Returns the glassgrad outputs and input gradients (NumPy), for further checks.
    Raises AssertionError naming the output or input that disagrees.
    """
    dtype = np.dtype(dtype)
    default_rtol, default_atol = TOLERANCES[dtype]
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    inputs = [np.asarray(a, dtype=dtype) for a in arrays]

    gg_inputs = [Tensor(a.copy(), requires_grad=True) for a in inputs]
    th_inputs = [torch.tensor(a.copy(), requires_grad=True) for a in inputs]
    gg_outs = _as_list(gg_fn(*gg_inputs))
    th_outs = _as_list(torch_fn(*th_inputs))
    if len(gg_outs) != len(th_outs):
        raise AssertionError(f"glassgrad gave {len(gg_outs)} outputs, torch {len(th_outs)}")

    rng = np.random.default_rng(seed)
    gg_loss: Any = None
    th_loss: Any = None
    for k, (g, t) in enumerate(zip(gg_outs, th_outs)):
        expected = t.detach().numpy()
        if g.shape != tuple(expected.shape):
            raise AssertionError(f"output {k}: shape {g.shape}, torch gives {tuple(expected.shape)}")
        if g.dtype != expected.dtype:
            raise AssertionError(f"output {k}: dtype {g.dtype}, torch gives {expected.dtype}")
        np.testing.assert_allclose(g.numpy(), expected, rtol=rtol, atol=_absolute_floor(atol, expected),
                                   err_msg=f"forward, output {k}")
        if not t.requires_grad:
            continue
        dout = rng.standard_normal(g.shape).astype(g.dtype)
        gg_term = (g * Tensor(dout)).sum()
        th_term = (t * torch.from_numpy(dout)).sum()
        gg_loss = gg_term if gg_loss is None else gg_loss + gg_term
        th_loss = th_term if th_loss is None else th_loss + th_term
    if th_loss is None:
        return [g.numpy() for g in gg_outs], []
    gg_loss.backward()
    th_loss.backward()

    grads = []
    for i, (g, t) in enumerate(zip(gg_inputs, th_inputs)):
        expected = np.zeros(t.shape, dtype=dtype) if t.grad is None else t.grad.numpy()
        got = np.zeros(g.shape, dtype=dtype) if g.grad is None else np.asarray(g.grad)
        if got.shape != expected.shape or got.dtype != expected.dtype:
            raise AssertionError(
                f"gradient of input {i}: {got.shape} {got.dtype}, torch gives {expected.shape} {expected.dtype}"
            )
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=_absolute_floor(atol, expected),
                                   err_msg=f"gradient of input {i}")
        grads.append(got)
    return [g.numpy() for g in gg_outs], grads
