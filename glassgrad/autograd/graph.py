"""The recorded graph: one ``Node`` per op application, and how to walk and check it
(as ``torch.autograd.graph``).

A tensor produced by an op while grad mode is on holds a ``Node``: the op's class, the context
its forward saved, and the input tensors. The walks (``engine.backward``, ``gradients.grad``,
``higher_order.walk``) visit nodes in the ``topological_order`` found here, and refuse a node
whose saved values were freed or edited in place since (``check_walkable``).
"""

from __future__ import annotations

import bisect
import itertools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


class Node:
    """One recorded op application: which op, what it saved, which inputs."""

    __slots__ = ("op", "ctx", "inputs", "released", "saved_versions", "seq")

    def __init__(self, op: type, ctx: Any, inputs: tuple[Tensor, ...]) -> None:
        self.op = op
        self.ctx = ctx
        self.inputs = inputs
        self.released = False
        self.seq = next(_numbering)  # when it was made, against in-place edits (see ``inputs_as_used``)
        # (counter, value when saved, which: an input's position, "output", or a description)
        self.saved_versions: tuple[tuple[list[int], int, int | str], ...] = ()

    def name(self) -> str:
        """torch's name of the node: ``"MulBackward"`` for the op ``Mul``."""
        return f"{self.op.__name__}Backward"

    def __repr__(self) -> str:
        return f"<{self.name()}>"

    def release(self) -> None:
        """Drop saved arrays and input references after backward."""
        self.ctx = None
        self.inputs = ()
        self.released = True


# --- in-place edits and the nodes made before them ---------------------------------------------
# A node holds its input *tensors*. An in-place edit while recording (``y.mul_(w)``,
# glassgrad/methods/inplace.py) gives the edited tensor a new node, so a node made before the edit
# must not follow the tensor to its new history: it took the value before the edit. The edit keeps
# that earlier value as a snapshot tensor (with its node) in ``tensor._former``, stamped with a
# number drawn from the nodes' numbering (``edit_number``); ``inputs_as_used`` swaps it in.
_numbering = itertools.count(1)
edits_recorded = False  # set by the first recorded in-place edit: until then no node needs swapping


def edit_number() -> int:
    """A number for an in-place edit, from the nodes' numbering: nodes made before it have smaller ones."""
    return next(_numbering)


def remember_former(tensor: Tensor, snapshot: Tensor, edit: int) -> None:
    """Record that ``tensor``'s value and history up to node ``edit`` are now ``snapshot``'s."""
    global edits_recorded
    edits_recorded = True
    if not tensor._former:
        tensor._former = []  # its own list (the class's default is an empty tuple), kept in edit order
    bisect.insort(tensor._former, (edit, snapshot), key=_edit_of)


def inputs_as_used(node: Node) -> tuple[Tensor, ...]:
    """``node``'s inputs as they were when it was made: an input edited in place since then is
    replaced, once and for all, by the snapshot of its value before that edit."""
    inputs = node.inputs
    if not edits_recorded or not any(t._former for t in inputs):
        return inputs
    node.inputs = inputs = tuple(_as_of(t, node.seq) for t in inputs)
    return inputs


def _as_of(tensor: Tensor, seq: int) -> Tensor:
    """``tensor`` as node number ``seq`` saw it: the snapshot kept at the first edit made after it (found by
    bisection: a buffer written at each of T steps has T snapshots, and each read must not cost T)."""
    formers = tensor._former
    first_after = bisect.bisect_right(formers, seq, key=_edit_of)
    return formers[first_after][1] if first_after < len(formers) else tensor


def _edit_of(former: tuple[int, Tensor]) -> int:
    return former[0]


def saved_versions(saved: tuple[Any, ...], inputs: tuple[Tensor, ...], output: Tensor) -> tuple:
    """The version counters (and their values now) of the tensors whose arrays an op saved.

    An op saves arrays; those that are an input's or the output's own array are
    matched to that tensor, so an in-place edit of it later is caught at backward.
    """
    found = []
    for array in saved:
        for position, t in enumerate(inputs):
            if t.array is array:
                found.append((t._version_counter, t._version_counter[0], position))
                break
        else:
            if output.array is array:
                found.append((output._version_counter, output._version_counter[0], "output"))
    return tuple(found)


def check_versions(node: Node) -> None:
    """Refuse a backward through values that were edited in place after being saved."""
    for counter, expected, which in node.saved_versions:
        if counter[0] != expected:
            which = "output 0" if which == "output" else (f"input {which}" if isinstance(which, int) else which)
            raise RuntimeError(
                f"one of the variables needed for gradient computation has been modified by an inplace "
                f"operation: {which} of {node.name()} is at version {counter[0]}; expected version "
                f"{expected} instead. Hint: an in-place edit (x.add_(...), x[i] = ..., optimizer.step()) "
                "changed a tensor after it was used; clone() it or edit a copy."
            )


def check_walkable(node: Node) -> None:
    """Refuse a node whose saved values an earlier backward freed, or edited in place since."""
    if node.released:
        raise RuntimeError(f"Trying to backward through the graph a second time: the buffers of "
                           f"{node.op.__name__} were freed by an earlier backward. Pass retain_graph=True "
                           "the first time if you need to walk it twice.")
    if node.saved_versions:
        check_versions(node)


def topological_order(root: Tensor) -> list[Tensor]:
    """Tensors with a node, inputs before outputs, found without recursion."""
    order: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        tensor, inputs_done = stack.pop()
        if inputs_done:
            order.append(tensor)
            continue
        if id(tensor) in visited:
            continue
        visited.add(id(tensor))
        stack.append((tensor, True))
        for parent in inputs_as_used(tensor._node) if edits_recorded else tensor._node.inputs:
            if parent._node is not None and id(parent) not in visited:
                stack.append((parent, False))
    return order
