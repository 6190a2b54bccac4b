"""A scaled product or quotient added to a tensor in one step: addcmul and addcdiv.

    addcmul(a, b, c, value=v) = a + v * b * c
    addcdiv(a, b, c, value=v) = a + v * b / c

Optimisers use them for their moment updates (``exp_avg_sq.addcmul_(g, g, value=1 - beta2)``).
The three tensors broadcast together and meet in torch's common dtype; ``value`` is a number,
cast to that dtype (an integer result truncates it: ``addcmul(int, int, int, value=2.5)`` scales
by 2, as torch). torch refuses bool tensors, and addcdiv of two integer tensors (it used to
divide with rounding).
"""

from __future__ import annotations

from typing import Any

from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.type_promotion import category, promoted
from glassgrad.tensor import Tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["addcdiv", "addcmul"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class AddCMul(Op):
    """z = a + v b c;  dz/da = 1,  dz/db = v c,  dz/dc = v b."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, c: Any, *, value: Any) -> Any:
        ctx.save_for_backward(b, c)
        ctx.value = value
        return a + value * (b * c)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any, Any]:
        b, c = ctx.saved
        scaled = grad * ctx.value
        return (grad, scaled * c if ctx.needs_input_grad[1] else None,
                scaled * b if ctx.needs_input_grad[2] else None)


class AddCDiv(Op):
    """z = a + v b / c;  dz/da = 1,  dz/db = v / c,  dz/dc = -v b / c^2."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, c: Any, *, value: Any) -> Any:
        ctx.save_for_backward(b, c)
        ctx.value = value
        with quiet_float_errors():
            return a + value * (b / c)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any, Any]:
        b, c = ctx.saved
        with quiet_float_errors():
            scaled = grad * ctx.value / c
            return (grad, scaled if ctx.needs_input_grad[1] else None,
                    -scaled * b / c if ctx.needs_input_grad[2] else None)


def _operands(name: str, input: Any, tensor1: Any, tensor2: Any, value: Any) -> tuple[list[Tensor], Any]:  # noqa: A002
    """The three tensors in their common dtype, and ``value`` as a number of that dtype."""
    for t in (input, tensor1, tensor2):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): expected Tensor arguments, got {type(t).__name__}")
    tensors = promoted(input, tensor1, tensor2)
    if category(tensors[0].dtype) == 0:
        raise NotImplementedError(f'"{name}" not implemented for \'Bool\'')
    value = value.item() if isinstance(value, Tensor) else value
    if category(tensors[0].dtype) < 2:
        value = int(value)  # an integer result: torch truncates the scale
    return tensors, value


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:  # noqa: A002
    """input + value * tensor1 * tensor2 element-wise, with broadcasting (torch.addcmul)."""
    tensors, value = _operands("addcmul", input, tensor1, tensor2, value)
    return AddCMul.apply(*tensors, value=value)


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:  # noqa: A002
    """input + value * tensor1 / tensor2 element-wise, with broadcasting (torch.addcdiv)."""
    if isinstance(tensor1, Tensor) and isinstance(tensor2, Tensor) \
            and category(tensor1.dtype) < 2 and category(tensor2.dtype) < 2:
        raise RuntimeError("Integer division with addcdiv is no longer supported; divide in a floating "
                           "dtype instead: addcdiv(input, tensor1.float(), tensor2)")
    tensors, value = _operands("addcdiv", input, tensor1, tensor2, value)
    return AddCDiv.apply(*tensors, value=value)
