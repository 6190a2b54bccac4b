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
            result._version_counter = t._version_counter
            result._view_of = (t, op, inputs, position, params)
            result._shared = t._shared = True
            _register(result, t)
            return


def _register(view: Tensor, base: Tensor) -> None:
    """Add ``view`` to the weak list of views kept by the first tensor of ``base``'s family."""
    while base._view_of is not None:
        base = base._view_of[0]
    family = base._views
    if family is None:
        base._views = family = []
    elif len(family) >= 8 and len(family) & (len(family) - 1) == 0:  # at each power of two: forget dead views
        family[:] = [ref for ref in family if ref() is not None]
    family.append(weakref.ref(view))


def root_of(tensor: Tensor) -> Tensor:
    """The tensor that owns the memory ``tensor`` views: the first of its family."""
    while tensor._view_of is not None:
        tensor = tensor._view_of[0]
    return tensor


def live_views(root: Tensor) -> list[Tensor]:
    """The views of ``root``'s memory still alive, in the order they were made (a view's base first)."""
    return [view for view in (ref() for ref in root._views or ()) if view is not None]
