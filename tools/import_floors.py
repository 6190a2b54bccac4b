"""Print glassgrad's import picture: each package (or top-level module) and the ones it imports.

Reads the source with ``ast`` (nothing is imported), so it shows the arrows written in the
files, whichever order Python would run them in. Each line is one *unit* of the library:
a subpackage (``glassgrad.ops``) or a top-level module (``glassgrad.tensor``)::

    glassgrad.kernels -> glassgrad.backend
    glassgrad.ops -> glassgrad.arrays, glassgrad.backend, ..., glassgrad.tensor, [glassgrad.nn]

A name in square brackets is imported only inside a function (a deferred import, run on
first call); ``TYPE_CHECKING`` imports are left out, since they never run.

Usage::

    python tools/import_floors.py               # the picture, one line per unit
    python tools/import_floors.py --modules glassgrad.kernels glassgrad.arrays
                                                # module by module, under the prefixes
"""

from __future__ import annotations

import argparse
import ast
import functools
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "glassgrad"

# The floors below the Tensor, lowest first. Each may import only the floors beneath it.
FLOORS: list[tuple[str, list[str]]] = [
    (
        "plain Python",
        [
            "glassgrad.allocator",
            "glassgrad.bfloat16_math",
            "glassgrad.box_muller",
            "glassgrad.compiler",
            "glassgrad.errors",
            "glassgrad.layout",
            "glassgrad.profiler",
            "glassgrad.return_types",
            "glassgrad.scalar",
            "glassgrad.size",
            "glassgrad.threads",
        ],
    ),
    ("the array backend", ["glassgrad.backend", "glassgrad.device", "glassgrad.dtypes", "glassgrad.random"]),
    ("array helpers (no Tensor)", ["glassgrad.arrays"]),
    ("fast kernels (no Tensor)", ["glassgrad.kernels"]),
]


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the library by dotted name (a package by its ``__init__``)."""
    names = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


@functools.cache
def parsed(path: Path) -> ast.Module:
    """The syntax tree of one source file (parsed once per run)."""
    return ast.parse(path.read_text(), filename=str(path))


def unit_of(module: str) -> str:
    """The package or top-level module that ``module`` belongs to: ``glassgrad.ops.conv`` -> ``glassgrad.ops``."""
    return ".".join(module.split(".")[:2])


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, bool]]:
    """The library modules ``module`` imports, each with True when the import is deferred (in a function)."""
    tree = parsed(path)
    is_package = path.name == "__init__.py"
    found: list[tuple[str, bool]] = []

    def resolve(name: str) -> str | None:
        # the longest prefix of the dotted name that is a module of the library
        parts = name.split(".")
        while parts:
            candidate = ".".join(parts)
            if candidate in known:
                return candidate
            parts.pop()
        return None

    def visit(node: ast.AST, deferred: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child, deferred)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = resolve(alias.name)
                if target:
                    found.append((target, deferred))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                target = resolve(f"{base}.{alias.name}") or resolve(base)
                if target:
                    found.append((target, deferred))
        inner = deferred or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, False)
    return found


def picture(root: Path = ROOT, by_module_under: list[str] | None = None) -> dict[str, dict[str, bool]]:
    """``{importer: {imported: deferred_only}}`` between units (or between modules under the prefixes)."""
    known = module_names(root)
    arrows: dict[str, dict[str, bool]] = defaultdict(dict)
    for module, path in known.items():
        if by_module_under and not any(module == p or module.startswith(p + ".") for p in by_module_under):
            continue
        source = module if by_module_under else unit_of(module)
        arrows.setdefault(source, {})
        for target, deferred in imports_of(module, path, known):
            target = target if by_module_under else unit_of(target)
            if target == source:
                continue
            # an arrow is deferred only when every import behind it is deferred
            arrows[source][target] = arrows[source].get(target, True) and deferred
    return arrows


def floor_of(unit: str) -> int:
    """The floor a unit stands on (see FLOORS); a unit not listed stands on the top floor."""
    for number, (_, units) in enumerate(FLOORS):
        if unit in units:
            return number
    return len(FLOORS)


def upward(arrows: dict[str, dict[str, bool]]) -> list[str]:
    """The arrows from a lower floor to a higher one, each as ``importer -> imported``."""
    return [
        f"{source} (floor {floor_of(source)}) -> {f'[{target}]' if deferred else target} (floor {floor_of(target)})"
        for source, targets in sorted(arrows.items())
        for target, deferred in sorted(targets.items())
        if floor_of(target) > floor_of(source)
    ]


def render(arrows: dict[str, dict[str, bool]], floors: bool = True) -> str:
    lines = []
    if floors:
        lines.append("floors, lowest first (a floor may import only floors below it):")
        for number, (title, units) in enumerate(FLOORS):
            lines.append(f"  {number} {title}: {', '.join(units)}")
        lines.append(f"  {len(FLOORS)} everything else: the Tensor-ops circle and what is built on it")
        lines.append("")
    for source in sorted(arrows, key=lambda unit: (floor_of(unit), unit)):
        targets = arrows[source]
        shown = [f"[{t}]" if targets[t] else t for t in sorted(targets)]
        prefix = f"{floor_of(source)} " if floors else ""
        lines.append(f"{prefix}{source} -> {', '.join(shown) if shown else '(nothing in the library)'}")
    if floors:
        wrong = upward(arrows)
        lines.append("")
        lines.append(f"arrows from a lower floor to a higher one: {len(wrong)}")
        lines.extend(f"  {arrow}" for arrow in wrong)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--modules", metavar="PREFIX", nargs="+", help="one line per module under each PREFIX (e.g. glassgrad.kernels)"
    )
    args = parser.parse_args(argv)
    print(render(picture(by_module_under=args.modules), floors=not args.modules))
    return 0


if __name__ == "__main__":
    sys.exit(main())
