"""Indexing with torch's rules: ``x[key]`` (getitem), ``x[key] = v`` (index_put), one_hot.

torch reads ``x[key]`` in two steps, and so does glassgrad:

1. the basic part: integers select (and remove) a dim, slices cut one, ``None``
   inserts a size-1 dim, ``...`` stands for the dims not named. This gives a view.
2. the advanced part: integer tensors (and lists) and boolean masks, applied to
   the dims left. The index tensors broadcast together; their result dims go
   where the index tensors are when they sit next to each other, else first.

This differs from NumPy in one case: NumPy counts an integer as an index array,
so ``x[:, 0, :, idx]`` of a (2, 3, 4, 5) tensor is (3, 2, 4) in NumPy (the
integer and ``idx`` are apart, so their dim goes first) but (2, 4, 3) in torch.
A boolean mask of k dims stands for k index tensors (its ``nonzero()``).
Negative slice steps are refused, as torch does.

The backward of reading is writing: the output gradient goes back to the
positions it was read from (added up where an index tensor reads a position
twice); when the basic part keeps every element (only full slices and
``None``) it is a plain reshape.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.index_dtypes import LONG, check_index_dtype
from glassgrad.ops.indexing_numbers import NUMBERS, written_number
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["getitem", "index_put", "one_hot", "parse_index"]
TORCH_NAMES = ["index_put", "one_hot"]
FUNCTIONAL_NAMES = []


class TorchIndex:
    """An index split into torch's two steps (see the module docstring); never changed once made.

    basic: ints, slices and None over the input's dims (applied first, a view);
    advanced: slices and integer arrays over the dims left, or None when there are no index tensors;
    keeps_all: the basic part keeps every element (only full slices and None);
    repeats: an integer array may name a position twice, so writes back must add (masks never repeat);
    axis: where the advanced part is one integer array among full slices, its position (NumPy's ``take``
    along that axis reads what the indexing reads, three times faster on a small table); else None;
    view_key: ``basic`` with an Ellipsis after it, NumPy's key for the basic step (an Ellipsis makes NumPy
    give a view even when every dim is an int, where it would give a scalar).

    The bounds of the index arrays are checked by NumPy when it reads or writes with them (it checks every
    index before it writes any, and raises IndexError); ``torch_index_error`` turns that into torch's message.
    """

    __slots__ = ("basic", "advanced", "keeps_all", "repeats", "axis", "view_key")

    def __init__(self, basic: tuple[Any, ...], advanced: tuple[Any, ...] | None, keeps_all: bool,
                 repeats: bool, axis: int | None = None) -> None:
        self.basic, self.advanced, self.keeps_all, self.repeats, self.axis = basic, advanced, keeps_all, repeats, axis
        self.view_key = basic + (Ellipsis,)

    def __repr__(self) -> str:
        return f"TorchIndex(basic={self.basic}, advanced={self.advanced}, keeps_all={self.keeps_all}, " \
               f"repeats={self.repeats})"

    def view(self, array: Any) -> Any:
        """The basic part of the index applied to ``array``: always a view (even when every dim is an int)."""
        return array[self.view_key]

    def read(self, array: Any) -> Any:
        view = array[self.view_key]
        if self.advanced is None:
            return view
        if self.axis is None or not view.size:  # (take checks no bound where nothing is read: an empty view)
            return view[self.advanced]
        return view.take(self.advanced[self.axis], self.axis)

    def write(self, array: Any, values: Any, accumulate: bool = False) -> None:
        """``array[index] = values`` (or ``+=`` with ``accumulate``; repeated positions add up), in place."""
        view = array[self.view_key]
        if self.advanced is None:
            if accumulate:
                view += values
            else:
                view[...] = values
        elif accumulate and self.repeats:
            backend.xp.add.at(view, self.advanced, values)
        elif accumulate:
            view[self.advanced] += values
        else:
            view[self.advanced] = values


def _convert(item: Any) -> Any:
    """One entry of an index as an int, a bool, a slice, None, Ellipsis or an array."""
    xp = backend.xp
    if isinstance(item, Tensor):
        if item.ndim and item.array.dtype.name in ("int16", "int8", "uint16", "uint32", "uint64"):  # torch refuses
            raise IndexError(f"getitem: tensors used as indices must be integer or boolean (long, int, byte or "
                             f"bool), got dtype {item.array.dtype}")
        if item.ndim == 0 and item.array.dtype == xp.uint8:  # a 0-d byte tensor is a 0-d mask, as torch's
            return bool(item.array)
        item = item.array
    elif isinstance(item, list | range):
        item = xp.asarray(list(item))
        if item.size == 0:
            item = item.astype(xp.int64)
    if isinstance(item, bool | numbers.Integral) and not hasattr(item, "shape") or isinstance(item, xp.bool_):
        return bool(item) if isinstance(item, bool | xp.bool_) else int(item)
    if item is None or item is Ellipsis:
        return item
    if isinstance(item, slice):
        parts = [None if v is None else int(v) for v in (item.start, item.stop, item.step)]
        if parts[2] is not None and parts[2] <= 0:
            raise ValueError(f"getitem: slice step must be greater than zero, got {parts[2]} (torch has no negative "
                             "steps; use flip)")
        return slice(*parts)
    if hasattr(item, "dtype") and hasattr(item, "ndim"):
        item = xp.asarray(item)
        if item.dtype.kind not in "iub":
            raise IndexError(f"getitem: tensors used as indices must be integer or boolean (long, int, byte or "
                             f"bool), got dtype {item.dtype}")
        if item.ndim == 0:
            return bool(item) if item.dtype == bool else int(item)
        return item.astype(bool) if item.dtype == xp.uint8 else item
    raise IndexError(f"getitem: only integers, slices, None, Ellipsis, bools and integer or boolean tensors are "
                     f"valid indices, got {type(item).__name__}")


_PARSED: dict[tuple[Any, tuple[int, ...]], TorchIndex] = {}  # (index key, shape) -> its TorchIndex (parse_index)
_INTS = {int}
_SLICE_PARTS = {int, type(None)}


def parse_index(index: Any, shape: tuple[int, ...]) -> TorchIndex:
    """Split ``index`` for a tensor of ``shape`` into torch's basic and advanced steps.

    The common cases, ints and slices with at most one index tensor (``counts[i, j]``, ``x[2:5]``,
    ``C[Xb]``), take ``plain_index``, a shortcut with the same result; everything else (and every
    error) takes ``parse_any_index``. An index of Python ints, slices of Python ints and 0-d integer
    tensors is remembered with the shape (``memo_key``), because element loops (``counts[i, j] += 1``,
    ``dC[ix] += demb[k, j]``) parse the same few again and again, twice per step (read, then write back);
    a TorchIndex is never changed once made."""
    if index.__class__ is int or index.__class__ is tuple and {*map(type, index)} == _INTS:
        key = (index, shape)  # the commonest case, asked first: an index of Python ints is its own key
    elif index.__class__ is Tensor and index.array.dtype.kind == "i":
        if not index.array.ndim:
            key = ((int(index.array),), shape)  # C[ix], ix a 0-d integer tensor: memo_key's answer, written out
        elif index.array.dtype.itemsize >= 4 and shape and backend.name == "numpy":
            return rows_index(index.array, len(shape))  # C[Xb]: plain_index's answer, without its loop
        else:
            return plain_index(index, shape) or parse_any_index(index, shape)
    else:
        key = memo_key(index)
        if key is None:  # index tensors (their values are read each time) and anything unusual
            return plain_index(index, shape) or parse_any_index(index, shape)
        key = (key, shape)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = plain_index(index, shape) or parse_any_index(index, shape)
        if len(_PARSED) >= 4096:  # a bound on the memory: start again
            _PARSED.clear()
        _PARSED[key] = parsed
    return parsed


_WHOLE = [(slice(None),) * n for n in range(65)]  # n full slices, by n (NumPy allows 64 dims)


def rows_index(array: Any, ndim: int) -> TorchIndex:
    """``plain_index``'s answer for ``x[idx]``, ``idx`` one integer array (of 4 or 8 bytes) and ``x`` of ``ndim``
    dims: every dim kept by the basic step, then the rows ``idx`` names (read with ``take`` along axis 0);
    the bounds are NumPy's to check, as there. An embedding table read by a batch (``C[Xb]``) comes here."""
    whole = _WHOLE[ndim]
    return TorchIndex(whole, (array,) + whole[1:], True, True, 0)


