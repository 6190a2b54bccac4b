"""Padding with torch's ``F.pad`` semantics.

``pad`` lists (before, after) pairs starting from the LAST dim:
``pad(x, (1, 2))`` pads the last dim with 1 element before and 2 after;
``pad(x, (1, 1, 2, 0))`` also pads the second-last dim with 2 before.

Modes:
  constant   a fixed value (negative pads crop);
  reflect    mirror without repeating the edge: [1, 2, 3] -> 3, 2, [1, 2, 3], 2, 1;
  replicate  repeat the edge: [1, 2, 3] -> 1, 1, [1, 2, 3], 3, 3;
  circular   wrap around: [1, 2, 3] -> 2, 3, [1, 2, 3], 1, 2.

Every output element is a copy of one input element (or the constant), so the
backward adds each output gradient back into the element it was copied from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.indexing_select import added_along_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["pad"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []

MODES = ("constant", "reflect", "replicate", "circular")
_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


class ConstantPad(Op):
    """y = x surrounded by a constant;  dx = the centre of dy."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, widths: tuple[tuple[int, int], ...], value: float) -> Any:
        ctx.centre = tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, x.shape))
        return backend.xp.pad(x, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad[ctx.centre]


class CopyPad(Op):
    """y = x extended along each padded dim by copies of its own elements
    (``sources[d][j]`` = the input position that output position j copies);
    dx = dy summed back into the source positions, one dim at a time."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, sources: tuple[tuple[int, Any], ...]) -> Any:
        ctx.sources, ctx.shape = sources, x.shape
        for dim, source in sources:
            x = backend.xp.take(x, source, axis=dim)
        return x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        for dim, source in reversed(ctx.sources):
            shape = list(grad.shape)
            shape[dim] = ctx.shape[dim]
            grad = added_along_dim(tuple(shape), dim, source, grad)
        return grad


def _pairs_by_dim(x: Tensor, pad: Sequence[int]) -> list[tuple[int, int, int]]:
    """torch's flat pad tuple as (dim, before, after), last dim first."""
    if isinstance(pad, int) or any(isinstance(p, Sequence) for p in pad):
        raise TypeError(f"pad: pad must be a flat tuple of ints (before_last, after_last, before_second_last, ...), "
                        f"got {pad!r}")
    pad = [int(p) for p in pad]
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise OpInputError(f"pad: need an even number of values (before/after pairs), at most 2 * ndim = {2 * x.ndim} "
                           f"for input of shape {tuple(x.shape)}; got {tuple(pad)}")
    return [(x.ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]


def _crop(x: Tensor, pairs: list[tuple[int, int, int]]) -> tuple[Tensor, list[tuple[int, int, int]]]:
    """Apply the negative pads (crops) first; return the cropped tensor and the remaining pads."""
    index = [slice(None)] * x.ndim
    for dim, before, after in pairs:
        n = x.shape[dim]
        index[dim] = slice(max(-before, 0), n - max(-after, 0))
        if max(-before, 0) + max(-after, 0) > n:
            raise OpInputError(f"pad: negative padding {(before, after)} crops more than dim {dim} of size {n} "
                               f"(input shape {tuple(x.shape)})")
    if any(before < 0 or after < 0 for _, before, after in pairs):
        x = x[tuple(index)]
    return x, [(dim, max(before, 0), max(after, 0)) for dim, before, after in pairs]


def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:  # noqa: A002
    """Pad ``input`` as torch's ``F.pad``: ``pad`` = (before, after) pairs from the last dim backwards.

    ``mode='constant'`` pads with ``value`` (default 0) and accepts negative pads (they crop);
    'reflect', 'replicate' and 'circular' pad the last 1, 2 or 3 dims of a batched
    (N, C, ...) or unbatched (C, ...) input, as torch.
    """
    x = as_tensor(input)
    if mode not in MODES:
        raise NotImplementedError(f"pad: unrecognised padding mode {mode!r} (expected one of {MODES})")
    pairs = _pairs_by_dim(x, pad)
    if mode != "constant":
        if value is not None:
            raise OpInputError(f"pad: padding mode {mode!r} doesn't take in a value argument")
        k = len(pairs)
        if k not in (1, 2, 3) or x.ndim not in (k + 1, k + 2):
            raise NotImplementedError(
                f"pad: mode {mode!r} pads the last 1, 2 or 3 dims of a ({k + 1})-d or ({k + 2})-d input; got pad "
                f"{tuple(pad)} for input of shape {tuple(x.shape)}")
    x, pairs = _crop(x, pairs) if mode in ("constant", "circular") else (x, pairs)
    if any(before < 0 or after < 0 for _, before, after in pairs):
        raise OpInputError(f"pad: negative padding {tuple(pad)} is only allowed in constant and circular modes")
    if all(before == 0 and after == 0 for _, before, after in pairs):
        return x
    if mode == "constant":
        widths = [(0, 0)] * x.ndim
        for dim, before, after in pairs:
            widths[dim] = (before, after)
        return ConstantPad.apply(x, widths=tuple(widths), value=0.0 if value is None else float(value))
    sources = []
    for dim, before, after in pairs:
        n = x.shape[dim]
        if mode == "reflect" and (before >= n or after >= n):
            raise OpInputError(f"pad: padding size should be less than the corresponding input dimension for "
                               f"reflect, but got padding {(before, after)} at dim {dim} of input {tuple(x.shape)}")
        if mode == "circular" and (before > n or after > n):
            raise OpInputError(f"pad: padding value causes wrapping around more than once (padding {(before, after)} "
                               f"at dim {dim} of input {tuple(x.shape)})")
        if mode == "replicate" and n == 0:
            raise OpInputError(f"pad: cannot replicate-pad an empty dim {dim} of input {tuple(x.shape)}")
        positions = backend.xp.arange(n)
        sources.append((dim, backend.xp.pad(positions, (before, after), mode=_NUMPY_MODES[mode])))
    return CopyPad.apply(x, sources=tuple(sources))
