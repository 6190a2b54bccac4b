"""A finite-difference gradient checker (float64).

For a function f of tensors, backward gives the analytic gradient of
L = sum(f(x) * w) for a random weighting w (random, so that transposed or
mis-broadcast gradients cannot hide behind a uniform upstream gradient).
Each element of each input is then nudged by +-eps and the central difference

    dL/dx_i ~ (L(x + eps e_i) - L(x - eps e_i)) / (2 eps)

is compared with the analytic value: |analytic - numeric| <= atol + rtol |numeric|.

Complex tensors (complex128) are checked as pairs of reals, torch's convention: a complex output
is weighted by a complex w through L = sum Re(conj(w) out), and a complex input's real and
imaginary parts are nudged one at a time, so the numeric gradient is dL/dx + i dL/dy (the
gradient glassgrad stores; docs/derivations/complex.md).

``gradgradcheck`` checks second derivatives the same way: the function it checks is the first
derivative, ``autograd.grad(f(x), x, v, create_graph=True)``, as a function of both x and the
upstream gradient v, so the backward's own backward (recorded with ``create_graph=True``) is
compared with finite differences of the backward.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassgrad import backend, ops
from glassgrad.autograd.grad_mode import enable_grad, no_grad
from glassgrad.autograd.gradients import grad
from glassgrad.tensor import Tensor


class GradcheckError(AssertionError):
    """Raised when an analytic gradient disagrees with finite differences."""


def _outputs(result: Any) -> list[Tensor]:
    return list(result) if isinstance(result, tuple | list) else [result]


def _weighted_sum(fn: Callable[..., Any], inputs: Sequence[Tensor], weights: list[np.ndarray],
                  values_need_graph: bool = False) -> float:
    total = 0.0
    with enable_grad() if values_need_graph else no_grad():  # values only, unless fn differentiates
        outputs = _outputs(fn(*inputs))
    for out, w in zip(outputs, weights):
        total += float(np.sum((out.numpy() * np.conj(w)).real))  # Re(conj(w) out): w itself for real outputs
    return total


def gradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
    *,
    raise_exception: bool = True,
    **torch_options: Any,  # noqa: ARG001  (torch's nondet_tol, check_undefined_grad, fast_mode ...: accepted)
) -> bool:
    """Compare backward with central differences; raise GradcheckError naming the
    input index, the element index and both values on the first disagreement
    (``raise_exception=False``: return False instead, as torch).

    ``inputs`` are float64 tensors (or arrays), one or a sequence; those with ``requires_grad``
    are checked. ``fn`` returns a tensor or a tuple of tensors. Returns True when all agree.
    """
    try:
        return _gradcheck(fn, inputs, eps, atol, rtol, seed)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    seed: int = 0,
    **torch_options: Any,  # noqa: ARG001  (torch's gen_non_contig_grad_outputs, check_undefined_grad ...: accepted)
) -> bool:
    """Second derivatives against central differences (torch.autograd.gradgradcheck).

    Checks the function g(x, v) = d <fn(x), v> / dx (the backward, taken with ``create_graph=True``)
    with ``gradcheck``: its derivatives with respect to x and to v come from differentiating the
    recorded backward. ``grad_outputs`` (v) are random float64 tensors when not given (complex128 for a
    complex output).
    """
    tensors = [_as_input(t) for t in (inputs if isinstance(inputs, Sequence) else (inputs,))]
    outputs = [o for o in _outputs(fn(*tensors)) if o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(seed + 1)
        grad_outputs = [Tensor(_weights(rng, o), requires_grad=True) for o in outputs]
    vs = [_as_input(v) for v in (grad_outputs if isinstance(grad_outputs, Sequence) else (grad_outputs,))]
    n = len(tensors)

    def first_derivatives(*args: Tensor) -> tuple[Tensor, ...]:
        xs = args[:n]
        wanted = [x for x in xs if x.requires_grad]
        outs = [o for o in _outputs(fn(*xs)) if o.requires_grad]
        return grad(outs, wanted, args[n:], create_graph=True, materialize_grads=True)

    try:
        return _gradcheck(first_derivatives, tensors + vs, eps, atol, rtol, seed, values_need_graph=True)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _weights(rng: np.random.Generator, out: Tensor) -> np.ndarray:
    """Random weights for one output: complex ones for a complex output."""
    if out.dtype.kind == "c":
        return rng.standard_normal(out.shape) + 1j * rng.standard_normal(out.shape)
    return rng.standard_normal(out.shape)


def _as_real_pairs(x: Any) -> Any:
    """A complex tensor or array as its (real, imag) pairs (view_as_real), a real one as it is: the
    sum of products of pairs is Re(conj(w) out)."""
    if x.dtype.kind != "c":
        return x
    if isinstance(x, Tensor):
        return ops.view_as_real(x)
    return np.stack([x.real, x.imag], axis=-1)


def _as_input(t: Any) -> Tensor:
    return t if isinstance(t, Tensor) else Tensor(np.asarray(t, dtype=np.float64), requires_grad=True)


def _gradcheck(fn: Callable[..., Any], inputs: Any, eps: float, atol: float, rtol: float, seed: int,
               values_need_graph: bool = False) -> bool:
    tensors = [_as_input(t) for t in (inputs if isinstance(inputs, Sequence) else (inputs,))]
    for i, t in enumerate(tensors):
        if t.requires_grad and t.dtype not in (np.float64, np.complex128):
            raise TypeError(f"gradcheck: input {i} is {t.dtype}; finite differences need float64 (or complex128)")
        t.grad = None
        if t.requires_grad:
            # nudge a private, writable, contiguous copy: reshape(-1) of a transposed or
            # broadcast view would be a copy, and nudging that copy would change nothing
            t.array = np.array(t.array, dtype=t.array.dtype, order="C")
    rng = np.random.default_rng(seed)
    outputs = _outputs(fn(*tensors))
    weights = [_weights(rng, out) for out in outputs]
    loss: Any = None
    for out, w in zip(outputs, weights):
        if out.requires_grad:
            term = (_as_real_pairs(out) * Tensor(_as_real_pairs(w))).sum()
            loss = term if loss is None else loss + term
    if loss is None and not values_need_graph:
        raise GradcheckError("gradcheck: no output requires grad, nothing to check")
    if loss is not None:  # (gradgradcheck of a piecewise-constant op: its gradient is a constant 0)
        loss.backward()
    for i, t in enumerate(tensors):
        if t.requires_grad:
            _check_input(fn, tensors, weights, i, eps, atol, rtol, values_need_graph)
    return True


def _check_input(fn: Callable[..., Any], tensors: list[Tensor], weights: list[np.ndarray],
                 i: int, eps: float, atol: float, rtol: float, values_need_graph: bool) -> None:
    t = tensors[i]
    analytic = np.zeros(t.shape) if t.grad is None else backend.to_numpy(t.grad.array)
    flat = t.array.reshape(-1)  # a view: nudging it nudges t
    for j in range(flat.size):
        numeric = 0.0
        for step in ((eps, 1j * eps) if flat.dtype.kind == "c" else (eps,)):  # complex: dL/dx + i dL/dy
            original = flat[j].item()
            flat[j] = original + step
            plus = _weighted_sum(fn, tensors, weights, values_need_graph)
            flat[j] = original - step
            minus = _weighted_sum(fn, tensors, weights, values_need_graph)
            flat[j] = original
            numeric += (plus - minus) / (2 * eps) * (step / eps)
        got = analytic.reshape(-1)[j]
        if not abs(got - numeric) <= atol + rtol * abs(numeric):
            element = np.unravel_index(j, t.shape) if t.shape else ()
            raise GradcheckError(
                f"gradcheck: input {i} (shape {tuple(t.shape)}), element {tuple(int(e) for e in element)}: "
                f"analytic {got:.8g} vs numeric {numeric:.8g}"
            )
