"""``torch.autograd.functional``: Jacobians, Hessians and their products with vectors, of a function.

    f = lambda x: (x ** 3).sum()
    hessian(f, x)                      # d2f / dx2, shape x.shape + x.shape
    vjp(f, x, v) / jvp / hvp / vhp     # products with a vector, without building the whole matrix

Each is a few calls of ``autograd.grad``; the second-order ones (``hessian``, ``hvp``, ``vhp``, ``jvp``)
differentiate a gradient, so they rely on ``create_graph=True`` (``higher_order.py``):

* ``vjp(v)``   = v^T J                      one backward pass;
* ``jacobian`` = one vjp per output element (the rows of J);
* ``jvp(v)``   = J v = d/du <u^T J, v>      the "double backward" trick: the vjp is linear in u,
                                             and its derivative in u, applied to v, is J v;
* ``vhp(v)``   = v^T H = d/dx <grad f, v>  a gradient of a gradient;
* ``hvp(v)``   = H v  = d/du <d/dx <grad f, u>, v>   the double-backward trick on vhp (H v = (v^T H)^T,
                                             computed as torch does, without assuming H symmetric);
* ``hessian``  = the jacobian of the gradient.

Inputs and outputs are a Tensor or a tuple of Tensors, as in torch. Without ``create_graph`` the results
are cut from the graph; with it they can be differentiated again. ``strict=True`` raises when an output
does not depend on an input (torch's check); otherwise such blocks are zeros. ``vectorize=True`` (torch's
batched computation through vmap) is accepted and computes the same numbers row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from glassgrad import backend, ops
from glassgrad.autograd.grad_mode import enable_grad
from glassgrad.autograd.gradients import grad as autograd_grad
from glassgrad.tensor import Tensor

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def _as_tuple(value: Any, name: str, fn_name: str) -> tuple[bool, tuple[Tensor, ...]]:
    """(was it a tuple, the Tensors as a tuple), checking that every element is a Tensor (torch's message)."""
    is_tuple = isinstance(value, tuple | list)
    items = tuple(value) if is_tuple else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = f"{name} of {fn_name} must be either a Tensor or a tuple of Tensors but the"
            raise TypeError(f"The {where} given {name} contains an element of type {type(item).__name__} at "
                            f"index {i}" if is_tuple else f"The {where} given {name} is {type(item).__name__}")
    return is_tuple, items


def _prepared(inputs: tuple[Tensor, ...], create_graph: bool) -> tuple[Tensor, ...]:
    """The inputs as tensors that require grad: connected to the caller's graph (an identity op) when
    ``create_graph`` and they require grad, else fresh leaves sharing the values."""
    with enable_grad():
        return tuple(t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(True)
                     for t in inputs)


def _grads(outputs: tuple[Tensor, ...], inputs: tuple[Tensor, ...], grad_outputs: tuple[Tensor | None, ...],
           create_graph: bool, strict: bool, what: str) -> tuple[Tensor, ...]:
    """d <outputs, grad_outputs> / d inputs, zeros for an input nothing depends on (strict: an error)."""
    live = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    found: tuple[Any, ...] = (None,) * len(inputs)
    if live:
        found = autograd_grad([o for o, _ in live], inputs, [g for _, g in live], create_graph=True,
                              allow_unused=True)
    result = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None:
            if strict:
                raise RuntimeError(f"The {what} of the user-provided function is independent of input {i}. "
                                   "This is not allowed in strict mode.")
            g = Tensor._make(backend.xp.zeros(t.array.shape, dtype=t.dtype), False)
        result.append(g if create_graph else g.detach())
    return tuple(result)


def _outputs(func: Callable[..., Any], inputs: tuple[Tensor, ...], fn_name: str) -> tuple[bool, tuple[Tensor, ...]]:
    with enable_grad():
        result = func(*inputs)
    return _as_tuple(result, "outputs of the user-provided function", fn_name)


def _vectors(v: Any, like: tuple[Tensor, ...], name: str, fn_name: str) -> tuple[Tensor, ...]:
    """``v`` as a tuple of Tensors of ``like``'s shapes; None is allowed only for one one-element tensor."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if the {name} to the user-provided function is a "
                               "single Tensor with a single element.")
        return (Tensor._make(backend.xp.ones(like[0].array.shape, dtype=like[0].dtype), False),)
    _, vs = _as_tuple(v, "v", fn_name)
    if len(vs) != len(like):
        raise RuntimeError(f"v has invalid size: should be {len(like)} but got {len(vs)}")
    for i, (a, b) in enumerate(zip(vs, like)):
        if tuple(a.shape) != tuple(b.shape):
            raise RuntimeError(f"Entry {i} in v has invalid size: should be {tuple(b.shape)} but got {tuple(a.shape)}")
    return vs


def _finish(values: tuple[Tensor, ...], create_graph: bool, as_tuple: bool) -> Any:
    values = tuple(v if create_graph else v.detach() for v in values)
    return values if as_tuple else values[0]


def vjp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), v^T J): the vector-Jacobian product, one backward pass."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "vjp")
    xs = _prepared(xs, create_graph)
    out_tuple, outs = _outputs(func, xs, "vjp")
    vs = _vectors(v, outs, "outputs", "vjp")
    products = _grads(outs, xs, vs, create_graph, strict, "output")
    return _finish(outs, create_graph, out_tuple), _finish(products, create_graph, in_tuple)


def jvp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), J v): the Jacobian-vector product by the double-backward trick (see the module text)."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "jvp")
    xs = _prepared(xs, create_graph)
    vs = _vectors(v, xs, "input", "jvp")
    out_tuple, outs = _outputs(func, xs, "jvp")
    products = _transposed(outs, xs, vs, create_graph, strict, "output")  # J v
    return _finish(outs, create_graph, out_tuple), _finish(products, create_graph, out_tuple)


def jacobian(func: Callable[..., Any], inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:  # noqa: ARG001
    """The Jacobian d func / d inputs, one row (one vjp) per output element.

    A Tensor in and out: a Tensor of shape out.shape + in.shape. Tuples: result[i][j] is d out_i / d in_j
    (a tuple over whichever side is a tuple), as torch.
    """
    if strategy != "reverse-mode":
        raise NotImplementedError(f"jacobian: strategy={strategy!r} is not supported by glassgrad (reverse-mode only)")
    in_tuple, xs = _as_tuple(inputs, "inputs", "jacobian")
    xs = _prepared(xs, create_graph)
    out_tuple, outs = _outputs(func, xs, "jacobian")
    blocks = [[_jacobian_block(out, xs, j, create_graph, strict, i) for j in range(len(xs))]
              for i, out in enumerate(outs)]
    rows = [tuple(row) if in_tuple else row[0] for row in blocks]
    return tuple(rows) if out_tuple else rows[0]


def _jacobian_block(out: Tensor, xs: tuple[Tensor, ...], j: int, create_graph: bool, strict: bool,
                    i: int) -> Tensor:
    """d out / d xs[j] as a Tensor of shape out.shape + xs[j].shape: one vjp per element of out."""
    flat = out.reshape(-1)
    rows = []
    for k in range(flat.shape[0]):
        if not out.requires_grad:
            found = (None,)
        else:
            found = autograd_grad(flat[k], xs[j], create_graph=True, allow_unused=True, retain_graph=True)
        g = found[0]
        if g is None:
            if strict:
                raise RuntimeError(f"Output {i} of the user-provided function is independent of input {j}. This "
                                   "is not allowed in strict mode.")
            g = Tensor._make(backend.xp.zeros(xs[j].array.shape, dtype=xs[j].dtype), False)
        rows.append(g)
    shape = tuple(out.shape) + tuple(xs[j].shape)
    if not rows:
        return Tensor._make(backend.xp.zeros(shape, dtype=xs[j].dtype), False)
    block = ops.stack(rows, 0).reshape(shape)
    return block if create_graph else block.detach()


def hessian(func: Callable[..., Any], inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of a function with a single one-element output: the jacobian of its gradient.

    A Tensor in: shape in.shape + in.shape. A tuple in: result[i][j] = d2 f / d in_i d in_j.
    """
    in_tuple, xs = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*args: Tensor) -> Any:
        _, outs = _as_tuple(func(*args), "outputs of the user-provided function", "hessian")
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor with a single element")
        g = _grads(outs, args, (None,), True, strict, "output")
        return g if in_tuple else g[0]

    return jacobian(gradient, xs if in_tuple else xs[0], create_graph=create_graph, strict=strict,
                    vectorize=vectorize, strategy=outer_jacobian_strategy)


