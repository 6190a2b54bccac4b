"""Element-wise arithmetic: add, sub, mul, div, neg, pow, exp, log, sqrt, abs,
maximum, minimum, clip, where.

Every binary op broadcasts like NumPy; its backward returns gradients of the
broadcast shape and the engine sums them back to each input's shape.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair


class Add(Function):
    """z = a + b;  dz/da = 1,  dz/db = 1."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        return grad, grad


def add(a: Any, b: Any) -> Tensor:
    """a + b with broadcasting."""
    return Add.apply(*as_tensor_pair(a, b))


class Sub(Function):
    """z = a - b;  dz/da = 1,  dz/db = -1."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a - b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        return grad, (-grad if ctx.needs_input_grad[1] else None)


def sub(a: Any, b: Any) -> Tensor:
    """a - b with broadcasting."""
    return Sub.apply(*as_tensor_pair(a, b))


class Mul(Function):
    """z = a * b;  dz/da = b,  dz/db = a."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        da = grad * b if ctx.needs_input_grad[0] else None
        db = grad * a if ctx.needs_input_grad[1] else None
        return da, db


def mul(a: Any, b: Any) -> Tensor:
    """a * b with broadcasting."""
    return Mul.apply(*as_tensor_pair(a, b))


class Div(Function):
    """z = a / b;  dz/da = 1 / b,  dz/db = -a / b^2."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a / b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        da = grad / b if ctx.needs_input_grad[0] else None
        db = -grad * a / (b * b) if ctx.needs_input_grad[1] else None
        return da, db


def div(a: Any, b: Any) -> Tensor:
    """a / b with broadcasting (true division)."""
    return Div.apply(*as_tensor_pair(a, b))


class Neg(Function):
    """z = -a;  dz/da = -1."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return -grad


def neg(a: Any) -> Tensor:
    """-a."""
    return Neg.apply(as_tensor(a))


class PowScalar(Function):
    """z = a^p for a constant number p;  dz/da = p * a^(p-1).

    As torch (and ``Log``, ``Sqrt``): a negative base with a fractional p gives NaN
    and 0 to a negative power gives inf, without a warning.
    """

    @staticmethod
    def forward(ctx: Context, a: Any, *, exponent: float) -> Any:
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        if exponent == 2:
            return a * a
        with backend.xp.errstate(divide="ignore", invalid="ignore"):
            return a**exponent

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        p = ctx.exponent
        if p == 2:
            return grad * (2 * a)
        with backend.xp.errstate(divide="ignore", invalid="ignore"):
            return grad * (p * a ** (p - 1))


class Pow(Function):
    """z = a^b for tensors;  dz/da = b * a^(b-1),  dz/db = a^b * ln(a).

    As in PyTorch, dz/db is NaN where a < 0 (ln undefined) and taken as 0
    where a == 0 (the limit of a^b ln a for b > 0).
    """

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        with backend.xp.errstate(divide="ignore", invalid="ignore"):
            z = a**b
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        a, b, z = ctx.saved
        da = db = None
        if ctx.needs_input_grad[0]:
            with xp.errstate(divide="ignore", invalid="ignore"):
                da = grad * b * a ** (b - 1)
        if ctx.needs_input_grad[1]:
            with xp.errstate(divide="ignore", invalid="ignore"):
                log_a = xp.where(a == 0, 0, xp.log(xp.where(a == 0, 1, a)))
            db = grad * z * log_a
        return da, db


def pow(a: Any, exponent: Any) -> Tensor:  # noqa: A001  (mirrors torch.pow)
    """a ** exponent; a number exponent is a constant, a tensor one gets a gradient."""
    if isinstance(exponent, int | float) and not isinstance(exponent, bool):
        return PowScalar.apply(as_tensor(a), exponent=float(exponent))
    return Pow.apply(*as_tensor_pair(a, exponent))


