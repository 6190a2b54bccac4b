"""The Tensor: an array, the gradient that flows into it, and the node that made it.

``Tensor`` methods and operators are one-line delegations to the ops in
``glassgrad.ops``, written out here so that grep and IDEs find them.

Dtypes: Python numbers and lists become float32 (the default) or int64;
NumPy arrays keep their dtype, so float64 is kept when asked for. Only
floating tensors may require a gradient.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import autograd, backend


def _to_array(data: Any, dtype: Any) -> Any:
    xp = backend.xp
    if isinstance(data, Tensor):
        data = data.data
    from_python = not hasattr(data, "dtype")
    if dtype is not None:
        array = xp.asarray(data, dtype=numpy.dtype(dtype))
    else:
        array = xp.asarray(data)
        if from_python and array.dtype == numpy.float64:
            array = array.astype(backend.get_default_dtype())
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"tensor: unsupported dtype {array.dtype}; glassgrad holds float, int and bool arrays"
        )
    return array


class Tensor:
    """An n-dimensional array that records the ops applied to it for backward.

    Attributes:
        data: the array (NumPy, or CuPy under that backend).
        grad: d loss / d this tensor after ``backward`` (same shape), or None.
        requires_grad: whether gradients flow to this tensor.
    """

    __array_ufunc__ = None  # NumPy defers to our reflected operators: ndarray + Tensor -> Tensor

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        self.data = _to_array(data, dtype)
        self.grad: Any = None
        self._node: autograd.Node | None = None
        self._retains_grad = False
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, array: Any, requires_grad: bool) -> Tensor:
        """Wrap an op's output array without copying or checking."""
        t = cls.__new__(cls)
        t.data, t.grad, t._node, t._retains_grad, t.requires_grad = array, None, None, False, requires_grad
        return t

    # ----- properties -------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> Any:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by an op."""
        return self._node is None

    @property
    def grad_fn(self) -> str | None:
        """Name of the op that produced this tensor (None for a leaf)."""
        return None if self._node is None else self._node.op.__name__

    @property
    def T(self) -> Tensor:
        """All axes reversed (the transpose of a matrix)."""
        return ops.permute(self, tuple(reversed(range(self.ndim))))

    # ----- autograd ---------------------------------------------------------
    def requires_grad_(self, flag: bool = True) -> Tensor:
        """Set requires_grad in place (floating tensors only); returns self."""
        if flag and not backend.is_float(self.dtype):
            raise TypeError(
                f"only floating-point tensors can require gradients; this one is {self.dtype} "
                f"with shape {self.shape}"
            )
        if not flag and self._node is not None:
            raise RuntimeError("requires_grad_(False) on a non-leaf tensor; use .detach()")
        self.requires_grad = flag
        return self

    def backward(self, grad: Any = None, retain_graph: bool = False) -> None:
        """Accumulate d self / d leaf into every leaf's ``.grad``.

        ``grad`` is d loss / d self; it may be omitted only for a one-element
        tensor (then it is 1). The graph's saved arrays are freed afterwards
        unless ``retain_graph=True``.
        """
        if not self.requires_grad:
            raise RuntimeError(
                f"backward: this tensor (shape {self.shape}) does not require grad and has no "
                "graph; was it computed under no_grad(), detached, or from tensors that do not "
                "have requires_grad=True?"
            )
        if grad is None:
            if self.size != 1:
                raise RuntimeError(
                    f"backward: grad can be implicitly created only for a one-element output; "
                    f"this output has shape {self.shape}, so pass grad= of that shape"
                )
            grad_array = backend.xp.ones(self.shape, dtype=self.dtype)
        else:
            grad_array = _to_array(grad, self.dtype)
            if grad_array.shape != self.shape:
                raise ValueError(f"backward: grad has shape {grad_array.shape}, output has shape {self.shape}")
        autograd.backward(self, grad_array, retain_graph=retain_graph)

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this non-leaf tensor after backward; returns self."""
        self._retains_grad = self._node is not None
        return self

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (same as ``t.grad = None``)."""
        self.grad = None

    def detach(self) -> Tensor:
        """Same array, cut from the graph: no gradient flows through the result."""
        return Tensor._make(self.data, requires_grad=False)

    # ----- conversion -------------------------------------------------------
    def numpy(self) -> numpy.ndarray:
        """The values as a NumPy array (a view on the CPU backend; not tracked)."""
        return backend.to_numpy(self.data)

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self.size != 1:
            raise ValueError(f"item: only one-element tensors convert to a number, this one has shape {self.shape}")
        return self.data.item()

    def tolist(self) -> Any:
        return self.numpy().tolist()

    def astype(self, dtype: Any) -> Tensor:
        """A copy in another dtype; the gradient flows back (cast to this dtype)."""
        return ops.cast(self, dtype)

    def float(self) -> Tensor:
        return self.astype(numpy.float32)

    def double(self) -> Tensor:
        return self.astype(numpy.float64)

    def __array__(self, dtype: Any = None, copy: Any = None) -> numpy.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __repr__(self) -> str:
        body = numpy.array2string(self.numpy(), separator=", ", prefix="tensor(")
        extra = f", dtype={self.dtype}" if self.dtype != backend.get_default_dtype() else ""
        if self._node is not None:
            extra += f", grad_fn={self.grad_fn}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous")
        return bool(self.data.item())

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __hash__(self) -> int:
        return id(self)

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError(
            "Tensor does not support item assignment (it would corrupt recorded gradients); "
            "build a new tensor with glassgrad.where / concatenate, or, outside autograd, write "
            "to tensor.data"
        )

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

    def __neg__(self) -> Tensor:
        return ops.neg(self)

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

    def __lt__(self, other: Any) -> Tensor:
        return ops.lt(self, other)

    def __le__(self, other: Any) -> Tensor:
        return ops.le(self, other)

    def __gt__(self, other: Any) -> Tensor:
        return ops.gt(self, other)

    def __ge__(self, other: Any) -> Tensor:
        return ops.ge(self, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return ops.eq(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return ops.ne(self, other)

    # ----- methods ----------------------------------------------------------
    def sum(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return ops.sum(self, axis, keepdims)

    def mean(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return ops.mean(self, axis, keepdims)

    def max(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return ops.max(self, axis, keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return ops.min(self, axis, keepdims)

    def var(self, axis: Any = None, keepdims: bool = False, correction: int = 1) -> Tensor:
        return ops.var(self, axis, keepdims, correction)

    def std(self, axis: Any = None, keepdims: bool = False, correction: int = 1) -> Tensor:
        return ops.std(self, axis, keepdims, correction)

    def argmax(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        return ops.argmax(self, axis, keepdims)

    def argmin(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        return ops.argmin(self, axis, keepdims)

    def reshape(self, *shape: Any) -> Tensor:
        return ops.reshape(self, *shape)

    def view(self, *shape: Any) -> Tensor:
        return ops.reshape(self, *shape)

    def flatten(self, start_axis: int = 0) -> Tensor:
        return ops.reshape(self, self.shape[:start_axis] + (-1,))

    def permute(self, *axes: Any) -> Tensor:
        return ops.permute(self, *axes)

    def transpose(self, axis0: int = -2, axis1: int = -1) -> Tensor:
        return ops.transpose(self, axis0, axis1)

    def squeeze(self, axis: Any = None) -> Tensor:
        return ops.squeeze(self, axis)

    def unsqueeze(self, axis: int) -> Tensor:
        return ops.unsqueeze(self, axis)

    def expand(self, *shape: Any) -> Tensor:
        return ops.expand(self, *shape)

    def broadcast_to(self, *shape: Any) -> Tensor:
        return ops.expand(self, *shape)

    def exp(self) -> Tensor:
        return ops.exp(self)

    def log(self) -> Tensor:
        return ops.log(self)

    def sqrt(self) -> Tensor:
        return ops.sqrt(self)

    def abs(self) -> Tensor:
        return ops.abs(self)

    def relu(self) -> Tensor:
        return ops.relu(self)

    def sigmoid(self) -> Tensor:
        return ops.sigmoid(self)

    def tanh(self) -> Tensor:
        return ops.tanh(self)

    def softmax(self, axis: int = -1) -> Tensor:
        return ops.softmax(self, axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        return ops.log_softmax(self, axis)

    def clip(self, low: float | None = None, high: float | None = None) -> Tensor:
        return ops.clip(self, low, high)

    def clamp(self, low: float | None = None, high: float | None = None) -> Tensor:
        return ops.clip(self, low, high)

    def pow(self, exponent: Any) -> Tensor:
        return ops.pow(self, exponent)

    def matmul(self, other: Any) -> Tensor:
        return ops.matmul(self, other)


def as_tensor(value: Any) -> Tensor:
    """``value`` if it is a Tensor, else a new constant Tensor of it."""
    return value if isinstance(value, Tensor) else Tensor(value)


def _constant_like(value: Any, other: Tensor) -> Tensor:
    """A Python number takes the dtype of the tensor it meets (no silent upcast)."""
    if isinstance(value, bool | int | float) and not hasattr(value, "dtype"):
        if backend.is_float(other.dtype) or isinstance(value, bool | int):
            return Tensor._make(backend.xp.asarray(value, dtype=other.dtype), False)
        return Tensor(value)
    return as_tensor(value)


def as_tensor_pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Both operands of a binary op as tensors of a common kind.

    Numbers take the other operand's dtype; an int tensor meeting a float one
    is cast to the float dtype (torch's promotion), never the reverse.
    """
    if not isinstance(a, Tensor) and isinstance(b, Tensor):
        a = _constant_like(a, b)
    elif not isinstance(b, Tensor) and isinstance(a, Tensor):
        b = _constant_like(b, a)
    else:
        a, b = as_tensor(a), as_tensor(b)
    a_float, b_float = backend.is_float(a.dtype), backend.is_float(b.dtype)
    if a_float and not b_float:
        b = Tensor._make(b.data.astype(a.dtype), False)
    elif b_float and not a_float:
        a = Tensor._make(a.data.astype(b.dtype), False)
    return a, b


from glassgrad import ops  # noqa: E402  (ops import Tensor from this module)
