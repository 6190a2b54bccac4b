"""Shape, movement, indexing and matrix products as Tensor methods (torch's signatures).

Each method delegates to ``glassgrad.ops``; the in-place forms at the end
(``scatter_``, ``index_fill_``, ``tril_``, ...) go through ``self._inplace`` (see
methods/inplace.py), which makes the out-of-place result this tensor's new value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import glassgrad
from glassgrad import backend, dtypes
from glassgrad.device import array_module, device_of

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


def _varargs(args: tuple[Any, ...]) -> Any:
    """``f(0, 1)`` and ``f((0, 1))`` mean the same dims or sizes."""
    return args[0] if len(args) == 1 and isinstance(args[0], tuple | list) else args


class ShapeMethods:
    """Methods that move, select or multiply whole arrays."""

    # ----- views and reshapes -----------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        return glassgrad.ops.reshape(self, *shape)

    def view(self, *shape: Any) -> Tensor:
        """Same values and memory, new shape (``view(dtype)`` is not supported).

        As in torch, a view needs no copy: when this tensor's layout cannot be read in the new
        shape without one (a transpose, most slices), it is an error; ``reshape`` copies then.
        """
        out = glassgrad.ops.reshape(self, *shape)
        if out.array.size and not backend.xp.may_share_memory(out.array, self.array):
            raise RuntimeError(
                f"view size is not compatible with input tensor's size and stride (a tensor of shape "
                f"{tuple(self.shape)} laid out non-contiguously cannot be viewed as {tuple(out.shape)} "
                f"without a copy). Use .reshape(...) instead, or .contiguous().view(...)."
            )
        return out

    def view_as(self, other: Tensor) -> Tensor:
        return self.view(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return glassgrad.ops.reshape(self, other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return glassgrad.ops.flatten(self, start_dim, end_dim)

    def ravel(self) -> Tensor:
        return glassgrad.ops.ravel(self)

    def unflatten(self, dim: int, sizes: Any) -> Tensor:
        return glassgrad.ops.unflatten(self, dim, sizes)

    def permute(self, *dims: Any) -> Tensor:
        return glassgrad.ops.permute(self, *dims)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return glassgrad.ops.transpose(self, dim0, dim1)

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        return glassgrad.ops.transpose(self, axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        return glassgrad.ops.transpose(self, dim0, dim1)

    def movedim(self, source: Any, destination: Any) -> Tensor:
        return glassgrad.ops.movedim(self, source, destination)

    moveaxis = movedim

    def t(self) -> Tensor:
        """The transpose of a matrix (a 0-d or 1-d tensor is returned as it is)."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self if self.ndim < 2 else glassgrad.ops.transpose(self, 0, 1)

    def squeeze(self, dim: Any = None, *, axis: Any = None) -> Tensor:
        return glassgrad.ops.squeeze(self, dim, axis=axis)

    def unsqueeze(self, dim: int) -> Tensor:
        return glassgrad.ops.unsqueeze(self, dim)

    def expand(self, *sizes: Any) -> Tensor:
        return glassgrad.ops.expand(self, *sizes)

    def expand_as(self, other: Tensor) -> Tensor:
        return glassgrad.ops.expand(self, other.shape)

    def broadcast_to(self, *shape: Any) -> Tensor:
        return glassgrad.ops.expand(self, *shape)

    def contiguous(self) -> Tensor:
        """Self if its array is C-contiguous, else a C-contiguous copy (differentiable), as torch;
        so ``x.t().contiguous().is_contiguous()`` is True. (Every glassgrad op accepts any layout.)"""
        return self if self.array.flags.c_contiguous else glassgrad.ops.clone(self)

    def clone(self) -> Tensor:
        """A copy with its own memory; gradients flow back to this tensor."""
        return glassgrad.ops.clone(self)

    def matmul(self, other: Any) -> Tensor:
        return glassgrad.ops.matmul(self, other)

    # ----- cutting, reordering, repeating -----------------------------------
    def split(self, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` along ``dim`` (or of the listed sizes)."""
        return glassgrad.ops.split(self, split_size, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        return glassgrad.ops.chunk(self, chunks, dim)

    def tensor_split(self, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        return glassgrad.ops.tensor_split(self, indices_or_sections, dim)

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        return glassgrad.ops.unbind(self, dim)

    def narrow(self, dim: int, start: Any, length: int) -> Tensor:
        return glassgrad.ops.narrow(self, dim, start, length)

    def select(self, dim: int, index: int) -> Tensor:
        return glassgrad.ops.select(self, dim, index)

    def unfold(self, dimension: int, size: int, step: int) -> Tensor:
        """Sliding windows of ``size`` every ``step`` along ``dimension``, as a new last dim."""
        return glassgrad.ops.unfold(self, dimension, size, step)

    def flip(self, *dims: Any, **keyword: Any) -> Tensor:
        """Reverse along dims: ``x.flip(0)``, ``x.flip(0, 1)``, ``x.flip([0, 1])``, ``x.flip(dims=[0, 1])``."""
        if keyword:
            if dims or set(keyword) != {"dims"}:
                raise TypeError(f"flip() takes the dims once, positionally or as dims=; got {dims} and {keyword}")
            return glassgrad.ops.flip(self, keyword["dims"])
        return glassgrad.ops.flip(self, _varargs(dims))

    def fliplr(self) -> Tensor:
        return glassgrad.ops.fliplr(self)

    def flipud(self) -> Tensor:
        return glassgrad.ops.flipud(self)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        return glassgrad.ops.roll(self, shifts, dims)

    def repeat(self, *sizes: Any) -> Tensor:
        """Tile the tensor ``sizes[k]`` times along dim k (NumPy's tile; see repeat_interleave)."""
        return glassgrad.ops.repeat(self, *sizes)

    def tile(self, *dims: Any) -> Tensor:
        return glassgrad.ops.tile(self, _varargs(dims))

    def repeat_interleave(self, repeats: Any, dim: int | None = None, *, output_size: int | None = None) -> Tensor:
        return glassgrad.ops.repeat_interleave(self, repeats, dim, output_size=output_size)

    # ----- triangles and diagonals ------------------------------------------
    def tril(self, diagonal: int = 0) -> Tensor:
        return glassgrad.ops.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        return glassgrad.ops.triu(self, diagonal)

    def diag(self, diagonal: int = 0) -> Tensor:
        return glassgrad.ops.diag(self, diagonal)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        return glassgrad.ops.diagonal(self, offset, dim1, dim2)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        return glassgrad.ops.diag_embed(self, offset, dim1, dim2)

    # ----- gather, scatter, index and mask selection ------------------------
    def gather(self, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
        return glassgrad.ops.gather(self, dim, index, sparse_grad=sparse_grad)

    def take_along_dim(self, indices: Any, dim: int | None = None) -> Tensor:
        return glassgrad.ops.take_along_dim(self, indices, dim)

    def take(self, index: Any) -> Tensor:
        return glassgrad.ops.take(self, index)

    def scatter(self, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: str | None = None) -> Tensor:
        return glassgrad.ops.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim: int, index: Any, src: Any) -> Tensor:
        return glassgrad.ops.scatter_add(self, dim, index, src)

    def scatter_reduce(self, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True) -> Tensor:
        return glassgrad.ops.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def index_select(self, dim: int, index: Any) -> Tensor:
        return glassgrad.ops.index_select(self, dim, index)

    def index_add(self, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        return glassgrad.ops.index_add(self, dim, index, source, alpha=alpha)

    def index_copy(self, dim: int, index: Any, source: Any) -> Tensor:
        return glassgrad.ops.index_copy(self, dim, index, source)

    def index_fill(self, dim: int, index: Any, value: Any) -> Tensor:
        return glassgrad.ops.index_fill(self, dim, index, value)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        return glassgrad.ops.masked_fill(self, mask, value)

    def masked_select(self, mask: Any) -> Tensor:
        return glassgrad.ops.masked_select(self, mask)

    def masked_scatter(self, mask: Any, source: Any) -> Tensor:
        return glassgrad.ops.masked_scatter(self, mask, source)

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        return glassgrad.ops.nonzero(self, as_tuple=as_tuple)

    def argwhere(self) -> Tensor:
        return glassgrad.ops.argwhere(self)

    def where(self, condition: Any, other: Any) -> Tensor:
        """``self`` where ``condition`` holds, else ``other`` (torch's ``x.where(cond, y)``)."""
        return glassgrad.ops.where(condition, self, other)

    def index_put(self, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
        """A copy with ``self[indices] = values`` (or ``+=`` with ``accumulate``)."""
        return glassgrad.ops.index_put(self, indices, values, accumulate)

    # ----- new tensors with this tensor's dtype and device -------------------
    def _new(self, fill: Any, size: tuple[Any, ...], dtype: Any, device: Any, requires_grad: bool) -> Tensor:
        from glassgrad.tensor import Tensor

        xp = array_module(device_of(self.array) if device is None else device)
        shape = tuple(int(n) for n in _varargs(size))
        target = self.dtype if dtype is None else dtypes.to_dtype(dtype)
        array = xp.empty(shape, dtype=target) if fill is None else xp.full(shape, fill, dtype=target)
        return Tensor(array, requires_grad=requires_grad)

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        return self._new(0, size, dtype, device, requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        return self._new(1, size, dtype, device, requires_grad)

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        return self._new(None, size, dtype, device, requires_grad)

    def new_full(self, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:
        return self._new(fill_value, (size,), dtype, device, requires_grad)

    def new_tensor(self, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        """A new leaf holding a copy of ``data``, by default with this tensor's dtype and device."""
        from glassgrad.tensor import Tensor

        xp = array_module(device_of(self.array) if device is None else device)
        values = data.array if isinstance(data, Tensor) else data
        target = self.dtype if dtype is None else dtypes.to_dtype(dtype)
        return Tensor(xp.array(values, dtype=target, copy=True), requires_grad=requires_grad)

    # ----- in-place forms (graph-aware, through InPlaceMethods._inplace) ------
    def scatter_(self, dim: int, index: Any, src: Any = None, *, value: Any = None,
                 reduce: str | None = None) -> Tensor:
        return self._inplace(glassgrad.ops.scatter, dim, index, src, value=value, reduce=reduce)

    def scatter_add_(self, dim: int, index: Any, src: Any) -> Tensor:
        return self._inplace(glassgrad.ops.scatter_add, dim, index, src)

    def scatter_reduce_(self, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True) -> Tensor:
        return self._inplace(glassgrad.ops.scatter_reduce, dim, index, src, reduce, include_self=include_self)

    def index_fill_(self, dim: int, index: Any, value: Any) -> Tensor:
        return self._inplace(glassgrad.ops.index_fill, dim, index, value)

    def index_add_(self, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        return self._inplace(glassgrad.ops.index_add, dim, index, source, alpha=alpha)

    def index_copy_(self, dim: int, index: Any, source: Any) -> Tensor:
        return self._inplace(glassgrad.ops.index_copy, dim, index, source)

    def masked_scatter_(self, mask: Any, source: Any) -> Tensor:
        return self._inplace(glassgrad.ops.masked_scatter, mask, source)

    def tril_(self, diagonal: int = 0) -> Tensor:
        return self._inplace(glassgrad.ops.tril, diagonal)

    def triu_(self, diagonal: int = 0) -> Tensor:
        return self._inplace(glassgrad.ops.triu, diagonal)

    # ----- matrix products (linalg) -----
    def mm(self, mat2: Any) -> Tensor:
        return glassgrad.ops.mm(self, mat2)

    def bmm(self, mat2: Any) -> Tensor:
        return glassgrad.ops.bmm(self, mat2)

    def mv(self, vec: Any) -> Tensor:
        return glassgrad.ops.mv(self, vec)

    def dot(self, other: Any) -> Tensor:
        return glassgrad.ops.dot(self, other)

    def vdot(self, other: Any) -> Tensor:
        return glassgrad.ops.vdot(self, other)

    def inner(self, other: Any) -> Tensor:
        return glassgrad.ops.inner(self, other)

    def outer(self, vec2: Any) -> Tensor:
        return glassgrad.ops.outer(self, vec2)

    def ger(self, vec2: Any) -> Tensor:
        return glassgrad.ops.outer(self, vec2)

    def kron(self, other: Any) -> Tensor:
        return glassgrad.ops.kron(self, other)

    def trace(self) -> Tensor:
        return glassgrad.ops.trace(self)

    def addmm(self, mat1: Any, mat2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return glassgrad.ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self, mat: Any, vec: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return glassgrad.ops.addmv(self, mat, vec, beta=beta, alpha=alpha)

    def baddbmm(self, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return glassgrad.ops.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm(self, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return glassgrad.ops.addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addr(self, vec1: Any, vec2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return glassgrad.ops.addr(self, vec1, vec2, beta=beta, alpha=alpha)

    # ----- differences, turns, named movements, runs (ops/differences.py, movement_rotate.py & co.) -------
    def diff(self, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
        return glassgrad.ops.diff(self, n, dim, prepend, append)

    def rot90(self, k: int = 1, dims: Any = (0, 1)) -> Tensor:
        return glassgrad.ops.rot90(self, k, dims)

    def adjoint(self) -> Tensor:
        return glassgrad.ops.adjoint(self)

    def narrow_copy(self, dim: int, start: int, length: int) -> Tensor:
        return glassgrad.ops.narrow_copy(self, dim, start, length)

    def hsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        return glassgrad.ops.hsplit(self, indices_or_sections)

    def vsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        return glassgrad.ops.vsplit(self, indices_or_sections)

    def dsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        return glassgrad.ops.dsplit(self, indices_or_sections)

    def diagflat(self, offset: int = 0) -> Tensor:
        return glassgrad.ops.diagflat(self, offset)

    def unique_consecutive(self, return_inverse: bool = False, return_counts: bool = False,
                           dim: int | None = None) -> Any:
        return glassgrad.ops.unique_consecutive(self, return_inverse, return_counts, dim)

    def slice_scatter(self, src: Any, dim: int = 0, start: int | None = None, end: int | None = None,
                      step: int = 1) -> Tensor:
        return glassgrad.ops.slice_scatter(self, src, dim, start, end, step)

    def select_scatter(self, src: Any, dim: int, index: int) -> Tensor:
        return glassgrad.ops.select_scatter(self, src, dim, index)

    def diagonal_scatter(self, src: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        return glassgrad.ops.diagonal_scatter(self, src, offset, dim1, dim2)

    def as_strided(self, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
        return glassgrad.ops.as_strided(self, size, stride, storage_offset)

    def as_strided_scatter(self, src: Any, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
        return glassgrad.ops.as_strided_scatter(self, src, size, stride, storage_offset)

    def split_with_sizes(self, split_sizes: Any, dim: int = 0) -> tuple[Tensor, ...]:
        return glassgrad.ops.split_with_sizes(self, split_sizes, dim)

    def unsafe_split(self, split_size: int, dim: int = 0) -> tuple[Tensor, ...]:
        return glassgrad.ops.unsafe_split(self, split_size, dim)

    def unsafe_chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        return glassgrad.ops.unsafe_chunk(self, chunks, dim)

    unsafe_split_with_sizes = split_with_sizes

    @property
    def H(self) -> Tensor:  # noqa: N802  (torch's name)
        """The conjugate transpose of a matrix (the transpose of a real one)."""
        if self.ndim != 2:
            raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {self.ndim}-D tensor."
                               + (" For batches of matrices, consider using tensor.mH" if self.ndim > 2 else ""))
        return glassgrad.ops.adjoint(self)

    @property
    def mH(self) -> Tensor:  # noqa: N802
        """The conjugate transpose of the last two dims (``adjoint``)."""
        return glassgrad.ops.adjoint(self)

    def char(self) -> Tensor:
        return self.to(glassgrad.int8)

    def put(self, index: Any, source: Any, accumulate: bool = False) -> Tensor:
        return glassgrad.ops.put(self, index, source, accumulate)

    def index_reduce(self, dim: int, index: Any, source: Any, reduce: str, *, include_self: bool = True) -> Tensor:
        return glassgrad.ops.index_reduce(self, dim, index, source, reduce, include_self=include_self)

    def nonzero_static(self, *, size: int, fill_value: int = -1) -> Tensor:
        return glassgrad.ops.nonzero_static(self, size=size, fill_value=fill_value)

    def new(self, *args: Any, **kwargs: Any) -> Tensor:
        """torch's legacy ``x.new(...)``: ints or a Size give an uninitialised tensor of that shape (zeros
        here), anything else is data; this tensor's dtype and device either way."""
        from glassgrad.tensor import Size, legacy_shape

        shape = legacy_shape(args)
        if shape is not None:
            return self.new_empty(Size(shape), **kwargs)
        if len(args) != 1:
            raise TypeError(f"new(): expected sizes or one sequence of data, got {len(args)} arguments")
        return self.new_tensor(args[0], **kwargs)

    def new_empty_strided(self, size: Any, stride: Any, *, dtype: Any = None, device: Any = None,
                          requires_grad: bool = False) -> Tensor:
        return glassgrad.empty_strided(size, stride, dtype=self.dtype if dtype is None else dtype,
                                       device=self.device if device is None else device, requires_grad=requires_grad)
