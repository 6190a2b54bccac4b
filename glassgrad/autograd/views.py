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

import bisect
import weakref
from typing import TYPE_CHECKING, Any

from numpy.lib.array_utils import byte_bounds

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
        if out.base is t.array or aliases(out, t.array):  # (the common case first, without a call)
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
    root = root_of(base)
    family = root._views
    if family is None:
        root._views = family = ViewFamily()
    family.add(view)


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


def views_over(root: Tensor, region: Any) -> list[Tensor]:
    """The live views of ``root``'s memory whose bytes span overlaps ``region``'s (the views an edit of
    ``region`` may have changed, and a few more), once each, in the order they were made."""
    return root._views.over(region) if root._views is not None else []


class ViewFamily:
    """Weak references to the views of one piece of memory, in the order they were made, and an index of
    them by the bytes they span: an edit of a part of the memory finds the views over that part without
    visiting every view (an RNN writing row t of a buffer whose rows 0..t-1 were read: T views at step T).

    Each view's span is found when an edit first asks (``over``), not when the view is made (reads of a
    tensor that nobody edits pay nothing); the index is sorted by the span's first byte, and a query looks
    at the spans that begin less than the widest span before the region's end."""

    def __init__(self) -> None:
        self.refs: list[weakref.ref] = []
        self.indexed = 0  # refs[:indexed] are in the index
        self.starts: list[int] = []  # sorted first bytes
        self.entries: list[tuple[int, int, int, weakref.ref]] = []  # (first byte, order made, end, ref), as starts
        self.widest = 0

    def __iter__(self):
        return iter(self.refs)

    def __len__(self) -> int:
        return len(self.refs)

    def add(self, view: Tensor) -> None:
        refs = self.refs
        if len(refs) >= 8 and len(refs) & (len(refs) - 1) == 0:  # at each power of two: forget dead views
            refs[:] = [ref for ref in refs if ref() is not None]
            self.indexed, self.starts, self.entries, self.widest = 0, [], [], 0  # made again at the next edit
        refs.append(weakref.ref(view))

    def over(self, region: Any) -> list[Tensor]:
        while self.indexed < len(self.refs):
            self._index(self.indexed)
            self.indexed += 1
        low, high = byte_bounds(region)
        first = bisect.bisect_left(self.starts, low - self.widest)
        last = bisect.bisect_right(self.starts, high)
        found = {}
        for start, _, end, ref in sorted(self.entries[first:last], key=_order_made):
            view = ref()
            if view is not None and end > low and start < high:
                found.setdefault(id(view), view)
        return list(found.values())

    def _index(self, order: int) -> None:
        view = self.refs[order]()
        if view is None:
            return
        start, end = byte_bounds(view.array)
        self.widest = max(self.widest, end - start)
        at = bisect.bisect_right(self.starts, start)
        self.starts.insert(at, start)
        self.entries.insert(at, (start, order, end, self.refs[order]))


def _order_made(entry: tuple[int, int, int, weakref.ref]) -> int:
    return entry[1]
