"""``torch.func``: gradients as functions (``grad``, ``grad_and_value``, ``jacrev``, ``hessian``) and
``functional_call`` (a Module run with parameters given as a dict).

    loss_of = lambda params: F.mse_loss(functional_call(model, params, (x,)), y)
    grads = grad(loss_of)(dict(model.named_parameters()))     # a dict of the same keys
    h = hessian(f)(x)                                          # jacrev(jacrev(f))

torch's versions are composable transforms; here each is built on ``autograd.grad`` with
``create_graph=True`` (``glassgrad/autograd/higher_order.py``), which composes the same way: ``grad(grad(f))``
differentiates the recorded backward of the inner ``grad``. Arguments may be Tensors or dicts, lists
and tuples of Tensors (torch's "pytrees"); a gradient has the structure of its argument.

``vmap`` is not provided: glassgrad has no batching transform, and ``vmap`` raises saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from glassgrad import backend
from glassgrad.autograd import enable_grad
from glassgrad.autograd import grad as autograd_grad
from glassgrad.tensor import Tensor

__all__ = ["functional_call", "grad", "grad_and_value", "hessian", "jacrev", "vmap"]


# ----- pytrees: Tensors in dicts, lists and tuples ------------------------------------------------
def _flatten(tree: Any) -> tuple[list[Tensor], Callable[[list[Any]], Any]]:
    """The Tensors of ``tree`` in order, and a function that puts a list of that length back in its shape."""
    if isinstance(tree, Tensor):
        return [tree], lambda leaves: leaves[0]
    if isinstance(tree, dict):
        keys = list(tree)
        parts = [_flatten(tree[k]) for k in keys]
    elif isinstance(tree, list | tuple):
        keys = None
        parts = [_flatten(v) for v in tree]
    else:
        raise TypeError(f"torch.func: expected a Tensor, or a dict, list or tuple of Tensors, got "
                        f"{type(tree).__name__}")
    sizes = [len(leaves) for leaves, _ in parts]
    flat = [t for leaves, _ in parts for t in leaves]

    def rebuild(leaves: list[Any]) -> Any:
        pieces, start = [], 0
        for (_, build), n in zip(parts, sizes):
            pieces.append(build(leaves[start:start + n]))
            start += n
        if keys is not None:
            return type(tree)(zip(keys, pieces)) if type(tree) is not dict else dict(zip(keys, pieces))
        return type(tree)(pieces)

    return flat, rebuild


def _as_variables(args: tuple[Any, ...], argnums: int | tuple[int, ...]) -> tuple[tuple[Any, ...], list[Tensor],
                                                                                  Callable[[list[Any]], Any], bool]:
    """The arguments with those at ``argnums`` replaced by tensors to differentiate by: connected to the
    caller's graph when they require grad (so transforms nest), else fresh leaves. Returns (args, the
    variables flat, a rebuild for gradients in the shape of args[argnums], whether any arg required grad)."""
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums:
        raise RuntimeError("grad: argnums must be non-empty")
    for n in nums:
        if not -len(args) <= n < len(args):
            raise RuntimeError(f"Got argnums={argnums}, but only {len(args)} positional inputs")
    chosen = tuple(args[n] for n in nums) if isinstance(argnums, tuple) else args[nums[0]]
    flat, rebuild = _flatten(chosen)
    connected = any(t.requires_grad for t in flat)
    with enable_grad():
        variables = [t.view_as(t) if t.requires_grad else t.detach().requires_grad_(True) for t in flat]
    placed = rebuild(variables)
    new_args = list(args)
    if isinstance(argnums, tuple):
        for n, value in zip(nums, placed):
            new_args[n] = value
    else:
        new_args[nums[0]] = placed
    return tuple(new_args), variables, rebuild, connected


def _scalar(output: Any, name: str) -> Tensor:
    if not isinstance(output, Tensor):
        raise RuntimeError(f"{name}_and_value(f)(*args): Expected f(*args) to return a Tensor, got {type(output)}")
    if output.numel() != 1 or output.ndim != 0:
        raise RuntimeError(f"{name}_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor "
                           f"with {output.ndim} dims. Maybe you wanted to use the vjp or jacrev APIs instead?")
    return output


def grad_and_value(func: Callable[..., Any], argnums: int | tuple[int, ...] = 0,
                   has_aux: bool = False) -> Callable[..., Any]:
    """A function returning (d func / d args[argnums], func(*args)); with ``has_aux``, func returns
    (output, aux) and the result is (grad, (output, aux)), as torch.func.grad_and_value."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        new_args, variables, rebuild, connected = _as_variables(args, argnums)
        with enable_grad():
            result = func(*new_args, **kwargs)
        if has_aux:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise RuntimeError("grad_and_value(f)(*args): output of function f should be a tuple: (output, aux) "
                                   "if has_aux is True")
            output, aux = result
        else:
            output, aux = result, None
        output = _scalar(output, "grad")
        if output.requires_grad:
            found = autograd_grad(output, variables, create_graph=True, allow_unused=True)
        else:
            found = (None,) * len(variables)
        grads = [Tensor._make(backend.xp.zeros(v.array.shape, dtype=v.dtype), False) if g is None
                 else (g if connected else g.detach()) for v, g in zip(variables, found)]
        value = output if connected else output.detach()
        gradient = rebuild(grads)
        return (gradient, (value, aux)) if has_aux else (gradient, value)

    return wrapper