def memo_key(index: Any) -> tuple[Any, ...] | None:
    """A hashable key standing for an index made only of Python ints, slices whose bounds are Python ints
    (or None) and 0-d integer tensors; None for any other index. Exact types are asked, because a look-alike
    is another index (``True == 1`` but ``x[True]`` adds a dim; ``x[1.0]`` is an error). A 0-d integer tensor
    indexes as its int does, so its key is its value; a slice's is its (start, stop, step)."""
    parts = []
    for item in index if index.__class__ is tuple else (index,):
        kind = item.__class__
        if kind is int:
            parts.append(item)
        elif kind is slice and {item.start.__class__, item.stop.__class__, item.step.__class__} <= _SLICE_PARTS:
            parts.append((item.start, item.stop, item.step))
        elif kind is Tensor and item.array.ndim == 0 and item.array.dtype.kind == "i":  # (uint8 0-d: a mask)
            parts.append(int(item.array))
        else:
            return None
    return tuple(parts)


def plain_index(index: Any, shape: tuple[int, ...]) -> TorchIndex | None:
    """``parse_any_index``'s result for an index made only of in-bounds Python ints, slices with int
    bounds, 0-d integer tensors and at most one integer index tensor (or array), found with exact type
    checks; None for any other index. Element loops (``counts[i, j] += 1``) parse two indices per step
    and minibatches index a table every step, so this is where their time went.

    The index array's bounds are left to NumPy, which checks them when the TorchIndex reads or writes (two
    reductions here cost more than the whole read of a small table); ``torch_index_error`` gives torch's
    message then."""
    items = index if index.__class__ is tuple else (index,)
    if len(items) > len(shape):
        return None
    basic: list[Any] = []
    advanced: list[Any] = []  # the slices and the index array, for the advanced step
    keeps_all, indexed = True, False
    for dim, item in enumerate(items):
        kind = item.__class__
        if kind is not int and kind is not slice:  # an index tensor or array: a 0-d one is its int
            array = item.array if isinstance(item, Tensor) else item
            if array.__class__ is not backend.xp.ndarray or array.dtype.kind not in "iu":
                return None
            if array.dtype.itemsize < 4 and isinstance(item, Tensor) and (array.ndim or array.dtype.kind == "u"):
                return None  # a uint8 tensor is a mask, even 0-d; an int16/int8 one is refused: parse_any_index
            if array.ndim == 0:
                item, kind = int(array), int
            elif array.dtype.kind == "u" or indexed:  # (uint8 is a mask; two index arrays must broadcast)
                return None
            elif backend.name != "numpy" and array.size and (array.min() < -shape[dim] or array.max() >= shape[dim]):
                return None  # NumPy checks the bounds as it reads and writes (TorchIndex); CuPy does not
            else:
                basic.append(slice(None))
                axis = len(advanced)  # (every other entry of advanced is a full slice)
                advanced.append(array)
                indexed = True
                continue
        if kind is int:
            if not -shape[dim] <= item < shape[dim]:
                return None
            keeps_all = False
        else:
            start, stop, step = item.start, item.stop, item.step
            if not ((start is None or start.__class__ is int) and (stop is None or stop.__class__ is int)
                    and (step is None or step.__class__ is int and step > 0)):
                return None
            keeps_all = keeps_all and item.indices(shape[dim]) == (0, shape[dim], 1)
            advanced.append(slice(None))
        basic.append(item)
    fill = [slice(None)] * (len(shape) - len(items))
    if not indexed:
        return TorchIndex(tuple(basic + fill), None, keeps_all, False)
    return TorchIndex(tuple(basic + fill), tuple(advanced + fill), keeps_all, True, axis)


