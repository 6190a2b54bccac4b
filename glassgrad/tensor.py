"""The Tensor: an array, the gradient that flows into it, and the node that made it.

**The naming rule.** PyTorch's names and signatures are glassgrad's public
API everywhere: Tensor methods, module functions and ``nn.functional`` take
``dim`` and ``keepdim``, ``x.size()`` is the shape, ``x.max(1)`` returns
``(values, indices)``, ``cat`` joins tensors, ``flatten(start_dim, end_dim)``,
``transpose(dim0, dim1)``, ``softmax(dim)``. The NumPy spellings glassgrad had
before (``axis``, ``keepdims``, ``concatenate``) stay accepted as aliases;
where the two would disagree, torch wins.

Where things live: this file holds the tensor itself (its array, gradient,
dtype, device, version counter) and the operators; the methods are written
out by family in ``glassgrad/methods/`` (pointwise math, reductions, shape
and indexing, in-place edits), each a one-line delegation to ``glassgrad.ops``
so that grep and IDEs find them.

Arrays and gradients:
    ``t.array`` is the NumPy (or CuPy) array the tensor holds; ops read it.
    ``t.data`` is, as in torch, a Tensor sharing that array but cut from the
    graph; ``t.grad`` is a Tensor (or None).

Dtypes: Python floats become the default float dtype (float32), Python ints
int64, bools bool, as torch infers them; NumPy arrays keep their dtype.
Only floating tensors may require a gradient.

Versions: every in-place edit bumps the tensor's version. An op records the
versions of the tensors it saved for backward, and backward refuses to use a
tensor that was edited since (torch's "modified by an inplace operation").
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy

from glassgrad import backend, dtypes
from glassgrad.autograd import engine, grad_mode, graph
from glassgrad.bfloat16_math import cast as bfloat16_cast
from glassgrad.bfloat16_math import mark as bfloat16_mark
from glassgrad.complex_math import mark as complex_mark
from glassgrad.complex_math import pair_dtype as complex_pair_dtype
from glassgrad.device import device, device_of
from glassgrad.methods.inplace import InPlaceMethods
from glassgrad.methods.linalg import LinalgMethods
from glassgrad.methods.pointwise import PointwiseMethods
from glassgrad.methods.queries import QueryMethods
from glassgrad.methods.reduction import ReductionMethods
from glassgrad.methods.shape import ShapeMethods
from glassgrad.size import Size


def to_array(data: Any, dtype: Any) -> Any:
    """The array a Tensor made from ``data`` holds (torch's dtype rules; ``dtype`` None infers it)."""
    xp = backend.xp
    if isinstance(data, Tensor):
        data = data.array
    from_python = not hasattr(data, "dtype")
    if dtype is not None and dtypes.to_dtype(dtype) == dtypes.bfloat16:  # through float32, as torch
        array = bfloat16_cast(xp.asarray(data), dtypes.bfloat16)
    elif dtype is not None:
        array = xp.asarray(data, dtype=dtypes.to_dtype(dtype))
    else:
        array = xp.asarray(data)
        if from_python and array.dtype == numpy.float64:
            array = array.astype(backend.get_default_dtype())
        elif from_python and array.dtype == numpy.complex128:  # Python complex: the default complex dtype
            array = array.astype(dtypes.complex_of(backend.get_default_dtype()))
        elif from_python and array.dtype.kind == "i" and array.dtype != numpy.int64:
            array = array.astype(numpy.int64)
    complex_mark(array)
    if array.dtype.kind not in "fiubc" and bfloat16_mark(array).dtype != dtypes.bfloat16:
        given = f" (made from {type(data).__name__} {data!r:.60})" if from_python else ""
        raise TypeError(
            f"tensor: unsupported dtype {array.dtype}{given}; glassgrad holds float, complex, int and bool arrays"
        )
    return array


def legacy_shape(args: tuple[Any, ...]) -> tuple[int, ...] | None:
    """The shape torch's legacy constructors (``torch.Tensor``, ``torch.FloatTensor``, ...) read from
    their arguments: none is an empty (0,), ints or one Size are the shape; None when the arguments
    are data instead."""
    if len(args) == 1 and isinstance(args[0], Size):
        return tuple(args[0])
    if all(isinstance(a, builtins.int) and not isinstance(a, builtins.bool) for a in args):
        return tuple(args) if args else (0,)
    return None


class Tensor(PointwiseMethods, ReductionMethods, ShapeMethods, InPlaceMethods, QueryMethods, LinalgMethods):
    """An n-dimensional array that records the ops applied to it for backward.

    Attributes:
        array: the array (NumPy, or CuPy on 'cuda').
        grad: d loss / d this tensor after ``backward`` (a Tensor of the same shape), or None.
        requires_grad: whether gradients flow to this tensor.
    """

    __array_ufunc__ = None  # NumPy defers to our reflected operators: ndarray + Tensor -> Tensor
    __array_priority__ = 1000
    _hooks: dict | None = None  # register_hook's hooks (glassgrad/autograd/hooks.py), on the few tensors that have them
    _post_accumulate_hooks: dict | None = None  # register_post_accumulate_grad_hook's (glassgrad/autograd/hooks.py)
    _grad: Tensor | None = None  # class-level defaults: a new tensor sets only its array, flag and version
    _node: graph.Node | None = None
    _retains_grad = False
    # aliasing and in-place edits while recording (glassgrad/autograd/views.py, glassgrad/autograd/graph.py):
    _shared = False  # another tensor may read this one's memory (a view of it, a detach(), its .data)
    _view_of: tuple | None = None  # a view's (base, op, the op's inputs, the base's position, params, version)
    _graph_since: int | None = None  # on a base given a graph by an in-place edit: the version it happened at
    _views: Any = None  # on a base: its views.ViewFamily, weak references to its views (and theirs), by span
    _former: Sequence[tuple[int, Tensor]] = ()  # (edit number, snapshot before it) per recorded in-place edit

    def __init__(self, *data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        """torch's legacy constructor: ``Tensor()`` is empty, ``Tensor(2, 3)`` (ints, or a Size) has that
        shape (zeros here; torch leaves it uninitialised), ``Tensor([1, 2])`` turns Python numbers into
        the default float dtype (as torch: ``torch.Tensor([1, 2])`` is float). Unlike torch, an array or
        tensor keeps its dtype, and ``requires_grad`` / ``dtype`` may be given; ``tensor()`` is the
        factory that infers int64 from Python ints."""
        shape = legacy_shape(data)
        if shape is not None:
            self.array = backend.xp.zeros(shape, dtype=dtypes.to_dtype(dtype) if dtype else backend.get_default_dtype())
        elif len(data) > 1:
            raise TypeError(f"Tensor(): expected sizes (ints) or one piece of data, got {len(data)} arguments")
        else:
            self.array = to_array(data[0], dtype)
            python_data = dtype is None and not hasattr(data[0], "dtype") and not isinstance(data[0], Tensor)
            if python_data and self.array.dtype.kind in "biu":  # Python numbers: the default float dtype
                self.array = self.array.astype(backend.get_default_dtype())
        self._version_counter = [0]  # _grad, _node, _retains_grad, _hooks: the class-level defaults above
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, array: Any, requires_grad: bool) -> Tensor:
        """Wrap an op's output array without copying or checking.

        NumPy's reductions return a read-only scalar (``numpy.float32``), not an array; it becomes
        a 0-d array here, so a 0-d result is an ordinary tensor that in-place edits can write."""
        if isinstance(array, numpy.generic):
            array = numpy.asarray(array)
        t = cls.__new__(cls)
        t.array, t.requires_grad, t._version_counter = array, requires_grad, [0]
        return t

    # ----- data and grad, as torch has them ---------------------------------
    @property
    def data(self) -> Tensor:
        """This tensor's values as a Tensor cut from the graph (sharing the array).

        Edits through ``.data`` change this tensor; unlike torch, they also count
        as edits for the version check, so a saved tensor edited this way is caught.
        """
        t = Tensor._make(self.array, False)
        t._version_counter = self._version_counter
        t._shared = self._shared = True
        return t

    @data.setter
    def data(self, value: Any) -> None:
        array = value.array if isinstance(value, Tensor) else to_array(value, None)
        if hasattr(self, "array") and array.shape != self.array.shape and self._node is not None:
            raise RuntimeError(f"data: cannot give a non-leaf tensor of shape {self.shape} data of shape {array.shape}")
        self.array = array

    @property
    def grad(self) -> Tensor | None:
        """d loss / d this tensor after ``backward``: a Tensor, or None."""
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is None:
            self._grad = None
            return
        if not isinstance(value, Tensor):
            value = Tensor._make(to_array(value, self.dtype), False)
        if value.shape != self.shape:
            raise RuntimeError(f"assigned grad has shape {value.shape} but the tensor has shape {self.shape}")
        self._grad = value

    # ----- shape, dtype, device ---------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self.array.shape)

    def size(self, dim: int | None = None) -> Any:
        """The shape (a ``Size``), or its length along ``dim``."""
        if dim is None:
            return Size(self.array.shape)
        return self.array.shape[self._dim(dim)]

    def _dim(self, dim: int) -> int:
        """``dim`` as a non-negative axis; 0-d tensors accept 0 and -1, as torch."""
        n = builtins.max(self.array.ndim, 1)
        if not -n <= dim < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
        return dim % n if self.array.ndim else 0

    @property
    def ndim(self) -> int:
        return self.array.ndim

    def dim(self) -> int:
        return self.array.ndim

    ndimension = dim

    def numel(self) -> int:
        return int(self.array.size)

    nelement = numel

    def element_size(self) -> int:
        return self.array.itemsize

    @property
    def dtype(self) -> Any:
        return self.array.dtype

    @property
    def device(self) -> device:
        return device_of(self.array)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def is_floating_point(self) -> bool:
        return backend.is_float(self.array.dtype)

    def is_contiguous(self) -> bool:
        return builtins.bool(self.array.flags.c_contiguous)

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by an op."""
        return self._node is None

    @property
    def grad_fn(self) -> Any:
        """The node of the op that produced this tensor (None for a leaf); ``.name()`` names it."""
        return self._node

    @property
    def T(self) -> Tensor:
        """All axes reversed (the transpose of a matrix)."""
        return ops.permute(self, tuple(reversed(range(self.ndim))))

    @property
    def mT(self) -> Tensor:
        """The last two axes swapped (a batch of transposed matrices)."""
        return ops.transpose(self, -2, -1)

    # ----- autograd ---------------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set requires_grad in place (floating and complex tensors only); returns self."""
        if requires_grad and not (backend.is_float(self.dtype) or self.dtype.kind == "c"):
            raise RuntimeError(
                f"only Tensors of floating point and complex dtype can require gradients; this one is {self.dtype} "
                f"with shape {tuple(self.shape)}"
            )
        if not requires_grad and self._node is not None:
            raise RuntimeError("requires_grad_(False) on a non-leaf tensor; use .detach()")
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
                 inputs: Any = None, *, grad: Any = None) -> None:
        """Accumulate d self / d leaf into every leaf's ``.grad``.

        ``gradient`` is d loss / d self; it may be omitted only for a one-element
        tensor (then it is 1). The graph's saved arrays are freed afterwards
        unless ``retain_graph=True``;
        with ``create_graph=True`` the backward pass is recorded, so ``.grad`` is a Tensor with a
        graph that can be differentiated again (``retain_graph`` then defaults to True; see
        ``glassgrad/autograd/higher_order.py``).
        """
        gradient = grad if gradient is None else gradient
        if not self.requires_grad:
            raise RuntimeError(
                f"element 0 of tensors does not require grad and does not have a grad_fn: this tensor "
                f"(shape {tuple(self.shape)}) has no graph; was it computed under no_grad(), detached, "
                "or from tensors that do not have requires_grad=True?"
            )
        if gradient is None:
            if self.array.dtype.kind == "c":  # a complex loss has no single direction of steepest descent
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got "
                                   f"glassgrad.{self.dtype}; backward a real loss (z.abs().sum(), z.real, ...)")
            if self.array.size != 1:
                raise RuntimeError(
                    f"grad can be implicitly created only for scalar outputs; this output has shape "
                    f"{tuple(self.shape)}, so pass a gradient of that shape"
                )
            grad_array = backend.xp.asarray(1, dtype=self.array.dtype).reshape(self.array.shape)  # d self / d self
        else:
            grad_array = to_array(gradient, self.dtype)
            if grad_array.shape != self.array.shape:
                raise RuntimeError(
                    f"backward: gradient has shape {grad_array.shape}, output has shape {tuple(self.shape)}"
                )
        if create_graph:
            from glassgrad.autograd import higher_order

            keeps = isinstance(gradient, Tensor)  # a gradient with a graph of its own stays connected to it
            root_grad = gradient.to(self.dtype) if keeps else Tensor._make(grad_array, False)
            retain = True if retain_graph is None else builtins.bool(retain_graph)
            higher_order.walk([(self, root_grad)], retain, higher_order.accumulate)
            return
        engine.backward(self, grad_array, retain_graph=builtins.bool(retain_graph))

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this non-leaf tensor after backward; returns self (torch returns None)."""
        self._retains_grad = self._node is not None
        return self

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook: Any) -> Any:
        """``hook(grad)`` runs when this tensor's gradient is computed; a Tensor it returns replaces the gradient.
        Returns a handle whose ``remove()`` unregisters the hook (see glassgrad/autograd/hooks.py)."""
        from glassgrad.autograd.hooks import register_hook

        return register_hook(self, hook)

    def register_post_accumulate_grad_hook(self, hook: Any) -> Any:
        """``hook(tensor)`` runs on this leaf once backward has accumulated its gradient into ``.grad``
        (see glassgrad/autograd/hooks.py); returns a handle whose ``remove()`` unregisters it."""
        from glassgrad.autograd.hooks import register_post_accumulate_grad_hook

        return register_post_accumulate_grad_hook(self, hook)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (same as ``t.grad = None``)."""
        self._grad = None

    def detach(self) -> Tensor:
        """Same array, cut from the graph: no gradient flows through the result.

        As in torch, the result shares the version counter: editing it in place
        counts as editing this tensor.
        """
        t = Tensor._make(self.array, requires_grad=False)
        t._version_counter = self._version_counter
        t._shared = self._shared = True
        return t

    def detach_(self) -> Tensor:
        """Cut this tensor from its graph in place; returns self."""
        self._node, self.requires_grad = None, False
        return self

    @property
    def _version(self) -> int:
        """How many times this tensor was edited in place (torch's ``t._version``).

        The count lives in ``_version_counter``, a one-element list shared by the
        tensors that share this array's history (``detach()``, ``.data``).
        """
        return self._version_counter[0]

    # ----- conversion -------------------------------------------------------
    def numpy(self, force: bool = False) -> numpy.ndarray:  # noqa: ARG002
        """The values as a NumPy array (a view on the CPU; not tracked).

        torch insists on ``detach()`` first for a tensor that requires grad;
        glassgrad does not (the array is never part of the graph).
        """
        return backend.to_numpy(self.array)

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self.array.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.array.size} elements cannot be converted to Scalar (shape {tuple(self.shape)})"
            )
        return self.array.item()

    def tolist(self) -> Any:
        return backend.to_numpy(self.array).tolist()

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``; gradients flow through."""
        flags = [a for a in args if isinstance(a, bool)]  # to(dtype, non_blocking, copy): positional flags
        copy = kwargs.get("copy", flags[1] if len(flags) > 1 else False)
        args = tuple(a for a in args if not isinstance(a, bool))
        target_device, target_dtype = to_arguments(args, kwargs, accepted=("non_blocking", "copy"))
        out = self
        if target_dtype is not None and dtypes.to_dtype(target_dtype) != self.dtype:
            out = ops.cast(out, dtypes.to_dtype(target_dtype))
        if target_device is not None and device(target_device) != self.device:
            out = ops.to_device(out, device(target_device))
        return ops.clone(out) if copy and out is self else out

    def to_sparse(self, sparse_dim: int | None = None, *, layout: Any = None, blocksize: Any = None,
                  dense_dim: int | None = None) -> Tensor:
        """The non-zeros as a sparse COO tensor (glassgrad/sparse/coo.py); the gradient flows back to them."""
        if blocksize is not None or dense_dim is not None:
            raise NotImplementedError("to_sparse: blocksize and dense_dim (compressed layouts) are not in glassgrad")
        from glassgrad.sparse.coo import dense_to_sparse

        return dense_to_sparse(self, sparse_dim, layout=layout)

    def to_dense(self, dtype: Any = None, *, masked_grad: Any = None) -> Tensor:  # noqa: ARG002  (torch's signature)
        """This tensor itself: it is dense already (a cast with ``dtype``)."""
        return self if dtype is None else self.to(dtype)

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self, device: Any = None) -> Tensor:  # noqa: ARG002
        return self.to("cuda")

    def type(self, dtype: Any = None) -> Any:
        """With no argument, torch's type string (``"torch.FloatTensor"``); else a cast."""
        if dtype is None:
            return dtypes.type_name(self.dtype)
        if isinstance(dtype, str) and dtype.endswith("Tensor"):
            names = {v: k for k, v in dtypes._TYPE_NAMES.items()}
            dtype = names[dtype.split(".")[-1]]
        return self.to(dtypes.to_dtype(dtype))

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def astype(self, dtype: Any, copy: builtins.bool = True) -> Tensor:
        """A copy in another dtype; the gradient flows back (cast to this dtype). ``copy=False``
        (NumPy's) returns this tensor itself when it already has that dtype."""
        dtype = dtypes.to_dtype(dtype)
        return self if not copy and dtype == self.dtype else ops.cast(self, dtype)

    def float(self) -> Tensor:
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        return self.to(dtypes.float64)

    def half(self) -> Tensor:
        return self.to(dtypes.float16)

    def bfloat16(self) -> Tensor:
        return self.to(dtypes.bfloat16)

    def long(self) -> Tensor:
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        return self.to(dtypes.int32)

    def short(self) -> Tensor:
        return self.to(dtypes.int16)

    def bool(self) -> Tensor:
        return self.to(dtypes.bool)

    def byte(self) -> Tensor:
        return self.to(dtypes.uint8)

    def __array__(self, dtype: Any = None, copy: Any = None) -> numpy.ndarray:
        if grad_mode._recording_graph and self.requires_grad:  # numpy would drop the graph: never silently
            raise NotImplementedError("create_graph=True: a backward turned a tensor of the graph into a NumPy array "
                               "(numpy.asarray, or an array's item assignment); the gradient would lose its graph")
        array = backend.to_numpy(self.array)
        return array if dtype is None else array.astype(dtype)

    def __repr__(self) -> str:
        body = numpy.array2string(backend.to_numpy(self.array), separator=", ", prefix="tensor(")
        extra = ""
        default_dtypes = (backend.get_default_dtype(), dtypes.complex_of(backend.get_default_dtype()))
        if self.dtype not in default_dtypes and not (self.dtype == numpy.int64 and self.array.size):
            extra = f", dtype=glassgrad.{self.dtype}"
        if self.device.type != "cpu":
            extra += f", device='{self.device}'"
        if self._node is not None:
            extra += f", grad_fn=<{self._node.name()}>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    def __format__(self, spec: str) -> str:
        if self.array.ndim == 0 or self.array.size == 1 and spec:
            return format(self.array.item(), spec)
        return repr(self)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self) -> Any:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> builtins.bool:
        if self.array.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous (shape {tuple(self.shape)})"
            )
        return builtins.bool(self.array.item())

    def __float__(self) -> builtins.float:
        return builtins.float(self.item())

    def __int__(self) -> builtins.int:
        return builtins.int(self.item())

    def __complex__(self) -> builtins.complex:
        return builtins.complex(self.item())

    def __index__(self) -> builtins.int:
        if self.dtype.kind not in "iub" or self.array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __hash__(self) -> builtins.int:
        return id(self)

    def __getstate__(self) -> dict[str, Any]:
        return {"array": backend.to_numpy(self.array), "requires_grad": self.requires_grad}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["array"], requires_grad=state["requires_grad"])  # type: ignore[misc]

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        if self._node is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support deepcopy")
        new = type(self).__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update({k: v for k, v in self.__dict__.items() if k not in _NOT_COPIED})
        new.array, new._version_counter = self.array.copy(), [0]
        new._grad = None if self._grad is None else Tensor._make(self._grad.array.copy(), False)
        return new

    # ----- operators --------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        return ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return ops.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return ops.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return ops.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return ops.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return ops.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return ops.div(other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return ops.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return ops.floor_divide(other, self)

    def __mod__(self, other: Any) -> Tensor:
        return ops.remainder(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return ops.remainder(other, self)

    def __neg__(self) -> Tensor:
        return ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return ops.abs(self)

    def __pow__(self, exponent: Any) -> Tensor:
        return ops.pow(self, exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return ops.pow(as_tensor_pair(base, self)[0], self)

    def __matmul__(self, other: Any) -> Tensor:
        return ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.matmul(other, self)

    def __getitem__(self, index: Any) -> Tensor:
        return ops.getitem(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        self.index_put_(index, value)

    def __lt__(self, other: Any) -> Tensor:
        if other.__class__ not in _OPERANDS and _foreign(other):
            return NotImplemented
        return ops.lt(self, other)

    def __le__(self, other: Any) -> Tensor:
        if other.__class__ not in _OPERANDS and _foreign(other):
            return NotImplemented
        return ops.le(self, other)

    def __gt__(self, other: Any) -> Tensor:
        if other.__class__ not in _OPERANDS and _foreign(other):
            return NotImplemented
        return ops.gt(self, other)

    def __ge__(self, other: Any) -> Tensor:
        if other.__class__ not in _OPERANDS and _foreign(other):
            return NotImplemented
        return ops.ge(self, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        if other.__class__ not in _OPERANDS and _foreign(other):
            return NotImplemented
        return ops.eq(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        if other.__class__ not in _OPERANDS and _foreign(other):
            return NotImplemented
        return ops.ne(self, other)

    # bitwise operators (int and bool tensors): see methods/pointwise.py
    def __and__(self, other: Any) -> Tensor:
        return ops.bitwise_and(self, other)

    def __rand__(self, other: Any) -> Tensor:
        return ops.bitwise_and(other, self)

    def __or__(self, other: Any) -> Tensor:
        return ops.bitwise_or(self, other)

    def __ror__(self, other: Any) -> Tensor:
        return ops.bitwise_or(other, self)

    def __xor__(self, other: Any) -> Tensor:
        return ops.bitwise_xor(self, other)

    def __rxor__(self, other: Any) -> Tensor:
        return ops.bitwise_xor(other, self)

    def __invert__(self) -> Tensor:
        return ops.bitwise_not(self)

    def __lshift__(self, other: Any) -> Tensor:
        return ops.bitwise_left_shift(self, other)

    def __rlshift__(self, other: Any) -> Tensor:
        return ops.bitwise_left_shift(other, self)

    def __rshift__(self, other: Any) -> Tensor:
        return ops.bitwise_right_shift(self, other)

    def __rrshift__(self, other: Any) -> Tensor:
        return ops.bitwise_right_shift(other, self)

    # in-place operators edit this tensor (see methods/inplace.py)
    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def __ipow__(self, other: Any) -> Tensor:
        return self.pow_(other)

    def __ifloordiv__(self, other: Any) -> Tensor:
        return self._inplace(ops.floor_divide, other)

    def __imod__(self, other: Any) -> Tensor:
        return self._inplace(ops.remainder, other)

    def __ilshift__(self, other: Any) -> Tensor:
        return self._inplace(ops.bitwise_left_shift, other)

    def __irshift__(self, other: Any) -> Tensor:
        return self._inplace(ops.bitwise_right_shift, other)

    def __iand__(self, other: Any) -> Tensor:
        return self._inplace(ops.bitwise_and, other)

    def __ior__(self, other: Any) -> Tensor:
        return self._inplace(ops.bitwise_or, other)

    def __ixor__(self, other: Any) -> Tensor:
        return self._inplace(ops.bitwise_xor, other)


# what a deep copy does not take over: its own memory, gradient and counter, and no aliases
_NOT_COPIED = frozenset({"array", "_grad", "_version_counter", "_shared", "_view_of", "_views", "_former",
                         "_graph_since"})
_OPERANDS = frozenset({Tensor, builtins.int, builtins.float})  # the usual right-hand sides: never foreign


def _foreign(value: Any) -> bool:
    """True for an operand glassgrad does not compute with (then Python asks the other side,
    as torch does: ``t == pytest.approx(1.0)`` works)."""
    return not isinstance(value, Tensor | builtins.int | builtins.float | builtins.bool | numpy.ndarray
                          | numpy.generic | list | tuple) and not hasattr(value, "__array__")


def as_tensor(value: Any) -> Tensor:
    """``value`` if it is a Tensor, else a new constant Tensor of it (Python ints stay int64, as
    ``tensor()`` makes them; the legacy ``Tensor(...)`` constructor would read an int as a size)."""
    return value if isinstance(value, Tensor) else Tensor._make(to_array(value, None), False)


def _constant_like(value: Any, other: Tensor) -> Tensor:
    """A Python number takes the dtype of the tensor it meets, as in torch:
    a float meeting an int tensor gives the default float dtype."""
    if value.__class__ is builtins.float or value.__class__ is builtins.int:  # the common cases, decided first
        dtype = other.array.dtype
        if dtype.kind == "f" or dtype.kind in "iu" and value.__class__ is builtins.int:  # (bfloat16 is kind "V")
            return Tensor._make(backend.xp.asarray(value, dtype=dtype), False)
    if isinstance(value, builtins.bool | builtins.int | builtins.float) and not hasattr(value, "dtype"):
        if other.dtype == dtypes.bfloat16:  # torch computes with the number in float32, the result in bfloat16
            return Tensor._make(backend.xp.asarray(value, dtype=numpy.float32), False)
        kind = other.dtype.kind
        if (backend.is_float(other.dtype) or (kind in "iu" and not isinstance(value, builtins.float))
                or isinstance(value, builtins.bool)):
            return Tensor._make(backend.xp.asarray(value, dtype=other.dtype), False)
        if kind == "b" and isinstance(value, builtins.int):
            return Tensor._make(backend.xp.asarray(value, dtype=numpy.int64), False)
        return Tensor._make(backend.xp.asarray(value, dtype=backend.get_default_dtype()), False)
    return as_tensor(value)


def as_tensor_pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Both operands of a binary op as tensors of a common kind.

    Numbers take the other operand's dtype; an int tensor meeting a float one
    is cast to the float dtype (torch's promotion), never the reverse; within
    one category a dimensioned tensor's dtype wins over a 0-d tensor's
    (float32 vector + float64 scalar tensor stays float32, as in torch).
    """
    a_tensor, b_tensor = isinstance(a, Tensor), isinstance(b, Tensor)
    number = not (a_tensor and b_tensor)  # (a number meeting bfloat16 stays float32)
    if number and b_tensor:
        a = _constant_like(a, b)
    elif number and a_tensor:
        b = _constant_like(b, a)
    elif number:
        a, b = as_tensor(a), as_tensor(b)
    if a.array.dtype == b.array.dtype:
        return a, b  # one dtype (the common case): nothing to promote
    if a.dtype.kind == "c" or b.dtype.kind == "c":  # complex: torch's rules (complex_math.pair_dtype)
        dtype = complex_pair_dtype(a.dtype, a.ndim > 0, b.dtype, b.ndim > 0)
        return (a if a.dtype == dtype else a.to(dtype)), (b if b.dtype == dtype else b.to(dtype))
    a_float, b_float = backend.is_float(a.dtype), backend.is_float(b.dtype)
    if a_float and not b_float:
        b = Tensor._make(bfloat16_cast(b.array, a.dtype), False)
    elif b_float and not a_float:
        a = Tensor._make(bfloat16_cast(a.array, b.dtype), False)
    elif (a.dtype != b.dtype and (a.dtype.kind == b.dtype.kind or a_float) and (a.ndim == 0) != (b.ndim == 0)
          and not number):
        # same category: a dimensioned tensor's dtype wins over a 0-d tensor's (torch's rule)
        if a.ndim == 0:
            a = a.to(b.dtype)
        else:
            b = b.to(a.dtype)
    return a, b


from glassgrad import ops  # noqa: E402  (ops import Tensor from this module)


def to_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], accepted: tuple[str, ...]) -> tuple[Any, Any]:
    """(device, dtype) from ``to()``'s arguments, as torch reads them: a Tensor gives both, a
    string or device the device, anything else the dtype; ``device=``/``dtype=`` keywords too.
    Keywords named in ``accepted`` are taken and ignored; any other is an error."""
    kwargs = dict(kwargs)
    target_device, target_dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
    unexpected = sorted(k for k in kwargs if k not in accepted)
    if unexpected:
        raise TypeError(f"to() got unexpected keyword arguments {unexpected}")
    for arg in args:
        if isinstance(arg, Tensor):
            target_device, target_dtype = arg.device, arg.dtype
        elif isinstance(arg, str | device):
            target_device = arg
        elif arg is not None:
            target_dtype = arg
    return target_device, target_dtype


def is_tensor(obj: Any) -> bool:
    """True when ``obj`` is a glassgrad Tensor (torch.is_tensor)."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:  # noqa: A002  (torch's argument name)
    """The number of elements of ``input``."""
    return input.numel()


def is_floating_point(input: Tensor) -> bool:  # noqa: A002
    return input.is_floating_point()
