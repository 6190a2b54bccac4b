"""``Module.register_full_backward_hook(hook)``: ``hook(module, grad_input, grad_output)`` in backward.

``grad_output`` holds d loss / d each output of the module's forward, ``grad_input`` d loss / d each
positional Tensor argument (None for one that needs no gradient); a tuple returned by the hook
replaces ``grad_input``.

Built, as torch builds it, from two identity custom Functions (``glassgrad/autograd/function.py``)
put around ``forward`` by a forward pre-hook and a forward hook:

    inputs -> [_Inputs identity] -> forward -> [_Outputs identity] -> outputs

In backward the gradient reaches ``_Outputs`` first (it records ``grad_output``), flows through the
module's ops, and reaches ``_Inputs`` with the input gradients, where the hook runs. When no input
requires a gradient, the hook runs at ``_Outputs`` with ``grad_input`` all None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from glassgrad import autograd
from glassgrad.autograd.function import Function
from glassgrad.tensor import Tensor


class _Call:
    """What one call of the module shares between its two identities."""

    def __init__(self, module: Any, hooks: dict[int, Callable[..., Any]], n_inputs: int) -> None:
        self.module, self.hooks, self.n_inputs = module, hooks, n_inputs
        self.grad_output: tuple[Any, ...] = ()
        self.inputs_wrapped = False

    def run(self, grad_input: tuple[Any, ...]) -> tuple[Any, ...]:
        for hook in list(self.hooks.values()):
            result = hook(self.module, grad_input, self.grad_output)
            if result is None:
                continue
            result = tuple(result) if isinstance(result, tuple | list) else (result,)
            if len(result) != len(grad_input):
                raise RuntimeError(f"backward hook of {type(self.module).__name__} returned {len(result)} gradients "
                                   f"for {len(grad_input)} inputs")
            grad_input = result
        return grad_input


def _identity(*tensors: Tensor) -> Any:
    """The tensors themselves: ``Function.apply`` gives back new tensors sharing their arrays."""
    return tensors[0] if len(tensors) == 1 else tensors


class _Inputs(Function):
    @staticmethod
    def forward(ctx: Any, call: _Call, *tensors: Tensor) -> Any:
        ctx.call = call
        return _identity(*tensors)

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> Any:
        needs = ctx.needs_input_grad[1:]
        grad_input = tuple(g if need else None for g, need in zip(grads, needs))
        return (None, *ctx.call.run(grad_input))


class _Outputs(Function):
    @staticmethod
    def forward(ctx: Any, call: _Call, *tensors: Tensor) -> Any:
        ctx.call = call
        return _identity(*tensors)

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> Any:
        ctx.call.grad_output = grads
        if not ctx.call.inputs_wrapped:
            ctx.call.run((None,) * ctx.call.n_inputs)
        return (None, *grads)


def register_full_backward_hook(module: Any, hook: Callable[..., Any]) -> Any:
    """Install the two forward hooks once per module, and add ``hook`` to its backward hooks."""
    from glassgrad.autograd.hooks import RemovableHandle, hook_ids

    hooks = module.__dict__.get("_full_backward_hooks")
    if hooks is None:
        hooks = {}
        object.__setattr__(module, "_full_backward_hooks", hooks)
        module.register_forward_pre_hook(_wrap_inputs)
        module.register_forward_hook(_wrap_outputs)
    key = next(hook_ids)
    hooks[key] = hook
    return RemovableHandle(hooks, key)


def _wrap_inputs(module: Any, args: tuple[Any, ...]) -> Any:
    positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    call = _Call(module, module._full_backward_hooks, len(positions))
    object.__setattr__(module, "_backward_hook_call", call)
    if not autograd.is_grad_enabled() or not any(args[i].requires_grad for i in positions):
        return None
    call.inputs_wrapped = True
    wrapped = _Inputs.apply(call, *(args[i] for i in positions))
    wrapped = wrapped if isinstance(wrapped, tuple) else (wrapped,)
    new_args = list(args)
    for i, t in zip(positions, wrapped):
        new_args[i] = t
    return tuple(new_args)


def _wrap_outputs(module: Any, args: tuple[Any, ...], output: Any) -> Any:  # noqa: ARG001
    call = module.__dict__.get("_backward_hook_call")
    several = isinstance(output, tuple)
    outputs = output if several else (output,)
    if call is None or not all(isinstance(o, Tensor) for o in outputs) or not any(o.requires_grad for o in outputs):
        return None
    return _Outputs.apply(call, *outputs)
