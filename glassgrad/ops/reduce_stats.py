"""Statistics over dims: var, std, var_mean, std_mean, logsumexp, norm.

``var`` and ``std`` take torch's signature ``(input, dim=None, unbiased=None,
keepdim=False, *, correction=None)``: the divisor is N - correction, with
correction 1 by default (``unbiased=True``) and 0 for ``unbiased=False``.
With no degrees of freedom left (N - correction <= 0) the result is NaN or inf
and a UserWarning says so, as torch does; nothing is raised.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from glassgrad import backend, dtypes
from glassgrad.kernels import sums
from glassgrad.op import Context, Op
from glassgrad.ops.arguments import pick_dim, pick_keepdim
from glassgrad.ops.reduce_dims import Dims, count, expand_reduced, reduction_dims
from glassgrad.ops.softmax import max_shift
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["logsumexp", "norm", "std_mean", "var_mean"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _correction(unbiased: Any, correction: Any, op_name: str) -> float:
    """torch's rule: ``correction`` wins; else unbiased True/False means 1/0; the default is 1."""
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{op_name}(): cannot pass both correction and unbiased arguments")
    if correction is not None:
        return correction
    return 0 if unbiased is False else 1


def _degrees_of_freedom(n: int, correction: float, op_name: str) -> float:
    """N - correction, clamped at 0 (then the division gives NaN or inf) with torch's warning."""
    dof = n - correction
    if dof <= 0:
        warnings.warn(
            f"{op_name}(): degrees of freedom is <= 0: {n} element(s) with correction={correction}; "
            "the correction should be smaller than the number of elements reduced (the result is nan or inf)",
            UserWarning,
            stacklevel=4,
        )
    return dof if dof > 0 else 0


