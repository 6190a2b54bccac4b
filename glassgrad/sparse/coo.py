"""The sparse COO tensor: a list of coordinates and the values found there.

A matrix with few non-zeros (a graph's adjacency: n² places, a few n of them edges) is stored
as the non-zeros alone::

    indices = [[0, 1, 1],      # row of each entry      (sparse_dim, nnz) int64
               [2, 0, 2]]      # column of each entry
    values  = [3., 4., 5.]     # the entry itself       (nnz, *dense_shape)
    size    = (2, 3)

    dense   = [[0, 0, 3],
               [4, 0, 5]]

"COO" is for coordinate format. The same coordinate may appear more than once; the dense tensor
is then the sum of those entries. ``coalesce()`` sums them, so that each coordinate appears once,
in row-major order; ``is_coalesced()`` says whether that is known to be so.

**How it takes part in autograd.** A sparse tensor is a ``Tensor`` (``isinstance(A,
torch.Tensor)`` holds, as in torch) whose differentiable part is its ``values``, an ordinary
dense Tensor; the indices are integers and carry no gradient. Every op on a sparse tensor is an
op on its values with the indices as a constant parameter (``glassgrad/sparse/products.py``), so
the engine sees only dense tensors and needs no change. A sparse leaf made with
``requires_grad=True`` owns a leaf values tensor; its ``.grad`` is read from there, as a sparse
tensor with the leaf's coordinates (torch's sparse gradient, with the same sparsity pattern).

**What it refuses.** A sparse tensor has no dense array: ``.array``, which every dense op reads,
raises ``NotImplementedError`` naming the sparse layout, so ``A.exp()`` or ``A.view(6)`` fail
loudly instead of computing on the values as if they were the tensor (torch also raises
``NotImplementedError`` for the ops it has no sparse kernel for). ``to_dense()`` is the way out.
"""

from __future__ import annotations

import builtins
import math
import warnings
from typing import Any

import numpy

from glassgrad import backend, dtypes
from glassgrad import layout as layouts
from glassgrad.size import Size
from glassgrad.tensor import Tensor