class Exp(Function):
    """z = e^a;  dz/da = e^a = z."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        z = backend.xp.exp(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (z,) = ctx.saved
        return grad * z


def exp(a: Any) -> Tensor:
    """e^a element-wise."""
    return Exp.apply(as_tensor(a))


class Log(Function):
    """z = ln a;  dz/da = 1 / a.  (ln 0 = -inf and ln of a negative = NaN, as in torch.)"""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        with backend.xp.errstate(divide="ignore", invalid="ignore"):
            return backend.xp.log(a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        with backend.xp.errstate(divide="ignore"):
            return grad / a


def log(a: Any) -> Tensor:
    """Natural logarithm element-wise."""
    return Log.apply(as_tensor(a))


class Sqrt(Function):
    """z = sqrt(a);  dz/da = 1 / (2 sqrt(a)) = 0.5 / z."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        with backend.xp.errstate(invalid="ignore"):
            z = backend.xp.sqrt(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (z,) = ctx.saved
        with backend.xp.errstate(divide="ignore"):
            return grad * 0.5 / z


def sqrt(a: Any) -> Tensor:
    """Square root element-wise."""
    return Sqrt.apply(as_tensor(a))


class Abs(Function):
    """z = |a|;  dz/da = sign(a), taken as 0 at a = 0 (torch's convention)."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return backend.xp.abs(a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        return grad * backend.xp.sign(a)


def abs(a: Any) -> Tensor:  # noqa: A001  (mirrors torch.abs)
    """|a| element-wise."""
    return Abs.apply(as_tensor(a))


class Maximum(Function):
    """z = max(a, b) element-wise;  the gradient goes to the larger input,
    split in half on ties (torch's convention)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return backend.xp.maximum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        share_a = (a > b) + 0.5 * (a == b)
        return grad * share_a, grad * (1 - share_a)


def maximum(a: Any, b: Any) -> Tensor:
    """Element-wise maximum with broadcasting."""
    return Maximum.apply(*as_tensor_pair(a, b))


class Minimum(Function):
    """z = min(a, b) element-wise;  the gradient goes to the smaller input,
    split in half on ties (torch's convention)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return backend.xp.minimum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        share_a = (a < b) + 0.5 * (a == b)
        return grad * share_a, grad * (1 - share_a)


def minimum(a: Any, b: Any) -> Tensor:
    """Element-wise minimum with broadcasting."""
    return Minimum.apply(*as_tensor_pair(a, b))


class Clip(Function):
    """z = min(max(a, low), high);  dz/da = 1 where low <= a <= high, else 0
    (bounds inclusive, as torch.clamp)."""

    @staticmethod
    def forward(ctx: Context, a: Any, *, low: float | None, high: float | None) -> Any:
        ctx.save_for_backward(a)
        ctx.low, ctx.high = low, high
        return backend.xp.clip(a, low, high)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        keep = backend.xp.ones(a.shape, dtype=bool)
        if ctx.low is not None:
            keep &= a >= ctx.low
        if ctx.high is not None:
            keep &= a <= ctx.high
        return grad * keep


def clip(a: Any, low: float | None = None, high: float | None = None) -> Tensor:
    """Clamp a into [low, high]; either bound may be None."""
    if low is None and high is None:
        raise ValueError("clip: give at least one of low and high")
    if low is not None and high is not None and low > high:
        raise ValueError(f"clip: low ({low}) is greater than high ({high})")
    return Clip.apply(as_tensor(a), low=low, high=high)


class Where(Function):
    """z = a where cond else b;  dz/da = cond,  dz/db = not cond."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, *, cond: Any) -> Any:
        ctx.cond = cond
        return backend.xp.where(cond, a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        zero = xp.zeros((), dtype=grad.dtype)
        da = xp.where(ctx.cond, grad, zero) if ctx.needs_input_grad[0] else None
        db = xp.where(ctx.cond, zero, grad) if ctx.needs_input_grad[1] else None
        return da, db


def where(cond: Any, a: Any, b: Any) -> Tensor:
    """Pick a where cond is true, else b (all three broadcast)."""
    cond_array = cond.data if isinstance(cond, Tensor) else backend.xp.asarray(cond)
    if cond_array.dtype != bool:
        raise TypeError(f"where: cond must be boolean, got dtype {cond_array.dtype}")
    return Where.apply(*as_tensor_pair(a, b), cond=cond_array)
