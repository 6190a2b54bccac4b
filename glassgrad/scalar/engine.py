"""A scalar reverse-mode autograd engine, small enough to read in one sitting.

Every ``Value`` holds one Python float (``data``), the derivative of the final
output with respect to it (``grad``), the Values it was computed from
(``_prev``), the name of the op that made it (``_op``) and a ``_backward``
closure.  Each op below builds its output in the forward direction and, right
beside it, the closure that applies the chain rule locally::

    out = f(a, b)                      # forward
    a.grad += df/da(a, b) * out.grad   # backward: local derivative times upstream
    b.grad += df/db(a, b) * out.grad

Gradients are *accumulated* (``+=``), never assigned, so a Value that feeds
several ops (``c + c``, ``x * x``) collects the contribution of every use.

``Value.backward()`` orders the graph with an iterative depth-first search
(no recursion, so a chain of any length works) and calls the closures from
the output back to the leaves.  Leaf gradients accumulate across calls, as in
PyTorch; call ``zero_grad`` (or ``MLP.zero_grad``) between steps.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable

Number = int | float


class Value:
    """One scalar node of a computation graph.

    Args:
        data: the scalar value (stored as a Python float).
        _prev: the Values this one was computed from (set by the ops).
        _op: a short label of the op that produced it, e.g. ``"*"`` or ``"tanh"``.
        label: an optional human-readable name, for printing and drawing graphs.

    Attributes:
        grad: d(output)/d(self) after ``output.backward()``; starts at 0.0.
    """

    # Let `np.float64(2.0) * Value(3.0)` reach Value.__rmul__ instead of
    # NumPy trying to build an object array.
    __array_ufunc__ = None

    def __init__(
        self,
        data: Number,
        _prev: tuple[Value, ...] = (),
        _op: str = "",
        label: str = "",
    ) -> None:
        self.data = float(data)
        self.grad = 0.0
        self._prev = _prev
        self._op = _op
        self.label = label
        self._backward: Callable[[], None] = _no_backward

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{name})"

    # ------------------------------------------------------------ binary ops
    def __add__(self, other: Value | Number) -> Value:
        """a + b;  d/da = 1,  d/db = 1."""
        other = _as_value(other, "+")
        out = Value(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __sub__(self, other: Value | Number) -> Value:
        """a - b;  d/da = 1,  d/db = -1."""
        other = _as_value(other, "-")
        out = Value(self.data - other.data, (self, other), "-")

        def _backward() -> None:
            self.grad += out.grad
            other.grad -= out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | Number) -> Value:
        """a * b;  d/da = b,  d/db = a."""
        other = _as_value(other, "*")
        out = Value(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __truediv__(self, other: Value | Number) -> Value:
        """a / b;  d/da = 1/b,  d/db = -a/b^2.  Raises ZeroDivisionError if b == 0."""
        other = _as_value(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"Value division: {self.data!r} / 0.0")
        out = Value(self.data / other.data, (self, other), "/")

        def _backward() -> None:
            self.grad += out.grad / other.data
            other.grad -= self.data / other.data**2 * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: Number) -> Value:
        """x ** n for a constant number n;  d/dx = n * x^(n-1).

        The exponent must be a plain number (not a Value).  A negative base
        with a non-integer exponent, or 0 to a negative power, raises
        ValueError rather than producing a complex number or a division error.
        """
        if isinstance(exponent, Value) or not isinstance(exponent, numbers.Real):
            raise TypeError(
                f"Value ** only supports a constant number exponent, got {type(exponent).__name__}"
            )
        n = float(exponent)
        x = self.data
        if x < 0.0 and not n.is_integer():
            raise ValueError(
                f"Value **: negative base {x!r} with non-integer exponent {n!r}"
            )
        if x == 0.0 and n < 0.0:
            raise ValueError(f"Value **: 0.0 raised to negative exponent {n!r}")
        if n == 0.0:
            local = 0.0  # x^0 is the constant 1
        elif x == 0.0 and n < 1.0:
            local = math.inf  # e.g. d/dx sqrt(x) at 0, as in PyTorch
        else:
            local = n * x ** (n - 1.0)
        out = Value(x**n, (self,), f"**{exponent}")

        def _backward() -> None:
            self.grad += local * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        """-x;  d/dx = -1."""
        out = Value(-self.data, (self,), "neg")

        def _backward() -> None:
            self.grad -= out.grad

        out._backward = _backward
        return out

    # Reflected forms, for `2 + x`, `2 - x`, `2 * x`, `2 / x`: turn the
    # number into a constant leaf Value and reuse the op above.
    def __radd__(self, other: Number) -> Value:
        return _as_value(other, "+") + self

    def __rsub__(self, other: Number) -> Value:
        return _as_value(other, "-") - self

    def __rmul__(self, other: Number) -> Value:
        return _as_value(other, "*") * self

    def __rtruediv__(self, other: Number) -> Value:
        return _as_value(other, "/") / self

    # ------------------------------------------------------------- unary ops
    def exp(self) -> Value:
        """e^x;  d/dx e^x = e^x (the output itself)."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"Value.exp: exp({self.data!r}) overflows a float"
            ) from None
        out = Value(e, (self,), "exp")

        def _backward() -> None:
            self.grad += e * out.grad

        out._backward = _backward
        return out

    def log(self) -> Value:
        """Natural log, defined for x > 0;  d/dx log(x) = 1/x."""
        x = self.data
        if x <= 0.0:
            raise ValueError(f"Value.log: input must be positive, got {x!r}")
        out = Value(math.log(x), (self,), "log")

        def _backward() -> None:
            self.grad += out.grad / x

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        """tanh(x);  d/dx tanh(x) = 1 - tanh(x)^2."""
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward() -> None:
            self.grad += (1.0 - t * t) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Value:
        """max(0, x);  d/dx = 1 if x > 0 else 0 (0 at x == 0, as in PyTorch)."""
        x = self.data
        out = Value(max(0.0, x), (self,), "relu")

        def _backward() -> None:
            self.grad += (1.0 if x > 0.0 else 0.0) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self) -> Value:
        """s(x) = 1 / (1 + e^-x);  d/dx s(x) = s(x) * (1 - s(x)).

        Computed so that exp only ever sees a non-positive argument, which
        cannot overflow: for x < 0 use the equal form e^x / (1 + e^x).
        """
        x = self.data
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        out = Value(s, (self,), "sigmoid")

        def _backward() -> None:
            self.grad += s * (1.0 - s) * out.grad

        out._backward = _backward
        return out

    # -------------------------------------------------------------- backward
    def backward(self) -> None:
        """Fill ``.grad`` of every Value this one depends on with d(self)/d(node).

        Interior nodes are reset to 0 first, so calling backward twice on the
        same graph leaves interior grads correct; leaf grads accumulate.
        """
        order = topological_order(self)
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0  # d(self)/d(self)
        for node in reversed(order):  # output first, leaves last
            node._backward()


def topological_order(root: Value) -> list[Value]:
    """Every node reachable from ``root``, each after all of its inputs.

    An iterative depth-first search with an explicit stack: a node is pushed
    once to expand its inputs and once more (``expanded=True``) to be emitted
    after them.  No recursion, so deep graphs cannot hit Python's limit.
    """
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for child in node._prev:
            if id(child) not in visited:
                stack.append((child, False))
    return order


def zero_grad(values: Iterable[Value]) -> None:
    """Set ``grad`` of each Value to 0.0 (call before each training step)."""
    for v in values:
        v.grad = 0.0


def _as_value(x: Value | Number, op: str) -> Value:
    """``x`` itself if it is a Value, else a constant leaf wrapping the number."""
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        return Value(x)
    raise TypeError(f"Value {op}: unsupported operand of type {type(x).__name__}")


def _no_backward() -> None:
    """Leaves have no inputs to pass gradient to."""