def parse_any_index(index: Any, shape: tuple[int, ...]) -> TorchIndex:
    """``parse_index`` for any index: ints, slices, None, Ellipsis, bools, index tensors and lists, masks."""
    xp = backend.xp
    items = [_convert(i) for i in (index if isinstance(index, tuple) else (index,))]
    named = sum(0 if i is None or i is Ellipsis or isinstance(i, bool) else
                i.ndim if hasattr(i, "dtype") and i.dtype == bool else 1 for i in items)
    ellipses = sum(i is Ellipsis for i in items)
    if ellipses > 1:
        raise IndexError("getitem: an index can only have a single ellipsis ('...')")
    if named > len(shape):
        raise IndexError(f"getitem: too many indices for tensor of dimension {len(shape)} (shape {tuple(shape)})")
    fill = [slice(None)] * (len(shape) - named)
    items = [*items, *fill] if not ellipses else [piece for i in items for piece in (fill if i is Ellipsis else [i])]

    basic: list[Any] = []
    advanced: list[Any] = []
    dim, has_arrays, repeats, keeps_all = 0, False, False, True
    for item in items:
        if isinstance(item, bool):  # a new size-1 dim, kept (True) or emptied (False)
            basic.append(None)
            advanced.append(xp.arange(1 if item else 0))
            has_arrays = True
        elif isinstance(item, int):
            n = shape[dim]
            if not -n <= item < n:
                raise IndexError(f"getitem: index {item} is out of bounds for dimension {dim} with size {n} "
                                 f"(tensor of shape {tuple(shape)})")
            basic.append(item)
            dim, keeps_all = dim + 1, False
        elif item is None:
            basic.append(None)
            advanced.append(slice(None))
        elif isinstance(item, slice):
            basic.append(item)
            advanced.append(slice(None))
            keeps_all = keeps_all and item.indices(shape[dim]) == (0, shape[dim], 1)
            dim += 1
        elif item.dtype == bool:
            covered = tuple(shape[dim:dim + item.ndim])
            if tuple(item.shape) != covered:
                raise IndexError(f"getitem: the shape of the mask {tuple(item.shape)} at index {dim} does not match "
                                 f"the shape of the indexed tensor {tuple(shape)}")
            basic.extend([slice(None)] * item.ndim)
            advanced.extend(xp.nonzero(item))
            dim, has_arrays = dim + item.ndim, True
        else:
            n = shape[dim]
            if item.size and (item.min() < -n or item.max() >= n):
                bad = int(item.min()) if item.min() < -n else int(item.max())
                raise IndexError(f"getitem: index {bad} is out of bounds for dimension {dim} with size {n} "
                                 f"(tensor of shape {tuple(shape)})")
            basic.append(slice(None))
            advanced.append(item)
            dim, has_arrays, repeats = dim + 1, True, True
    arrays = [a for a in advanced if not isinstance(a, slice)] if has_arrays else []
    if len(arrays) > 1:  # (one array always broadcasts)
        try:
            xp.broadcast_shapes(*(a.shape for a in arrays))
        except ValueError:
            raise IndexError(f"getitem: shape mismatch: indexing tensors could not be broadcast together with shapes "
                             f"{[tuple(a.shape) for a in arrays]}") from None
    return TorchIndex(tuple(basic), tuple(advanced) if has_arrays else None, keeps_all, repeats)