class Var(Op):
    """y = sum((x - m)^2) / d, m the mean over the axes, d = N - correction;
    dy/dx = 2 (x - m) / d."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool, dof: float) -> Any:
        centred = x - sums.mean_keepdims(x, axes)
        ctx.save_for_backward(centred)
        ctx.axes, ctx.keepdim, ctx.dof = axes, keepdim, dof
        with backend.xp.errstate(invalid="ignore", divide="ignore"):
            return (centred * centred).sum(axis=axes, keepdims=keepdim) / x.dtype.type(dof)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (centred,) = ctx.saved
        with backend.xp.errstate(invalid="ignore", divide="ignore"):
            return expand_reduced(grad, ctx.axes, ctx.keepdim) * (2 * centred / grad.dtype.type(ctx.dof))


class Std(Op):
    """y = sqrt(var(x));  dy/dx = (x - m) / (d y), and 0 where y = 0 (a constant slice), as torch."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool, dof: float) -> Any:
        centred = x - sums.mean_keepdims(x, axes)
        with backend.xp.errstate(invalid="ignore", divide="ignore"):
            y = backend.xp.sqrt((centred * centred).sum(axis=axes, keepdims=True) / x.dtype.type(dof))
        ctx.save_for_backward(centred, y)
        ctx.axes, ctx.keepdim, ctx.dof = axes, keepdim, dof
        return y if keepdim else y.squeeze(axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        centred, y = ctx.saved
        with backend.xp.errstate(invalid="ignore", divide="ignore"):
            slope = backend.xp.where(y == 0, 0, centred / (grad.dtype.type(ctx.dof) * y))
        return expand_reduced(grad, ctx.axes, ctx.keepdim) * slope


def _spread(op: type[Op], input: Any, dim: Any, unbiased: Any, keepdim: bool,  # noqa: A002
            correction: Any, op_name: str) -> Tensor:
    x = as_tensor(input)
    if isinstance(dim, bool):  # torch's overload var(input, unbiased)
        dim, unbiased = None, dim
    if x.dtype.kind == "c":  # |z - mean|^2 = (x - mean x)^2 + (y - mean y)^2: the parts' variances add
        spread = (_spread(Var, x.real, dim, unbiased, keepdim, correction, op_name)
                  + _spread(Var, x.imag, dim, unbiased, keepdim, correction, op_name))
        return spread if op is Var else spread.sqrt()
    if not backend.is_float(x.dtype):
        raise RuntimeError(f"{op_name}(): std and var only support floating point dtypes, got {x.dtype}")
    axes = reduction_dims(dim, x.ndim, op_name)
    dof = _degrees_of_freedom(count(x.shape, axes), _correction(unbiased, correction, op_name), op_name)
    return op.apply(x, axes=axes, keepdim=keepdim, dof=dof)


def var(input: Any, dim: Dims = None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
        correction: float | None = None, axis: Dims = None, keepdims: bool | None = None) -> Tensor:
    """Variance over ``dim``: sum((x - mean)^2) / (N - correction), correction 1 unless told."""
    return _spread(Var, input, pick_dim(dim, axis, "var"), unbiased, pick_keepdim(keepdim, keepdims),
                   correction, "var")


def std(input: Any, dim: Dims = None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
        correction: float | None = None, axis: Dims = None, keepdims: bool | None = None) -> Tensor:
    """Standard deviation over ``dim``: sqrt of ``var`` with the same arguments."""
    return _spread(Std, input, pick_dim(dim, axis, "std"), unbiased, pick_keepdim(keepdim, keepdims),
                   correction, "std")


def var_mean(input: Any, dim: Dims = None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """``(var, mean)`` over ``dim``, as torch.var_mean."""
    from glassgrad.ops.reduce import mean

    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return var(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


def std_mean(input: Any, dim: Dims = None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over ``dim``, as torch.std_mean."""
    from glassgrad.ops.reduce import mean

    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return std(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


class LogSumExp(Op):
    """y = log sum exp(x) over axes, computed as m + log sum exp(x - m) with m the max
    (m taken as 0 when it is infinite, so a slice of -inf gives -inf);
    dy/dx = exp(x - y) (the softmax of the slice)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool) -> Any:
        xp = backend.xp
        m = max_shift(x, axes)
        m = xp.where(xp.isfinite(m), m, 0)
        with xp.errstate(divide="ignore"):
            y = xp.log(xp.exp(x - m).sum(axis=axes, keepdims=True)) + m
        ctx.save_for_backward(x, y)
        ctx.axes, ctx.keepdim = axes, keepdim
        return y if keepdim else y.squeeze(axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, y = ctx.saved
        with backend.xp.errstate(invalid="ignore"):  # -inf - (-inf): NaN, as torch gives
            return expand_reduced(grad, ctx.axes, ctx.keepdim) * backend.xp.exp(x - y)


def logsumexp(input: Any, dim: Dims, keepdim: bool = False, *, axis: Dims = None,  # noqa: A002
              keepdims: bool | None = None) -> Tensor:
    """log(sum(exp(x))) over ``dim``, without overflow; integer inputs are computed in the default float."""
    x = as_tensor(input)
    if not backend.is_float(x.dtype):
        x = x.to(backend.get_default_dtype())
    axes = reduction_dims(pick_dim(dim, axis, "logsumexp"), x.ndim, "logsumexp")
    return LogSumExp.apply(x, axes=axes, keepdim=pick_keepdim(keepdim, keepdims))


class Norm(Op):
    """y = (sum |x|^p)^(1/p) over axes, with the limits p = inf (max |x|), -inf (min |x|), 0 (count of x != 0).

    dy/dx = sign(x) |x|^(p-1) / y^(p-1), which is x / y for p = 2 and sign(x) for p = 1;
    for p = +-inf, sign(x) shared evenly by the elements with |x| = y; 0 for p = 0.
    Where y = 0 (or x = 0 when p < 1) the gradient is 0, as torch gives.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool, p: float) -> Any:
        xp = backend.xp
        size = xp.abs(x)
        if p not in (math.inf, -math.inf, 0, 1, 2):
            with xp.errstate(divide="ignore", over="ignore"):  # 0 to a negative power: inf, as torch
                y = (size**p).sum(axis=axes, keepdims=True) ** (1 / p)
        elif p == math.inf:
            y = xp.amax(size, axis=axes, keepdims=True)
        elif p == -math.inf:
            y = xp.amin(size, axis=axes, keepdims=True)
        elif p == 0:
            y = (x != 0).sum(axis=axes, keepdims=True).astype(x.dtype)
        elif p == 1:
            y = size.sum(axis=axes, keepdims=True)
        elif p == 2:
            y = xp.sqrt((x * x).sum(axis=axes, keepdims=True))
        ctx.save_for_backward(x, y)
        ctx.axes, ctx.keepdim, ctx.p = axes, keepdim, p
        return y if keepdim else y.squeeze(axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, y = ctx.saved
        xp, p = backend.xp, ctx.p
        size = xp.abs(x)
        with xp.errstate(invalid="ignore", divide="ignore", over="ignore"):
            if p == 0:
                slope = xp.zeros_like(x)
            elif p == 1:
                slope = xp.sign(x)
            elif math.isinf(p):
                hit = (size == y).astype(x.dtype)
                slope = xp.sign(x) * hit / hit.sum(axis=ctx.axes, keepdims=True)
            elif p == 2:
                slope = xp.where(y == 0, 0, x / y)
            else:
                slope = xp.sign(x) * size ** (p - 1) / y ** (p - 1)
                slope = xp.where((y == 0) | (x == 0), 0, slope)
        return expand_reduced(grad, ctx.axes, ctx.keepdim) * slope


def norm(input: Any, p: Any = "fro", dim: Dims = None, keepdim: bool = False,  # noqa: A002
         dtype: Any = None) -> Tensor:
    """The p-norm over ``dim`` (every dim when None): p a number, inf, -inf, or 'fro' (= 2)."""
    x = as_tensor(input)
    if dtype is not None:
        x = x.to(dtypes.to_dtype(dtype))
    if x.dtype.kind == "c" and p != "nuc":  # a vector norm reads only the sizes |z|
        x = x.abs()
    if not backend.is_float(x.dtype) and x.dtype.kind != "c":  # (complex here: 'nuc', from a complex SVD)
        raise RuntimeError(f"norm(): input dtype should be floating point, got {x.dtype}")
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":  # the sum of the singular values, over two dims (glassgrad/linalg.py imports the ops)
        from glassgrad.linalg import matrix_norm  # noqa: PLC0415
        return matrix_norm(x, "nuc", (-2, -1) if dim is None else dim, keepdim)
    if isinstance(p, str):
        raise NotImplementedError(f"norm: p={p!r} is not supported (use a number, inf, -inf, 'fro' or 'nuc')")
    axes = reduction_dims(dim, x.ndim, "norm")
    p = float(p)
    if (p < 0 or p == math.inf) and any(x.shape[a] == 0 for a in axes):  # a max or a 1/sum(1/...): no identity
        where = "an empty tensor" if dim is None else f"the empty dimension {next(a for a in axes if not x.shape[a])}"
        raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on {where} because the operation "
                           "does not have an identity")
    return Norm.apply(x, axes=axes, keepdim=keepdim, p=p)
