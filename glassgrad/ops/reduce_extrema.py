"""The extremes: amax, amin, max, min, aminmax, argmax, argmin.

torch has two conventions for the gradient at a tie, and glassgrad follows both:

* ``amax`` / ``amin`` (``Extreme`` below) and ``max()`` / ``min()`` with no dim
  (``EqualShare``): the gradient is shared evenly by every element equal to the result;
* ``max(dim)`` / ``min(dim)`` return ``(values, indices)``, and the values carry
  the gradient to the one index returned, the first of the tied elements
  (``TakeAlongDim`` in ``reduce_select.py``).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, complex_math, dtypes, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.arguments import pick_dim, pick_keepdim
from glassgrad.ops.reduce_dims import Dims, check_dim, expand_reduced, reduction_dims
from glassgrad.ops.reduce_select import equal_share, index_result, take_along_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["amax", "amin", "aminmax"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class Extreme(Op):
    """y = max (or min) of x over axes;
    dy/dx = 1/k at each of the k elements equal to y, 0 elsewhere (ties share evenly)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool, smallest: bool) -> Any:
        xp = backend.xp  # xp's amin/amax, not x.min/x.max: a Tensor's max(dim) is torch's (values, indices)
        y = xp.amin(x, axis=axes, keepdims=True) if smallest else xp.amax(x, axis=axes, keepdims=True)
        ctx.save_for_backward(x, y)
        ctx.axes, ctx.keepdim = axes, keepdim
        return y if keepdim else y.squeeze(axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, y = ctx.saved
        hit = (x == y).astype(grad.dtype)
        with backend.xp.errstate(invalid="ignore", divide="ignore"):  # a NaN result matches nothing: NaN, as torch
            share = hit / hit.sum(axis=ctx.axes, keepdims=True)
        return expand_reduced(grad, ctx.axes, ctx.keepdim) * share


def _refuse_empty(x: Tensor, axes: tuple[int, ...], op_name: str) -> None:
    """torch refuses to take an extreme over nothing."""
    for a in axes:
        if x.shape[a] == 0:
            raise IndexError(f"{op_name}(): Expected reduction dim {a} to have non-zero size "
                             f"(input shape {tuple(x.shape)})")


def _extreme(input: Any, dim: Dims, keepdim: bool, smallest: bool, op_name: str) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    if (dim is None or dim == ()) and x.numel() == 0:
        raise RuntimeError(f"{op_name}(): Expected reduction dim to be specified for input.numel() == 0 "
                           f"(input shape {tuple(x.shape)})")
    axes = reduction_dims(dim, x.ndim, op_name)
    _refuse_empty(x, axes, op_name)
    return Extreme.apply(x, axes=axes, keepdim=keepdim, smallest=smallest)


def amax(input: Any, dim: Dims = (), keepdim: bool = False, *, axis: Dims = None,  # noqa: A002
         keepdims: bool | None = None) -> Tensor:
    """Largest value over ``dim`` (every dim when () or None); ties share the gradient evenly."""
    return _extreme(input, pick_dim(dim, axis, "amax"), pick_keepdim(keepdim, keepdims), False, "amax")


def amin(input: Any, dim: Dims = (), keepdim: bool = False, *, axis: Dims = None,  # noqa: A002
         keepdims: bool | None = None) -> Tensor:
    """Smallest value over ``dim`` (every dim when () or None); ties share the gradient evenly."""
    return _extreme(input, pick_dim(dim, axis, "amin"), pick_keepdim(keepdim, keepdims), True, "amin")


def aminmax(input: Any, *, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A002
    """``(min, max)`` over ``dim`` (every dim when None), as a named tuple; gradients as amin/amax."""
    return return_types.aminmax(_extreme(input, dim, keepdim, True, "aminmax"),
                                _extreme(input, dim, keepdim, False, "aminmax"))


def _with_indices(input: Any, dim: Any, keepdim: bool, smallest: bool, op_name: str) -> Any:  # noqa: A002
    """torch's ``max(input, dim)``: the named tuple (values, indices) over one dim."""
    x = as_tensor(input)
    if isinstance(dim, tuple | list):
        raise TypeError(f"{op_name}: dim must be one int, got {dim!r} (use amax/amin for several dims)")
    axis = check_dim(dim, x.ndim, op_name)
    _refuse_empty(x, (axis,) if x.ndim else (), op_name)
    array = x.array.reshape(x.shape or (1,))
    pick = backend.xp.argmin if smallest else backend.xp.argmax  # the first of tied elements, as torch
    indices = pick(array, axis=axis, keepdims=True)
    values = take_along_dim(x, indices, axis, keepdim=keepdim)
    result = return_types.min if smallest else return_types.max
    return result(values, index_result(indices, keepdim, axis, x.ndim))


def _global_extreme(input: Any, smallest: bool, op_name: str) -> Tensor:  # noqa: A002
    """``max(input)``: the largest element as a 0-d tensor; ties (or NaNs) share the gradient."""
    x = as_tensor(input)
    if x.numel() == 0:
        raise RuntimeError(f"{op_name}(): Expected reduction dim to be specified for input.numel() == 0 "
                           f"(input shape {tuple(x.shape)})")
    return equal_share(x, x.array.min() if smallest else x.array.max())


def max(input: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,  # noqa: A001, A002
        keepdims: bool | None = None) -> Any:
    """torch's three forms of max:

    * ``max(input)``: the largest value (0-d); ties share the gradient evenly;
    * ``max(input, dim, keepdim=False)``: ``(values, indices)`` along ``dim``;
      the values carry the gradient to the index returned (the first maximum);
    * ``max(input, other)`` with a tensor ``other``: the element-wise ``maximum``.
    """
    if isinstance(dim, Tensor):
        from glassgrad.ops.elementwise import maximum

        return maximum(input, dim)
    dim = pick_dim(dim, axis, "max")
    if dim is None:
        return _global_extreme(input, False, "max")
    return _with_indices(input, dim, pick_keepdim(keepdim, keepdims), False, "max")


def min(input: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,  # noqa: A001, A002
        keepdims: bool | None = None) -> Any:
    """torch's three forms of min (see ``max``); ``min(input, other)`` is ``minimum``."""
    if isinstance(dim, Tensor):
        from glassgrad.ops.elementwise import minimum

        return minimum(input, dim)
    dim = pick_dim(dim, axis, "min")
    if dim is None:
        return _global_extreme(input, True, "min")
    return _with_indices(input, dim, pick_keepdim(keepdim, keepdims), True, "min")


def _arg_extreme(input: Any, dim: Any, keepdim: bool, smallest: bool, op_name: str) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    pick = backend.xp.argmin if smallest else backend.xp.argmax
    if dim is None:  # the index into the flattened tensor
        if x.numel() == 0:  # torch's IndexError (max() of nothing is its RuntimeError)
            raise IndexError(f"{op_name}(): Expected reduction dim to be specified for input.numel() == 0 "
                               f"(input shape {tuple(x.shape)})")
        flat = pick(x.array.reshape(-1))
        shape = (1,) * x.ndim if keepdim else ()
        return Tensor._make(backend.xp.asarray(flat, dtype=dtypes.int64).reshape(shape), False)
    axis = check_dim(dim, x.ndim, op_name)
    _refuse_empty(x, (axis,) if x.ndim else (), op_name)
    indices = pick(x.array.reshape(x.shape or (1,)), axis=axis, keepdims=True)
    return index_result(indices, keepdim, axis, x.ndim)


def argmax(input: Any, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None,  # noqa: A002
           keepdims: bool | None = None) -> Tensor:
    """Index of the largest value along ``dim`` (int64, no gradient); of the flattened tensor when None."""
    complex_math.refuse_unordered("argmax", input)
    return _arg_extreme(input, pick_dim(dim, axis, "argmax"), pick_keepdim(keepdim, keepdims), False, "argmax")


def argmin(input: Any, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None,  # noqa: A002
           keepdims: bool | None = None) -> Tensor:
    """Index of the smallest value along ``dim`` (int64, no gradient); of the flattened tensor when None."""
    complex_math.refuse_unordered("argmin", input)
    return _arg_extreme(input, pick_dim(dim, axis, "argmin"), pick_keepdim(keepdim, keepdims), True, "argmin")
