"""What the element-wise math families share: torch's silence outside a function's
domain, and the base of the one-input ops z = f(a).

torch returns inf or NaN without a warning for log(0), asin(2), 1/0, ...; NumPy
would warn (and the test suite turns warnings into errors), so the formulas run
inside ``quiet_float_errors()``.

The trig and math families' one-input ops, whose backward needs only the input
a (or only the output z), subclass ``UnaryPointwise`` and state their two
formulas side by side::

    class Asin(UnaryPointwise):
        '''z = asin a (|a| <= 1);  dz/da = 1 / sqrt(1 - a^2).'''

        @staticmethod
        def value(a):
            return xp.arcsin(a)

        @staticmethod
        def input_grad(grad, a):
            return grad / xp.sqrt(1 - a * a)

Ops with parameters, two inputs or more saved state write ``forward`` and
``backward`` themselves, as every ``Op`` does.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op


def quiet_float_errors() -> Any:
    """A ``with`` block in which division by zero, invalid values and overflow give
    inf/NaN silently (torch's behaviour) instead of NumPy's RuntimeWarning."""
    return backend.xp.errstate(divide="ignore", invalid="ignore", over="ignore")


class UnaryPointwise(Op):
    """Base of the element-wise ops of one input: z = f(a), d loss / d a = grad * f'(a).

    A subclass defines two array functions (static methods):

    * ``value(a)``: the forward formula, z = f(a);
    * ``input_grad(grad, a)``: the backward formula, grad * f'(a), written in the
      input a; or, in a subclass that sets ``saves_output = True`` (where f' is
      simpler in the output, as tan' = 1 + z^2), ``input_grad(grad, z)``.

    ``forward`` saves that one array for backward; both formulas run inside
    ``quiet_float_errors()``.
    """

    differentiable_backward = True

    saves_output: bool = False

    @staticmethod
    def value(a: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def input_grad(grad: Any, saved: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx: Context, a: Any) -> Any:
        with quiet_float_errors():
            z = cls.value(a)
        ctx.save_for_backward(z if cls.saves_output else a)
        return z

    @classmethod
    def backward(cls, ctx: Context, grad: Any) -> Any:
        (saved,) = ctx.saved
        with quiet_float_errors():
            return cls.input_grad(grad, saved)