def grad(func: Callable[..., Any], argnums: int | tuple[int, ...] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """A function returning d func / d args[argnums] (func returns a one-element scalar Tensor);
    with ``has_aux``, func returns (output, aux) and the result is (grad, aux). Nests: grad(grad(f))."""
    both = grad_and_value(func, argnums, has_aux)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        gradient, value = both(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient

    return wrapper


def jacrev(func: Callable[..., Any], argnums: int | tuple[int, ...] = 0, *, has_aux: bool = False,
           chunk_size: int | None = None) -> Callable[..., Any]:  # noqa: ARG001
    """A function returning the Jacobian of func with respect to args[argnums], row by row (reverse mode).

    For a Tensor output and a Tensor argument: shape output.shape + arg.shape; for several outputs or
    arguments (pytrees), the output's structure holding, at each output, the argument's structure.
    """

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from glassgrad import ops

        new_args, variables, rebuild, connected = _as_variables(args, argnums)
        with enable_grad():
            result = func(*new_args, **kwargs)
        output, aux = result if has_aux else (result, None)
        outs, rebuild_out = _flatten(output)
        blocks = []
        for out in outs:
            per_var: list[list[Tensor]] = [[] for _ in variables]
            flat = out.reshape(-1)
            for k in range(flat.shape[0]):
                found = (autograd_grad(flat[k], variables, create_graph=True, allow_unused=True, retain_graph=True)
                         if out.requires_grad else (None,) * len(variables))
                for rows, v, g in zip(per_var, variables, found):
                    rows.append(Tensor._make(backend.xp.zeros(v.array.shape, dtype=v.dtype), False) if g is None else g)
            per_arg = []
            for rows, v in zip(per_var, variables):
                shape = tuple(out.shape) + tuple(v.shape)
                block = ops.stack(rows, 0).reshape(shape) if rows else \
                    Tensor._make(backend.xp.zeros(shape, dtype=v.dtype), False)
                per_arg.append(block if connected else block.detach())
            blocks.append(rebuild(per_arg))
        jac = rebuild_out(blocks)
        return (jac, aux) if has_aux else jac

    return wrapper


def hessian(func: Callable[..., Any], argnums: int | tuple[int, ...] = 0) -> Callable[..., Any]:
    """The Hessian of a scalar function with respect to args[argnums]: jacrev(jacrev(func)) (torch's is
    jacfwd(jacrev(func)): the same matrix, here by reverse mode twice)."""
    return jacrev(jacrev(func, argnums), argnums)


def functional_call(module: Any, parameter_and_buffer_dicts: Any, args: Any = None, kwargs: Any = None, *,
                    tie_weights: bool = True, strict: bool = False) -> Any:  # noqa: ARG001
    """Run ``module(*args, **kwargs)`` with some of its parameters and buffers replaced by the given tensors
    (a dict of dotted names, or a sequence of dicts), as torch.func.functional_call; the module is unchanged
    afterwards. Gradients flow to the given tensors, which is what makes ``grad`` over parameters work."""
    dicts = parameter_and_buffer_dicts
    given: dict[str, Any] = {}
    for d in (dicts if isinstance(dicts, list | tuple) else (dicts,)):
        for name, value in d.items():
            if name in given:
                raise ValueError(f"{name} appeared in multiple dictionaries; behavior of functional call is ambiguous")
            given[name] = value
    if strict:
        expected = {n for n, _ in module.named_parameters()} | {n for n, _ in module.named_buffers()}
        missing, unexpected = sorted(expected - set(given)), sorted(set(given) - expected)
        if missing or unexpected:
            raise RuntimeError(f"Error(s) in reparametrizing for {type(module).__name__}: missing keys {missing}, "
                               f"unexpected keys {unexpected}")
    swapped = []
    try:
        for name, value in given.items():
            owner, _, attribute = name.rpartition(".")
            sub = module.get_submodule(owner) if owner else module
            registry = sub._parameters if attribute in sub._parameters else sub._buffers
            if attribute not in registry:
                raise AttributeError(f"functional_call: {type(module).__name__} has no parameter or buffer {name!r}")
            swapped.append((registry, attribute, registry[attribute]))
            registry[attribute] = value
        call_args = () if args is None else args if isinstance(args, tuple) else (args,)
        return module(*call_args, **(kwargs or {}))
    finally:
        for registry, attribute, original in reversed(swapped):
            registry[attribute] = original


def vmap(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: ARG001
    """Not provided: glassgrad has no batching transform."""
    raise NotImplementedError("torch.func.vmap is not supported by glassgrad (it has no batching transform); "
                              "loop over the batch, or write the function for a whole batch at once")
