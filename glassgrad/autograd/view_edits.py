"""An in-place edit of memory that several tensors share, while a graph is recorded.

``b = a[:2]`` is a view: ``b`` reads ``a``'s memory. After ``b.mul_(w)`` the values of ``a`` have
changed too, so the graph must say how: ``a``'s new value is its old value with the region ``b``
covers replaced by ``b``'s new value. That is the op ``CopySlices`` (torch gives its node the same
name), which becomes ``a``'s node. Its derivative, with ``R`` the region as a 0/1 mask over ``a``:

    a_new = a_old * (1 - R) + scatter_R(b_new)
    d loss / d a_old = g * (1 - R)          (the gradient outside the region passes through)
    d loss / d b_new = view(g)              (the region of the gradient, read by the same view op)

For a view of a view (``a[0][1:]``) the same happens one level at a time, up to the first tensor.

The other views that read the edited memory (after an edit of the base, every view of it) now hold
new values but an old graph. Each is made again from its base (``refresh_views``): the same view op,
applied to the base as it is now, gives it its new node, as torch regenerates a view's ``grad_fn``.
A view of other parts of the memory keeps its node, which still describes its values.
The graph nodes made before the edit keep the old values through ``graph.remember_former``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from glassgrad import backend, complex_math
from glassgrad.autograd.graph import Node, edit_number, remember_former
from glassgrad.autograd.views import gained_a_graph, remake, root_of, snapshot, views_over
from glassgrad.op import Context, Op

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


class CopySlices(Op):
    """base_new = base_old outside the view's region R, view_new inside it;
    d base_old = g * (1 - R) (``OutsideRegion``);  d view_new = view(g), the view op applied to the gradient."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, base: Any, view: Any) -> Any:
        raise RuntimeError("CopySlices is made by an in-place edit of a view, not applied")

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        outside = OutsideRegion.apply(grad, edit=ctx) if hasattr(grad, "array") else _outside_region(ctx, grad)
        return outside, _view_of_gradient(ctx, grad)


class OutsideRegion(Op):
    """y = g with the edited view's region R set to 0, i.e. g * (1 - R);  dy/dg: the same map (a projection
    is its own adjoint). For ``a.real`` the region is the real parts: ``a.imag``'s gradient passes."""

    differentiable_backward = True
    bfloat16_in_float32 = False

    @staticmethod
    def forward(ctx: Context, grad: Any, *, edit: Context) -> Any:
        ctx.edit = edit
        return _outside_region(edit, grad)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        if hasattr(grad, "array"):
            return OutsideRegion.apply(grad, edit=ctx.edit)
        return _outside_region(ctx.edit, grad)


complex_math.accept(CopySlices, OutsideRegion)


def _view_of_gradient(ctx: Context, grad: Any) -> Any:
    """The view op that made the edited view, applied to ``grad`` in place of its base: on a Tensor
    (a backward recording its graph) as an op, on an array through the op's forward."""
    inputs = list(ctx.view_inputs)
    inputs[ctx.position] = grad
    if hasattr(grad, "array"):
        return ctx.view_op.apply(*inputs, **ctx.view_params)
    arrays = [t.array if hasattr(t, "array") else t for t in inputs]
    return ctx.view_op.forward(Context(), *arrays, **ctx.view_params)


def _outside_region(ctx: Context, grad: Any) -> Any:
    """A copy of the array ``grad`` with the edited view's region of the base set to 0 (found when the
    backward runs, by the view op applied to the copy: the node keeps only how the view was made)."""
    outside = backend.xp.array(grad, copy=True, order="C")  # in C order: as_strided reads the base so
    arrays = [outside if t is None else t.array for t in ctx.view_inputs]
    region = ctx.view_op.forward(Context(), *arrays, **ctx.view_params)
    if region.size and not backend.xp.may_share_memory(region, outside):
        raise RuntimeError(f"in-place edit of a view made by {ctx.view_op.__name__}: its region of the base "
                           "cannot be found")
    region[...] = 0
    return outside


def write_into_base(view: Tensor, edit: int) -> None:
    """After an in-place edit of ``view`` (its memory already written), make its base's node a
    ``CopySlices`` of the base before the edit and the view after it; then the base's base, and so on."""
    while view._view_of is not None:
        base = view._view_of[0]
        ctx = Context()
        _, ctx.view_op, view_inputs, ctx.position, ctx.view_params, _ = view._view_of
        ctx.view_inputs = tuple(None if i == ctx.position else t for i, t in enumerate(view_inputs))
        ctx.params = {}
        before = snapshot(base)
        remember_former(base, before, edit)
        ctx.needs_input_grad = (before.requires_grad, view.requires_grad)
        base._node = Node(CopySlices, ctx, (before, view))
        base.requires_grad = True
        if not before.requires_grad:  # its memory has a graph from now on: views made before may need one
            gained_a_graph(base)
        view = base


def refresh_views(edited: Tensor, region: Any) -> None:
    """Give every other view that reads memory ``edited`` covers a node made from its base as it is now.
    A view of other parts of the memory keeps its node: the values it reads have not changed since (the
    rows of an RNN's output buffer, written one at a time, are not remade at each step). ``region``: the
    part of ``edited``'s array the edit changed (all of it, or what a setitem's index selects).

    Every node made until now took such a view as it was, the edit's own node too (``a[0] *= w`` is
    ``v = a[0]; v.mul_(w); a[0] = v``: the last edit's node reads ``v``), so the number the views are
    remembered at is drawn now, not at the start of the edit."""
    edit = edit_number()
    root = root_of(edited)
    chain = {id(edited)}
    link = edited
    while link._view_of is not None:
        link = link._view_of[0]
        chain.add(id(link))
    xp = backend.xp
    for view in views_over(root, region):
        if id(view) not in chain and xp.may_share_memory(view.array, region):  # else its graph still holds
            remake(view, edit)


def refuse_view_of_leaf(tensor: Tensor) -> None:
    """torch's refusal to edit, while recording, a view of a leaf that requires grad."""
    if tensor._view_of is None:
        return
    root = root_of(tensor)
    if root.requires_grad and root._node is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation; "
                           "edit it under glassgrad.no_grad() (as optimisers and nn.init do)")