class SparseTensor(Tensor):
    """A sparse COO tensor: ``indices`` (sparse_dim, nnz), ``values`` (nnz, *dense) and a size.

    Made by ``torch.sparse_coo_tensor`` or ``dense.to_sparse()``; read back with ``to_dense()``.
    The first ``sparse_dim`` dimensions are addressed by the indices, the remaining ``dense_dim``
    ones are the trailing dimensions of each value ("hybrid" tensors; ``torch.sparse.mm`` takes
    only sparse_dim 2, dense_dim 0).
    """

    def __init__(self, indices: Any, values: Tensor, size: tuple[int, ...], coalesced: bool) -> None:  # noqa: D107
        self._indices_array = indices  # int64 array (sparse_dim, nnz): plain integers, no gradient
        self._values_tensor = values  # Tensor (nnz, *dense_shape): where gradients flow
        self._size = tuple(builtins.int(n) for n in size)
        self._coalesced = coalesced
        self._version_counter = values._version_counter

    # ----- no dense array ------------------------------------------------------------------
    @property
    def array(self) -> Any:
        raise NotImplementedError(
            "this operation has no sparse_coo form in glassgrad: a sparse tensor supports to_dense(), "
            "coalesce(), indices()/values(), torch.sparse.mm / torch.sparse.sum, and sparse @ dense "
            "matrix products; call .to_dense() first for anything else"
        )

    # ----- what it is ----------------------------------------------------------------------
    @property
    def layout(self) -> layouts.layout:
        return layouts.sparse_coo

    @property
    def is_sparse(self) -> bool:
        return True

    @property
    def shape(self) -> Size:
        return Size(self._size)

    def size(self, dim: int | None = None) -> Any:
        return Size(self._size) if dim is None else self._size[self._dim(dim)]

    def _dim(self, dim: int) -> int:
        n = builtins.max(len(self._size), 1)
        if not -n <= dim < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
        return dim % n

    @property
    def ndim(self) -> int:
        return len(self._size)

    def dim(self) -> int:
        return len(self._size)

    def numel(self) -> int:
        """Elements of the dense tensor it stands for, as torch counts them (not the stored ones)."""
        return math.prod(self._size)

    @property
    def dtype(self) -> Any:
        return self._values_tensor.dtype

    @property
    def device(self) -> Any:
        return self._values_tensor.device

    def sparse_dim(self) -> int:
        return self._indices_array.shape[0]

    def dense_dim(self) -> int:
        return len(self._size) - self.sparse_dim()

    def _nnz(self) -> int:
        """How many entries are stored (duplicates counted, explicit zeros too)."""
        return self._indices_array.shape[1]

    def is_coalesced(self) -> bool:
        return self._coalesced

    # ----- its parts -----------------------------------------------------------------------
    def _indices(self) -> Tensor:
        """The stored coordinates (sparse_dim, nnz), duplicates and all."""
        return Tensor._make(self._indices_array, False)

    def _values(self) -> Tensor:
        """The stored values (nnz, *dense_shape), in the graph: gradients reach the sparse tensor here."""
        return self._values_tensor

    def indices(self) -> Tensor:
        """The coordinates of a coalesced tensor (torch refuses an uncoalesced one: they may repeat)."""
        if not self._coalesced:
            raise RuntimeError("Cannot get indices on an uncoalesced tensor, please call .coalesce() first")
        return self._indices()

    def values(self) -> Tensor:
        """The values of a coalesced tensor, one per coordinate."""
        if not self._coalesced:
            raise RuntimeError("Cannot get values on an uncoalesced tensor, please call .coalesce() first")
        return self._values_tensor

    # ----- autograd: through the values ------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._values_tensor.requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self._values_tensor.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> SparseTensor:
        self._values_tensor.requires_grad_(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self._values_tensor.is_leaf

    @property
    def grad_fn(self) -> Any:
        return self._values_tensor.grad_fn

    @property
    def grad(self) -> SparseTensor | None:
        """d loss / d this leaf, as a sparse tensor with its coordinates (None before backward).

        The values' gradient has one entry per stored entry. Where a coordinate is stored twice
        (an uncoalesced leaf), both entries receive the same gradient, d loss / d dense[i, j], so
        the gradient is given coalesced with that one value per coordinate, as torch gives it.
        """
        if not self.is_leaf:
            warnings.warn("The .grad attribute of a sparse Tensor that is not a leaf Tensor is being accessed; "
                          "it is not populated during backward (read the leaf's)", UserWarning, stacklevel=2)
            return None
        grad = self._values_tensor.grad
        if grad is None:
            return None
        if self._coalesced:
            return SparseTensor(self._indices_array, grad, self._size, True)
        summed_indices, group = unique_coordinates(self._indices_array, self._size[:self.sparse_dim()])
        xp = backend.xp
        total = xp.zeros((summed_indices.shape[1],) + grad.shape[1:], dtype=grad.dtype)
        xp.add.at(total, group, grad.array)
        counts = xp.bincount(group, minlength=summed_indices.shape[1]).reshape((-1,) + (1,) * (grad.ndim - 1))
        mean = (total / counts).astype(grad.dtype)  # the one gradient its entries share
        return SparseTensor(summed_indices, Tensor._make(mean, False), self._size, True)

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is None:
            self._values_tensor.grad = None
            return
        same_pattern = (isinstance(value, SparseTensor) and value._size == self._size
                        and numpy.array_equal(value._indices_array, self._indices_array))
        if not same_pattern:
            raise NotImplementedError("a sparse tensor's grad can be set to None or to a sparse tensor with the "
                                      "same coordinates in glassgrad")
        self._values_tensor.grad = value._values_tensor

    def zero_grad(self) -> None:
        self._values_tensor.grad = None

    def detach(self) -> SparseTensor:
        return SparseTensor(self._indices_array, self._values_tensor.detach(), self._size, self._coalesced)

    # ----- conversions -------------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> SparseTensor:
        """Another dtype or device for the values (the gradient flows back through the cast)."""
        return SparseTensor(self._indices_array, self._values_tensor.to(*args, **kwargs), self._size, self._coalesced)

    def to_dense(self, dtype: Any = None, *, masked_grad: Any = None) -> Tensor:  # noqa: ARG002  (torch's signature)
        """The dense tensor: zeros, with each stored value added at its coordinates (repeats add up).

        Its backward reads the gradient at the coordinates: d values_e = G[indices[:, e]].
        """
        from glassgrad import ops

        values = self._values_tensor if dtype is None else self._values_tensor.to(dtype)
        zeros = Tensor._make(backend.xp.zeros(self._size, dtype=values.dtype), False)
        coordinates = tuple(Tensor._make(row, False) for row in self._indices_array)
        return ops.index_put(zeros, coordinates, values, accumulate=True)

    def to_sparse(self, *args: Any, **kwargs: Any) -> SparseTensor:
        """This tensor itself: it is sparse COO already (other layouts are not in glassgrad)."""
        layout = kwargs.get("layout")
        if layout not in (None, layouts.sparse_coo):
            raise NotImplementedError(f"to_sparse: glassgrad has only the sparse_coo layout, not {layout}")
        if args and args[0] != self.sparse_dim():
            raise RuntimeError(f"to_sparse: a sparse tensor with sparse_dim {self.sparse_dim()} cannot be "
                               f"converted to sparse_dim {args[0]} in glassgrad")
        return self

    def coalesce(self) -> SparseTensor:
        """Each coordinate once, in row-major order, its value the sum of the entries stored there.

        The values are a segment sum (index_add), whose backward hands each stored entry the
        gradient of the coordinate it was summed into. Explicit zeros are kept, as in torch.
        """
        if self._coalesced:
            return self
        indices, values = sum_duplicates(self._indices_array, self._values_tensor, self._size[:self.sparse_dim()])
        return SparseTensor(indices, values, self._size, True)

    def t(self) -> SparseTensor:
        """The transpose of a sparse matrix: its rows and columns of coordinates swapped."""
        if self.sparse_dim() != 2 or self.dense_dim() != 0:
            raise RuntimeError(f"t() expects a sparse matrix (2 sparse dims, 0 dense), got size {self._size}")
        return SparseTensor(self._indices_array[::-1].copy(), self._values_tensor, self._size[::-1], False)

    def __len__(self) -> int:
        if not self._size:
            raise TypeError("len() of a 0-d tensor")
        return self._size[0]

    def __repr__(self) -> str:
        """torch's layout: the indices, the values, then size, nnz, dtype, layout and autograd flags."""
        indices = numpy.array2string(backend.to_numpy(self._indices_array), separator=", ",
                                     prefix="tensor(indices=tensor(")
        values = numpy.array2string(backend.to_numpy(self._values_tensor.array), separator=", ",
                                    prefix="       values=tensor(")
        if self._nnz() == 0:
            indices += f", size={tuple(self._indices_array.shape)}"
            values += f", size={tuple(self._values_tensor.shape)}"
        tail = f"size={self._size}, nnz={self._nnz()}"
        if self.dtype != backend.get_default_dtype():
            tail += f", dtype=glassgrad.{self.dtype}"
        tail += ", layout=torch.sparse_coo"
        if self.grad_fn is not None:
            tail += f", grad_fn=<{self.grad_fn.name()}>"
        elif self.requires_grad:
            tail += ", requires_grad=True"
        return f"tensor(indices=tensor({indices}),\n       values=tensor({values}),\n       {tail})"


def unique_coordinates(indices: Any, sparse_shape: tuple[int, ...]) -> tuple[Any, Any]:
    """The distinct coordinates in row-major order (sparse_dim, n_unique), and for each stored entry
    the position of its coordinate among them (nnz,)."""
    xp = backend.xp
    flat = xp.ravel_multi_index(tuple(indices), sparse_shape) if indices.shape[1] else xp.zeros(0, dtype=numpy.int64)
    distinct, group = xp.unique(flat, return_inverse=True)
    coordinates = xp.stack(xp.unravel_index(distinct, sparse_shape)).astype(numpy.int64).reshape(len(sparse_shape), -1)
    return coordinates, group.reshape(-1)


def sum_duplicates(indices: Any, values: Tensor, sparse_shape: tuple[int, ...]) -> tuple[Any, Tensor]:
    """(coordinates, values) with the entries that share a coordinate summed into one (index_add)."""
    from glassgrad import ops

    coordinates, group = unique_coordinates(indices, sparse_shape)
    zeros = Tensor._make(backend.xp.zeros((coordinates.shape[1],) + tuple(values.shape[1:]), dtype=values.dtype), False)
    return coordinates, ops.index_add(zeros, 0, Tensor._make(group, False), values)


def dense_to_sparse(x: Tensor, sparse_dim: int | None = None, *, layout: Any = None) -> SparseTensor:
    """The non-zeros of a dense tensor as a coalesced sparse COO tensor.

    With ``sparse_dim`` k < ndim, a coordinate over the first k dimensions is kept when any value
    of the trailing block there is non-zero; the block is its value. The values are gathered from
    ``x`` by indexing, so the gradient flows back to ``x`` at those coordinates.
    """
    if layout not in (None, layouts.sparse_coo):
        raise NotImplementedError(f"to_sparse: glassgrad has only the sparse_coo layout, not {layout}")
    k = x.ndim if sparse_dim is None else sparse_dim
    if not 1 <= k <= x.ndim:
        raise RuntimeError(f"to_sparse: sparse_dim {k} must be between 1 and the number of dimensions, {x.ndim} "
                           "(glassgrad has no 0-d sparse tensors)")
    xp = backend.xp
    present = x.array != 0
    if k < x.ndim:
        present = present.any(axis=tuple(range(k, x.ndim)))
    coordinates = xp.stack(xp.nonzero(present)).astype(numpy.int64)
    values = x[tuple(Tensor._make(row, False) for row in coordinates)]
    return SparseTensor(coordinates, values, tuple(x.shape), True)


def sparse_coo_tensor(indices: Any, values: Any, size: Any = None, *, dtype: Any = None, device: Any = None,
                      pin_memory: bool = False, requires_grad: bool = False, check_invariants: bool | None = None,  # noqa: ARG001
                      is_coalesced: bool | None = None) -> SparseTensor:
    """A sparse COO tensor from coordinates (sparse_dim, nnz) and values (nnz, *dense_shape).

    ``size`` defaults to the smallest that holds every coordinate. The values tensor is shared,
    not copied, as in torch; when it requires grad the gradient flows back to it. Coordinates
    are always checked against ``size`` (torch checks them only with ``check_invariants``).
    """
    from glassgrad.creation import tensor

    index = indices if isinstance(indices, Tensor) else Tensor._make(backend.xp.asarray(indices), False)
    if index.dtype != numpy.int64:
        if index.dtype.kind not in "iu":
            raise RuntimeError(f"indices must be an int64 tensor, got {index.dtype}")
        index = index.long()
    value = values if isinstance(values, Tensor) else tensor(values)
    if dtype is not None:
        value = value.to(dtypes.to_dtype(dtype))
    if device is not None:
        value = value.to(device)
    if value.device.type != "cpu":
        raise NotImplementedError("glassgrad's sparse tensors live on the CPU (SciPy computes their products)")
    if index.ndim != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(index.shape)}")
    if value.ndim < 1 or value.shape[0] != index.shape[1]:
        raise RuntimeError(f"indices and values must have same nnz, but got nnz from indices: {index.shape[1]}, "
                           f"nnz from values: {value.shape[0] if value.ndim else 'none (0-d values)'}")
    coordinates = index.array
    if coordinates.size and coordinates.min() < 0:
        raise RuntimeError("found negative index in the indices of a sparse COO tensor")
    if size is None:
        sparse_size = coordinates.max(axis=1) + 1 if coordinates.size else numpy.zeros(index.shape[0], dtype=int)
        size = tuple(sparse_size.tolist()) + tuple(value.shape[1:])
    size = tuple(builtins.int(n) for n in size)
    sparse_dim = index.shape[0]
    if len(size) != sparse_dim + value.ndim - 1 or size[sparse_dim:] != tuple(value.shape[1:]):
        raise RuntimeError(f"number of dimensions must be sparse_dim ({sparse_dim}) + dense_dim "
                           f"({value.ndim - 1}), and the dense sizes must be the values' {tuple(value.shape[1:])}, "
                           f"but got size {size}")
    for dim in range(sparse_dim):
        if coordinates.shape[1] and coordinates[dim].max() >= size[dim]:
            raise RuntimeError(f"size is inconsistent with indices: for dim {dim}, size is {size[dim]} but found "
                               f"index {builtins.int(coordinates[dim].max())}")
    if value.requires_grad:
        value = value.view(tuple(value.shape))  # an alias in the graph: the sparse tensor is not a leaf, as torch
    elif requires_grad:
        value = value.detach().requires_grad_(True)  # a leaf of its own, sharing the memory
    coalesced = builtins.bool(is_coalesced) if is_coalesced is not None else coordinates.shape[1] <= 1
    return SparseTensor(coordinates, value, size, coalesced)
