"""Snapshot glassgrad's public namespaces, to check that moving a name's declaration changes nothing.

    python tools/namespaces.py save before.json     # before the change
    python tools/namespaces.py diff before.json     # after it: prints every name that moved, came or went

A snapshot holds, for ``glassgrad``, ``glassgrad.ops`` and ``glassgrad.nn.functional``, each name and where
its object is defined (module and qualified name), and the names of ``Tensor``'s attributes.
docs/writing-an-op.md (section 4) asks for an empty diff when an op family starts declaring its names.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def snapshot() -> dict[str, Any]:
    """{namespace: {name: "module.qualname"}}, and "Tensor": its sorted attribute names."""
    import glassgrad
    import glassgrad.nn.functional as functional

    def where(obj: Any) -> str:
        return f"{getattr(obj, '__module__', None)}.{getattr(obj, '__qualname__', type(obj).__name__)}"

    spaces = {"glassgrad": glassgrad, "glassgrad.ops": glassgrad.ops, "glassgrad.nn.functional": functional}
    taken: dict[str, Any] = {label: {name: where(getattr(space, name)) for name in dir(space)
                                     if not name.startswith("__")} for label, space in spaces.items()}
    taken["Tensor"] = sorted(dir(glassgrad.Tensor))
    return taken


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per name whose object moved, and per name that came or went."""
    lines = []
    for label, names in before.items():
        if label == "Tensor":
            gone, came = sorted(set(names) - set(after[label])), sorted(set(after[label]) - set(names))
            lines += [f"Tensor.{n} went" for n in gone] + [f"Tensor.{n} came" for n in came]
            continue
        for name in sorted(set(names) | set(after[label])):
            if names.get(name) != after[label].get(name):
                lines.append(f"{label}.{name}: {names.get(name)} -> {after[label].get(name)}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "diff"):
        print(__doc__)
        return 2
    if argv[0] == "save":
        with open(argv[1], "w") as file:
            json.dump(snapshot(), file, indent=0, sort_keys=True)
        return 0
    with open(argv[1]) as file:
        lines = differences(json.load(file), snapshot())
    print("\n".join(lines) if lines else "no differences")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
