"""Draw a computation graph: what produced this tensor (or scalar Value), and from what.

``draw_graph(out)`` walks back from ``out`` along the recorded graph and shows
every intermediate result and every op between it and the leaves:

- for a ``Tensor``: each tensor's shape, dtype, the L2 norm of its values
  (``x=|3.15|``; the value itself, ``x=0.018``, when it holds one number) and
  of its gradient (``grad=|0.41|``), and the op that made it
  (``node.op.__name__``, e.g. ``Linear``, ``ReLU``); leaves that require a
  gradient are marked ``param``, other leaves ``leaf``;
- for a scalar ``Value``: its label, data, grad and op (``+``, ``*``, ``tanh``).

Three outputs:

- ``format="text"``: an indented tree, always available (no dependency);
  a result used twice is printed once and referred to by its number after;
- ``format="dot"``: the Graphviz source as a string;
- ``format="svg"`` / ``"png"``: a picture rendered by Graphviz (the ``dot``
  program, e.g. Debian's ``graphviz`` package, or the ``graphviz`` Python
  package). Without Graphviz these fall back to the text tree.

When to draw: ``backward()`` frees each node's saved arrays *and its inputs*
unless ``retain_graph=True``, so draw before backward (values only), or call
``backward(retain_graph=True)`` and draw after (values and gradients). Drawn
after a plain backward, the graph shows only the output and the op that made
it, marked "inputs freed by backward".

The walk is iterative (an explicit stack), so a chain of 100,000 ops draws
without touching Python's recursion limit.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.autograd.graph import inputs_as_used

__all__ = ["GraphItem", "build_graph", "draw_graph", "graphviz_available", "to_dot", "to_text"]

_FORMATS = ("svg", "png", "text", "dot")
_INDENT_FOLD = 32  # after this many levels the text tree restarts at the left margin


@dataclass
class GraphItem:
    """One result in the graph (a tensor or a Value) and the op that made it.

    Attributes:
        key: an id unique within the graph (0 = the root).
        label: what the result is, e.g. ``"(4, 8) float32 |x|=1.93 |g|=0.41"``.
        op: name of the op that produced it, or "" for a leaf.
        inputs: keys of the op's inputs, in argument order.
        kind: "result", "leaf" (a constant), "param" (a leaf that requires grad).
        freed: True when backward already released the op's inputs.
    """

    key: int
    label: str
    op: str = ""
    inputs: list[int] = field(default_factory=list)
    kind: str = "result"
    freed: bool = False


def build_graph(root: Any, names: Mapping[str, Any] | None = None) -> list[GraphItem]:
    """The graph behind ``root`` (a Tensor or a scalar Value) as a list of items.

    Args:
        root: the output to start from.
        names: optional ``{name: tensor}`` (e.g. ``dict(model.named_parameters())``)
            used to label leaves by name.

    Returns:
        Items in discovery order (root first); each input key refers to another item.
    """
    from glassgrad.scalar.engine import Value
    from glassgrad.tensor import Tensor

    if isinstance(root, Value):
        describe, parents = _describe_value, _value_parents
    elif isinstance(root, Tensor):
        describe, parents = _describe_tensor, _tensor_parents
    else:
        raise TypeError(f"draw_graph: expected a glassgrad Tensor or scalar Value, got {type(root).__name__}")
    name_of = {id(t): n for n, t in (names or {}).items()}
    keys: dict[int, int] = {id(root): 0}
    items: list[GraphItem] = []
    pending = [root]  # every object here already has a key; its item is built when popped
    while pending:
        obj = pending.pop()
        op, inputs, freed = parents(obj)
        input_keys = []
        for parent in inputs:
            if id(parent) not in keys:
                keys[id(parent)] = len(keys)
                pending.append(parent)
            input_keys.append(keys[id(parent)])
        label, kind = describe(obj, name_of.get(id(obj)))
        items.append(GraphItem(keys[id(obj)], label, op, input_keys, kind if not op else "result", freed))
    items.sort(key=lambda item: item.key)
    return items


# ----- what one node looks like ------------------------------------------------
def _tensor_parents(t: Any) -> tuple[str, tuple[Any, ...], bool]:
    node = t._node
    if node is None:
        return "", (), False
    return node.op.__name__, tuple(inputs_as_used(node)), bool(node.released)


def _value_parents(v: Any) -> tuple[str, tuple[Any, ...], bool]:
    return v._op, tuple(v._prev), False


def _norm(array: Any) -> str:
    a = np.asarray(backend.to_numpy(array))
    if a.dtype.kind == "b":
        a = a.astype(np.int64)
    a = a.astype(np.float64)
    if a.size == 1:
        return f"{a.item():.4g}"
    with np.errstate(over="ignore", invalid="ignore"):
        return f"|{np.sqrt(np.sum(a * a)):.4g}|"


def _describe_tensor(t: Any, name: str | None) -> tuple[str, str]:
    from glassgrad.nn.parameter import Parameter

    shape = "(" + ", ".join(str(n) for n in t.shape) + (",)" if t.ndim == 1 else ")")
    parts = [name] if name else []
    parts += [shape, str(t.dtype), f"x={_norm(t.array)}"]
    if t.grad is not None:
        parts.append(f"grad={_norm(t.grad.array)}")
    kind = "param" if (t.requires_grad or isinstance(t, Parameter)) else "leaf"
    return " ".join(parts), kind


def _describe_value(v: Any, name: str | None) -> tuple[str, str]:
    label = name or v.label
    parts = ([label] if label else []) + [f"data={v.data:.4g}", f"grad={v.grad:.4g}"]
    return " ".join(parts), "leaf" if not v._prev else "result"


# ----- renderers --------------------------------------------------------------
def to_text(items: list[GraphItem]) -> str:
    """The graph as an indented tree, output at the top, each op's inputs below it.

    Each line reads ``#k op -> label``; a result already printed is shown again
    only as ``#k (above)``. Past 32 levels the indentation restarts at the left
    margin after a ``[depth N]`` marker, so a long chain stays readable.
    """
    by_key = {item.key: item for item in items}
    lines: list[str] = []
    printed: set[int] = set()
    # stack entries: (key, depth, prefix for this line, prefix for its children)
    stack: list[tuple[int, int, str, str]] = [(0, 0, "", "")]
    while stack:
        key, depth, head, rest = stack.pop()
        item = by_key[key]
        if depth and depth % _INDENT_FOLD == 0 and head:
            lines.append(f"[depth {depth}]")
            head, rest = "", ""
        if key in printed:
            lines.append(f"{head}#{key} (above)")
            continue
        printed.add(key)
        if item.op:
            freed = "  [inputs freed by backward]" if item.freed else ""
            lines.append(f"{head}#{key} {item.op} -> {item.label}{freed}")
        else:
            lines.append(f"{head}#{key} {item.kind}: {item.label}")
        children = item.inputs
        for i in reversed(range(len(children))):  # pushed in reverse so argument 0 prints first
            last = i == len(children) - 1
            stack.append((children[i], depth + 1, rest + ("└─ " if last else "├─ "), rest + ("   " if last else "│  ")))
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(items: list[GraphItem], rankdir: str = "LR") -> str:
    """The graph as Graphviz source: results as boxes, ops as ellipses, data flowing left to right."""
    colours = {"param": "lightblue", "leaf": "lightgrey", "result": "white"}
    lines = ["digraph glassgrad {", f"  rankdir={rankdir};", '  node [fontname="Helvetica", fontsize=10];']
    for item in items:
        lines.append(f"  r{item.key} [shape=box, style=filled, fillcolor={colours[item.kind]}, "
                     f"label={_quote(f'#{item.key} ' + item.label)}];")
        if item.op:
            op_label = item.op + ("\\n(inputs freed)" if item.freed else "")
            lines.append(f'  o{item.key} [shape=ellipse, style=filled, fillcolor=lightyellow, label="{op_label}"];')
            lines.append(f"  o{item.key} -> r{item.key};")
            for i, parent in enumerate(item.inputs):
                arg = f' [label="{i}", fontsize=8]' if len(item.inputs) > 1 else ""
                lines.append(f"  r{parent} -> o{item.key}{arg};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def graphviz_available() -> bool:
    """True when Graphviz's ``dot`` program is on the PATH (needed for svg/png)."""
    return shutil.which("dot") is not None


