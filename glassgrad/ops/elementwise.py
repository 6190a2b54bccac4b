"""Element-wise arithmetic: add, sub, mul, div, neg, exp, log, sqrt, abs,
maximum, minimum, clip (clamp), where (pow has its own file, ``power.py``).

Every binary op broadcasts like NumPy; its backward returns gradients of the
broadcast shape and the engine sums them back to each input's shape.

dtypes follow torch: an integer (or bool) input to a float function (exp, log,
sqrt, true division) gives the default float dtype (float32); ``int ** int``
stays an integer; results outside a function's domain (1/0, log(-1), 0^-1) are
inf or NaN without a warning.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import OpDtypeError, OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_rounding import divide_rounded
from glassgrad.ops.power import pow as pow  # noqa: A004  (kept importable as ops.elementwise.pow)
from glassgrad.ops.promotion import float_input, float_pair, is_integral
from glassgrad.ops.type_promotion import promoted
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "abs", "absolute", "add", "clamp", "clip", "div", "divide", "exp", "log", "maximum", "minimum", "mul",
    "multiply", "neg", "negative", "pow", "sqrt", "sub", "subtract", "true_divide", "where",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _scaled(b: Any, alpha: Any) -> Any:
    """alpha * b for the ``alpha=`` argument of add and sub (called only when alpha is not 1: the
    common call, ``a + b``, skips it)."""
    return mul(b, alpha) if isinstance(b, Tensor) else b * alpha


class Add(Op):
    """z = a + b;  dz/da = 1,  dz/db = 1."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        return grad, grad


def add(a: Any, b: Any, *, alpha: Any = 1) -> Tensor:
    """a + alpha * b with broadcasting (torch.add)."""
    return Add.apply(*as_tensor_pair(a, b if alpha == 1 else _scaled(b, alpha)))


class Sub(Op):
    """z = a - b;  dz/da = 1,  dz/db = -1."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a - b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        return grad, (-grad if ctx.needs_input_grad[1] else None)


def sub(a: Any, b: Any, *, alpha: Any = 1) -> Tensor:
    """a - alpha * b with broadcasting (torch.sub)."""
    ta, tb = as_tensor_pair(a, b if alpha == 1 else _scaled(b, alpha))
    if ta.dtype.kind == "b" and tb.dtype.kind == "b":
        raise RuntimeError("sub: Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    return Sub.apply(ta, tb)


subtract = sub


class Mul(Op):
    """z = a * b;  dz/da = b,  dz/db = a."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        # each factor is kept only for the other's gradient, as torch: ``y * 0.5`` then ``y.add_(1)`` may backward
        needs_a, needs_b = ctx.needs_input_grad or (True, True)  # (a context made outside Op.run: keep both)
        ctx.save_for_backward(a if needs_b else None, b if needs_a else None)
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


multiply = mul


class Div(Op):
    """z = a / b;  dz/da = 1 / b,  dz/db = -a / b^2.  (x / 0 is +-inf and 0 / 0 NaN, as torch.)"""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        needs_b = ctx.needs_input_grad[1] if ctx.needs_input_grad else True
        ctx.save_for_backward(a if needs_b else None, b)  # a only for b's gradient, as torch
        with backend.xp.errstate(divide="ignore", invalid="ignore"):
            return a / b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        with backend.xp.errstate(divide="ignore", invalid="ignore", over="ignore"):
            da = grad / b if ctx.needs_input_grad[0] else None
            db = -grad * a / (b * b) if ctx.needs_input_grad[1] else None
        return da, db


def div(a: Any, b: Any, *, rounding_mode: str | None = None) -> Tensor:
    """a / b with broadcasting (torch.div).

    ``rounding_mode=None``: true division (int / int gives the default float dtype);
    ``"trunc"``: rounded toward zero; ``"floor"``: rounded down (both keep integer
    dtypes, and their gradient is 0).
    """
    if rounding_mode is None:
        return Div.apply(*float_pair(a, b))
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found {rounding_mode!r}")
    return divide_rounded(a, b, rounding_mode)


def true_divide(a: Any, b: Any) -> Tensor:
    """a / b, true division (torch.true_divide)."""
    return div(a, b)


divide = div


