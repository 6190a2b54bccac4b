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
"""

from __future__ import annotations

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


def share_base_counter(result: Tensor, inputs: tuple[Tensor, ...]) -> None:
    """Give ``result`` the version counter of the input whose memory its array views, if any."""
    out = result.array
    for t in inputs:
        if aliases(out, t.array):
            result._version_counter = t._version_counter
            return


def counts_as_view(result: Tensor, base: Tensor) -> Tensor:
    """Give ``result`` ``base``'s counter where torch's op returns a view but glassgrad's copies
    (``diagonal``, ``as_strided``: NumPy cannot write through those views), so the version check
    refuses the same backwards as torch's."""
    result._version_counter = base._version_counter
    return result