def _render(source: str, path: Path, fmt: str) -> None:
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("draw_graph: Graphviz's `dot` program was not found")
    done = subprocess.run([dot, f"-T{fmt}", "-o", str(path)], input=source.encode(), capture_output=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"draw_graph: dot failed ({done.returncode}): {done.stderr.decode(errors='replace')}")


def draw_graph(root: Any, path: str | Path | None = None, format: str = "svg", *,  # noqa: A002 (torch/graphviz name)
               names: Mapping[str, Any] | None = None, rankdir: str = "LR") -> str:
    """Draw the computation graph that produced ``root`` (a Tensor or a scalar Value).

    Args:
        root: the output whose history to draw.
        path: where to write the result. For svg/png the default is
            ``graph.svg`` / ``graph.png`` in the current folder; for text/dot
            nothing is written unless a path is given.
        format: "svg", "png" (Graphviz pictures), "text" (indented tree) or
            "dot" (Graphviz source). Without Graphviz, svg/png return the text
            tree instead (written to ``path`` with suffix ``.txt`` if a path is given).
        names: ``{name: tensor}`` to label leaves, e.g. ``dict(model.named_parameters())``.
        rankdir: Graphviz layout direction ("LR" left to right, "TB" top to bottom).

    Returns:
        The written file's path for svg/png; the text for text/dot (and for the fallback).

    Example::

        loss = model(x).sum()
        print(draw_graph(loss, format="text", names=dict(model.named_parameters())))
        draw_graph(loss, "graph.svg")      # before loss.backward(): it frees the graph
    """
    if format not in _FORMATS:
        raise ValueError(f"draw_graph: format must be one of {_FORMATS}, got {format!r}")
    items = build_graph(root, names)
    kind = format
    if kind in ("svg", "png") and not graphviz_available():
        kind = "text"
        path = None if path is None else Path(path).with_suffix(".txt")
    if kind in ("text", "dot"):
        text = to_text(items) if kind == "text" else to_dot(items, rankdir)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text
    out = Path(path) if path is not None else Path(f"graph.{kind}")
    out.parent.mkdir(parents=True, exist_ok=True)
    _render(to_dot(items, rankdir), out, kind)
    return str(out)