class Neg(Op):
    """z = -a;  dz/da = -1."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return -grad


def neg(a: Any) -> Tensor:
    """-a."""
    t = as_tensor(a)
    if t.dtype.kind == "b":
        raise RuntimeError("neg: Negation, the `-` operator, on a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    return Neg.apply(t)


negative = neg


class Exp(Op):
    """z = e^a;  dz/da = e^a = z."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        with backend.xp.errstate(over="ignore"):  # e^1000 = inf, silently, as torch
            z = backend.xp.exp(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (z,) = ctx.saved
        return grad * z


def exp(a: Any) -> Tensor:
    """e^a element-wise."""
    return Exp.apply(float_input(a))


class Log(Op):
    """z = ln a;  dz/da = 1 / a.  (ln 0 = -inf and ln of a negative = NaN, as in torch.)"""

    differentiable_backward = True

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
    return Log.apply(float_input(a))


class Sqrt(Op):
    """z = sqrt(a);  dz/da = 1 / (2 sqrt(a)) = 0.5 / z."""

    differentiable_backward = True

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
    return Sqrt.apply(float_input(a))


class Abs(Op):
    """z = |a|;  dz/da = sign(a), taken as 0 at a = 0 (torch's convention)."""

    differentiable_backward = True

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


absolute = abs


def _share(grad: Any, loses: Any, ties: Any) -> Any:
    """``grad`` where an input wins, half of it on ties, 0 where it loses."""
    xp = backend.xp
    return xp.where(loses, 0, xp.where(ties, grad * 0.5, grad))


class Maximum(Op):
    """z = max(a, b) element-wise;  the gradient goes to the larger input,
    split in half on ties, and to both where one is NaN (torch's convention)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return backend.xp.maximum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        ties = a == b
        return _share(grad, a < b, ties), _share(grad, b < a, ties)


def maximum(a: Any, b: Any) -> Tensor:
    """Element-wise maximum with broadcasting."""
    return Maximum.apply(*as_tensor_pair(a, b))


class Minimum(Op):
    """z = min(a, b) element-wise;  the gradient goes to the smaller input,
    split in half on ties, and to both where one is NaN (torch's convention)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return backend.xp.minimum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        ties = a == b
        return _share(grad, a > b, ties), _share(grad, b > a, ties)


def minimum(a: Any, b: Any) -> Tensor:
    """Element-wise minimum with broadcasting."""
    return Minimum.apply(*as_tensor_pair(a, b))


class Clip(Op):
    """z = min(max(a, low), high);  dz/da = 1 where low <= a <= high, else 0
    (bounds inclusive, as torch.clamp)."""

    differentiable_backward = True

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
            keep = keep & (a >= ctx.low)
        if ctx.high is not None:
            keep = keep & (a <= ctx.high)
        return grad * keep


def clip(input: Any, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """Clamp ``input`` into [min, max] (torch.clamp / torch.clip); either bound may be None.

    An integer tensor with a float bound gives the default float dtype, as torch. Where min > max
    the result is max, as torch (min(max(x, min), max)). Tensor bounds broadcast (``ClampBetween``);
    as in torch, a number and a tensor bound together are refused unless the tensor is 0-d and needs no
    gradient (it then counts as a number).
    """
    low, high = min, max
    if low is None and high is None:
        raise OpInputError("clip: give at least one of min (the low bound) and max (the high bound)")
    if isinstance(low, Tensor) or isinstance(high, Tensor):
        if low is None or high is None or (isinstance(low, Tensor) and isinstance(high, Tensor)):
            return _clip_by_tensors(as_tensor(input), low, high)
        bound = low if isinstance(low, Tensor) else high
        if bound.ndim or bound.requires_grad:
            raise TypeError("clamp(): min and max must both be numbers or both be tensors (a number beside a tensor "
                            f"of shape {tuple(bound.shape)}{' that requires grad' if bound.requires_grad else ''})")
        low, high = (b.item() if isinstance(b, Tensor) else b for b in (low, high))
    a = as_tensor(input)
    if is_integral(a) and any(isinstance(bound, float) for bound in (low, high)):
        a = float_input(a)
    return Clip.apply(a, low=low, high=high)


class ClampBetween(Op):
    """z = min(max(a, low), high), tensor bounds (either may be absent; ``sides`` names those given);
    NaN in a or a bound gives NaN, and where low > high, z = high. Gradients, torch's rule:
    da = g where low <= a <= high;  dlow = g where a < low < high;  dhigh = g where a > high or high < low
    (so at a < low == high, or at a NaN, no input gets it)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, *bounds: Any, sides: tuple[str, ...]) -> Any:
        xp = backend.xp
        ctx.save_for_backward(a, *bounds)
        ctx.sides = sides
        out = a
        for side, bound in zip(sides, bounds):
            out = xp.maximum(out, bound) if side == "low" else xp.minimum(out, bound)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xp = backend.xp
        a, *bounds = ctx.saved
        given = dict(zip(ctx.sides, bounds))
        low, high = given.get("low"), given.get("high")
        keep = None
        for mask in ((a >= low) if low is not None else None, (a <= high) if high is not None else None):
            if mask is not None:
                keep = mask if keep is None else keep & mask
        zero = xp.zeros((), dtype=grad.dtype)
        grads = [xp.where(keep, grad, zero) if ctx.needs_input_grad[0] else None]
        for position, side in enumerate(ctx.sides, start=1):
            if not ctx.needs_input_grad[position]:
                grads.append(None)
            elif side == "low":
                grads.append(xp.where((a < low) & (low < high) if high is not None else a < low, grad, zero))
            else:
                grads.append(xp.where((a > high) | (high < low) if low is not None else a > high, grad, zero))
        return tuple(grads)


def _clip_by_tensors(a: Tensor, low: Any, high: Any) -> Tensor:
    """clamp with tensor bounds (``ClampBetween``): a and the bounds in torch's common dtype first."""
    sides = tuple(side for side, bound in (("low", low), ("high", high)) if bound is not None)
    operands = promoted(a, *(bound for bound in (low, high) if bound is not None))
    return ClampBetween.apply(*operands, sides=sides)


clamp = clip


class Where(Op):
    """z = a where cond else b;  dz/da = cond,  dz/db = not cond."""

    differentiable_backward = True

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


def where(cond: Any, a: Any = None, b: Any = None) -> Tensor:
    """Pick a where cond is true, else b (all three broadcast; a and b may be numbers).
    ``where(cond)`` alone is ``nonzero(cond, as_tuple=True)``, as torch."""
    if a is None and b is None:
        from glassgrad.ops.indexing_select import nonzero

        return nonzero(cond, as_tuple=True)
    cond_array = cond.array if isinstance(cond, Tensor) else backend.xp.asarray(cond)
    if cond_array.dtype != bool:
        raise OpDtypeError(f"where: cond must be boolean, got dtype {cond_array.dtype}")
    return Where.apply(*as_tensor_pair(a, b), cond=cond_array)