def vhp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), v^T H): a gradient of the gradient in the direction v."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "vhp")
    xs = _prepared(xs, create_graph)
    vs = _vectors(v, xs, "input", "vhp")
    outs = _scalar_output(func, xs, "vhp")
    gradient = _grads(outs, xs, (None,), True, strict, "output")
    products = _grads(gradient, xs, vs, create_graph, strict, "jacobian")
    return _finish(outs, create_graph, False), _finish(products, create_graph, in_tuple)


def hvp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), H v), by the double-backward trick on the vhp (see the module text)."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "hvp")
    xs = _prepared(xs, create_graph)
    vs = _vectors(v, xs, "input", "hvp")
    outs = _scalar_output(func, xs, "hvp")
    gradient = _grads(outs, xs, (None,), True, strict, "output")
    products = _transposed(gradient, xs, vs, create_graph, strict, "jacobian")  # H v
    return _finish(outs, create_graph, False), _finish(products, create_graph, in_tuple)


def _transposed(outs: tuple[Tensor, ...], xs: tuple[Tensor, ...], vs: tuple[Tensor, ...], create_graph: bool,
                strict: bool, what: str) -> tuple[Tensor, ...]:
    """J v for the Jacobian J = d outs / d xs, by the double-backward trick: u^T J is linear in u (a
    stand-in for the output gradient), so d <u^T J, v> / du = J v."""
    us = tuple(Tensor._make(backend.xp.zeros(o.array.shape, dtype=o.dtype), False).requires_grad_(True)
               for o in outs)
    u_products = _grads(outs, xs, us, True, strict, what)  # u^T J
    return _grads(u_products, us, vs, create_graph, strict, "gradient")


def _scalar_output(func: Callable[..., Any], xs: tuple[Tensor, ...], fn_name: str) -> tuple[Tensor, ...]:
    _, outs = _outputs(func, xs, fn_name)
    if len(outs) != 1 or outs[0].numel() != 1:
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor with a single element")
    return outs

