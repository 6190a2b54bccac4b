"""Views share their base's version counter, as torch's do.

A view (``a[1:]``, ``a.t()``, ``a.view(6)``, ``a.expand(...)``, ``a.real`` ...) holds no values of
its own: its array is a NumPy view of its base's memory. An in-place edit through either one
changes what the other holds, so both must count it: an op that saved ``b = a[:2]`` must refuse
its backward after ``a.add_(1)``, and an op that saved ``a`` after ``b.mul_(2)``. As in torch, the
tensors that alias one piece of memory therefore hold one counter (``t._version_counter``, a
one-element list), and ``t._version`` reads the same number through each of them.

``Op.run`` calls ``share_base_counter`` only when its output's array is not a fresh array of its
own (NumPy's ``array.base`` is set, or the op handed an input's array back), so ops that compute new
values pay one attribute read.

A view also remembers how it was made (``view._view_of``: its base, the op and its arguments), and
the first tensor of a family of views keeps weak references to all of them (``base._views``). An
in-place edit while recording a graph needs both (glassgrad/autograd/view_edits.py): an edit of a
view must become an edit of its base in the graph, and an edit of either makes the graph of every
other view of that memory out of date.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from glassgrad.autograd import engine, grad_mode, graph

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


def aliases(view: Any, array: Any) -> bool:
    """Whether ``view`` reads ``array``'s memory: the same array, or a NumPy view of it. NumPy
    collapses a view of a view onto the array that owns the memory, so ``array``'s own ``base`` is
    compared too; the chain is walked because ``as_strided`` views (``unfold``) sit on a holder object."""
    if view is array:
        return True
    owner = array.base
    link = view.base
    while link is not None:
        if link is array or link is owner:
            return True
        link = getattr(link, "base", None)
    return False


def share_base_counter(result: Tensor, inputs: tuple[Tensor, ...], op: type, params: dict[str, Any]) -> None:
    """Give ``result`` the version counter of the input whose memory its array views, if any, and
    record it as a view of that input made by ``op(*inputs, **params)``."""
    out = result.array
    for position, t in enumerate(inputs):
        if aliases(out, t.array):
            counter = result._version_counter = t._version_counter
            result._view_of = (t, op, inputs, position, params, counter[0])
            result._shared = t._shared = True
            if t.requires_grad:  # a view of a graph's tensor: an edit elsewhere in its memory remakes it
                register(result, t)
            return


def register(view: Tensor, base: Tensor) -> None:
    """Add ``view`` to the weak list of views kept by the first tensor of ``base``'s family. (Only views
    of tensors that require grad are listed: the views of the others cost nothing more, and the rare
    one that must be remade later, because its memory was given a graph by an edit, is found by
    ``catch_up`` when it is used.)"""
    while base._view_of is not None:
        base = base._view_of[0]
    family = base._views
    if family is None:
        base._views = family = []
    elif len(family) >= 8 and len(family) & (len(family) - 1) == 0:  # at each power of two: forget dead views
        family[:] = [ref for ref in family if ref() is not None]
    family.append(weakref.ref(view))


# --- views made before their memory had a graph -----------------------------------------------------
# ``a = zeros(3); v = a[1:]; a[:2].mul_(w)``: the edit gives ``a`` a graph, and ``v`` (not listed: ``a``
# needed no gradient when it was made) now reads values that depend on ``w``. The edit marks ``a``
# (``gained_a_graph``); ``Op.run`` then asks ``catch_up`` about its inputs, and such a view is made again
# from its base before it is used. A view made later under no_grad is left as it is, as torch's.
catch_up_needed = False  # set by the first such edit: until then Op.run pays one global read


def gained_a_graph(tensor: Tensor) -> None:
    """Record that the memory of ``tensor`` (a base, or a view of one) has a graph from this version on."""
    global catch_up_needed
    root = root_of(tensor)
    if root._graph_since is None:  # views made before this version (and not since remade) may need one
        root._graph_since = tensor._version_counter[0]
    catch_up_needed = True


def catch_up(inputs: tuple[Tensor, ...]) -> None:
    """Make again each input that is a view made before its memory was given a graph."""
    for t in inputs:
        if t._view_of is not None and not t.requires_grad:
            since = root_of(t)._graph_since
            if since is not None and t._view_of[5] < since:
                remake(t, graph.edit_number())
                register(t, t._view_of[0])


def remake(view: Tensor, edit: int) -> None:
    """Give ``view`` the node of its op applied again to its base as it is now (torch regenerates a view's
    ``grad_fn`` so); the nodes made before keep the view as it was (``graph.remember_former``)."""
    base, op, inputs, position, params, _ = view._view_of
    graph.remember_former(view, snapshot(view), edit)
    with grad_mode.enable_grad():
        remade = op.run(*inputs, **params)
    view._node, view.requires_grad = remade._node, remade.requires_grad
    view._view_of = (base, op, inputs, position, params, view._version_counter[0])


def snapshot(tensor: Tensor) -> Tensor:
    """A tensor standing for ``tensor`` as it is now in the graph: its array, node and flag."""
    before = engine.tensor_class()._make(tensor.array, tensor.requires_grad)
    before._node, before._version_counter = tensor._node, tensor._version_counter
    return before


def root_of(tensor: Tensor) -> Tensor:
    """The tensor that owns the memory ``tensor`` views: the first of its family."""
    while tensor._view_of is not None:
        tensor = tensor._view_of[0]
    return tensor


def live_views(root: Tensor) -> list[Tensor]:
    """The views of ``root``'s memory still alive, in the order they were made (a view's base first)."""
    return [view for view in (ref() for ref in root._views or ()) if view is not None]
