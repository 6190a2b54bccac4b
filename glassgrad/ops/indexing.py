"""Indexing: getitem (basic slicing, integer arrays, boolean masks) and one_hot.

The backward of indexing is a scatter: each element of the output gradient is
added back at the position it was read from. Basic slicing reads every position
at most once, so a plain assignment into zeros is enough; an integer-array
index may read a position several times, so those contributions must be
added (``xp.add.at``).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.tensor import Tensor, as_tensor


def _is_basic(index: tuple[Any, ...]) -> bool:
    return all(isinstance(i, int | slice) or i is None or i is Ellipsis for i in index)


def normalize_index(index: Any) -> tuple[Any, ...]:
    """Tensors inside an index become arrays; a lone index becomes a 1-tuple."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for item in items:
        if isinstance(item, Tensor):
            item = item.data
        elif isinstance(item, list):
            item = backend.xp.asarray(item)
        if hasattr(item, "dtype") and item.dtype.kind == "f":
            raise IndexError(f"getitem: index arrays must be integer or boolean, got {item.dtype}")
        out.append(item)
    return tuple(out)


class GetItem(Function):
    """y = x[index];  dx = zeros with dy added back at the indexed positions."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, index: tuple[Any, ...]) -> Any:
        ctx.shape, ctx.dtype, ctx.index = x.shape, x.dtype, index
        return x[index]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        dx = xp.zeros(ctx.shape, dtype=grad.dtype)
        if _is_basic(ctx.index):
            dx[ctx.index] = grad
        else:
            xp.add.at(dx, ctx.index, grad)
        return dx


def getitem(x: Any, index: Any) -> Tensor:
    """x[index] with NumPy's indexing rules; gradients scatter-add back."""
    x = as_tensor(x)
    idx = normalize_index(index)
    try:
        x.data[idx]
    except IndexError as err:
        raise IndexError(f"getitem: index {index!r} is invalid for a tensor of shape {x.shape}: {err}") from None
    return GetItem.apply(x, index=idx)


def one_hot(labels: Any, num_classes: int = -1, dtype: Any = None) -> Tensor:
    """Integer labels of shape S -> (S..., num_classes) with a 1 at each label (no gradient).

    ``num_classes=-1`` uses max(label) + 1, as torch.
    """
    xp = backend.xp
    data = labels.data if isinstance(labels, Tensor) else xp.asarray(labels)
    if data.dtype.kind not in "iu":
        raise TypeError(f"one_hot: labels must be integers, got dtype {data.dtype}")
    if data.size and data.min() < 0:
        raise ValueError("one_hot: labels must be non-negative")
    n = int(data.max()) + 1 if num_classes < 0 else num_classes
    if data.size and int(data.max()) >= n:
        raise ValueError(f"one_hot: label {int(data.max())} is out of range for {n} classes")
    out = xp.zeros(data.shape + (n,), dtype=dtype or backend.get_default_dtype())
    xp.put_along_axis(out, data[..., None].astype(xp.int64), 1, axis=-1)
    return Tensor(out)