class GetItem(Op):
    """y = x[index];  dx = zeros with dy written (added, where a position was read twice) back at
    the indexed positions, or dy reshaped when the index keeps every element."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, index: TorchIndex) -> Any:
        ctx.shape, ctx.index = x.shape, index
        view = x[index.view_key]  # index.read(x), written out: every x[i] comes here
        if index.advanced is None:
            return view
        if index.axis is None or not view.size:  # (take checks no bound where nothing is read: an empty view)
            return view[index.advanced]
        return view.take(index.advanced[index.axis], index.axis)

    differentiable_backward = True

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        index = ctx.index
        if index.advanced is None and index.keeps_all:
            return grad.reshape(ctx.shape)  # only None and full slices: nothing to scatter
        return written_at(ctx.shape, index, grad, accumulate=index.repeats)


@dataclass(frozen=True)
class ArrayIndex:
    """A NumPy index (``key``: ints, slices, integer arrays, masks, with NumPy's rules) that reads and
    writes as a ``TorchIndex`` does, so ``GetItem`` and ``WriteAt`` serve the other ops' adjoints too
    (a scatter along a dim, a masked write)."""

    key: Any
    keeps_all = False
    repeats = True  # a write back adds up (numpy.add.at): correct whether or not positions repeat
    view_key = (Ellipsis,)  # (GetItem reads array[view_key][advanced]: here the whole array, then the key)
    axis = None  # (never read with take)

    @property
    def advanced(self) -> Any:
        return self.key

    def read(self, array: Any) -> Any:
        return array[self.key]

    def write(self, array: Any, values: Any, accumulate: bool = False) -> None:
        if accumulate:
            backend.xp.add.at(array, self.key, values)
        else:
            array[self.key] = values


def read_at(index: Any, x: Any) -> Any:
    """``x[index]`` for a ``TorchIndex`` or ``ArrayIndex``: on an array directly; on a Tensor (a backward
    recording its graph, glassgrad/autograd/higher_order.py) the ``GetItem`` op."""
    return GetItem.apply(x, index=index) if isinstance(x, Tensor) else index.read(x)


def written_at(shape: tuple[int, ...], index: Any, values: Any, accumulate: bool) -> Any:
    """Zeros of ``shape`` with ``values`` written at ``index`` (added up where a position repeats, with
    ``accumulate``): the adjoint of reading. On a Tensor, the differentiable op ``WriteAt``."""
    if isinstance(values, Tensor):
        return WriteAt.apply(values, shape=tuple(shape), index=index, accumulate=accumulate)
    out = backend.xp.zeros(shape, dtype=values.dtype)
    index.write(out, values, accumulate)
    return out


def zeroed_at(x: Any, index: Any) -> Any:
    """A copy of ``x`` with the positions at ``index`` set to 0; on a Tensor, x times a constant mask."""
    if isinstance(x, Tensor):
        keep = backend.xp.ones(tuple(x.shape), dtype=x.dtype)
        index.write(keep, 0)
        return x * keep
    out = x.copy()
    index.write(out, 0)
    return out


class WriteAt(Op):
    """y = zeros of ``shape`` with v written at ``index`` (added where a position repeats, with
    ``accumulate``): the backward of reading, as an op;  dv = dy read at ``index``."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, values: Any, *, shape: tuple[int, ...], index: Any, accumulate: bool) -> Any:
        ctx.index = index
        return written_at(shape, index, values, accumulate)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return read_at(ctx.index, grad)


def getitem(x: Any, index: Any) -> Tensor:
    """``x[index]`` with torch's indexing rules (see the module docstring); gradients flow back."""
    x = x if isinstance(x, Tensor) else as_tensor(x)
    try:
        return GetItem.apply(x, index=parse_index(index, x.array.shape))
    except IndexError:
        raise_torch_index_error(index, x.array.shape)
        raise


def raise_torch_index_error(index: Any, shape: tuple[int, ...]) -> None:
    """Where NumPy refused ``index`` (an index array out of bounds: ``plain_index`` leaves it the bounds),
    raise the general parser's IndexError, torch's message; return if the parser finds nothing wrong."""
    try:
        parse_any_index(index, shape)
    except IndexError as torch_error:
        raise torch_error from None


class IndexPut(Op):
    """y = x with y[index] = v (or y[index] += v with ``accumulate``);
    dx = dy with the written positions zeroed (all of dy when accumulating);  dv = dy[index]."""

    @staticmethod
    def forward(ctx: Context, x: Any, v: Any, *, index: TorchIndex, accumulate: bool) -> Any:
        ctx.index, ctx.accumulate = index, accumulate
        y = x.copy()
        index.write(y, v, accumulate)
        return y

    differentiable_backward = True

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        dv = read_at(ctx.index, grad) if ctx.needs_input_grad[1] else None
        if ctx.accumulate:
            return grad, dv
        return zeroed_at(grad, ctx.index), dv


def index_put(x: Any, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """A copy of ``x`` with ``values`` (broadcast to the indexed shape) written, or with
    ``accumulate`` added, at ``indices`` (torch's rules; repeated positions add up when accumulating)."""
    x = as_tensor(x)
    try:
        return _index_put(x, parse_index(indices, x.array.shape), values, accumulate)
    except IndexError:
        raise_torch_index_error(indices, x.array.shape)
        raise


def _index_put(x: Tensor, index: TorchIndex, values: Any, accumulate: bool) -> Tensor:
    """``index_put`` once the index is parsed: ``values`` made a tensor of x's dtype, broadcast (leading
    size-1 dims dropped, as torch) to the indexed shape, then the op."""
    if values.__class__ in NUMBERS:  # a Python number: converted as torch does (refused where it overflows)
        values = written_number(values, x.array.dtype)
    v = values if isinstance(values, Tensor) else Tensor._make(backend.xp.asarray(values, dtype=x.dtype), False)
    if v.dtype != x.dtype:
        v = v.to(x.dtype)
    target_shape = index.read(backend.xp.empty(x.shape, dtype=bool)).shape
    extra = v.ndim - len(target_shape)
    if extra > 0 and all(n == 1 for n in v.shape[:extra]):  # leading size-1 dims are dropped, as torch
        v = v.reshape(tuple(v.shape[extra:]))
    try:
        fits = backend.xp.broadcast_shapes(tuple(v.shape), target_shape) == target_shape
    except ValueError:
        fits = False
    if not fits:
        given = tuple(getattr(values, "shape", ()))
        raise OpInputError(f"setitem: shape mismatch: value tensor of shape {given} "
                           f"cannot be broadcast to indexing result of shape {target_shape} (tensor of shape "
                           f"{tuple(x.shape)})")
    if tuple(v.shape) != target_shape:
        v = v.expand(target_shape)
    return IndexPut.apply(x, v, index=index, accumulate=accumulate)


def one_hot(labels: Any, num_classes: int = -1, dtype: Any = None) -> Tensor:
    """Integer labels of shape S -> (S..., num_classes) with a 1 at each label (no gradient).

    ``num_classes=-1`` uses max(label) + 1, as torch.
    """
    xp = backend.xp
    data = labels.array if isinstance(labels, Tensor) else xp.asarray(labels)
    check_index_dtype("one_hot", data, LONG, what="labels")
    if data.size and data.min() < 0:
        raise OpInputError("one_hot: labels must be non-negative")
    n = int(data.max()) + 1 if num_classes < 0 else num_classes
    if data.size and int(data.max()) >= n:
        raise OpInputError(f"one_hot: label {int(data.max())} is out of range for {n} classes")
    labels = labels if isinstance(labels, Tensor) else Tensor._make(data, False)
    return OneHot.apply(labels, num_classes=n, dtype=dtype or backend.get_default_dtype())


class OneHot(Op):
    """y[..., k] = 1 where labels[...] == k, else 0. No gradient (the labels are integers).

    An Op only so that a traced graph (glassgrad.onnx) records it; it records nothing in
    ordinary use, because integer labels never require grad.
    """

    @staticmethod
    def forward(ctx: Context, labels: Any, *, num_classes: int, dtype: Any) -> Any:
        xp = backend.xp
        out = xp.zeros(labels.shape + (num_classes,), dtype=dtype)  # (*S, num_classes)
        xp.put_along_axis(out, labels[..., None].astype(xp.int64), 1, axis=-1)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return None
