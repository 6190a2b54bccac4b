"""Record torch's call signatures into tests/fixtures/torch_signatures.json.

Run ``.venv/bin/python -m tests.helpers.torch_signatures`` (torch==2.13.0 installed; ``make fixtures``
runs it) after a torch upgrade. ``tests/nn/test_torch_signatures.py`` compares every glassgrad
class and function of the same name against the recording, without torch; with torch installed
it also checks that the recording is up to date.

What is recorded, for every public name torch defines there:

* ``nn``: the classes of ``torch.nn`` (their constructor),
* ``nn.functional``: the functions of ``torch.nn.functional``,
* ``optim`` and ``optim.lr_scheduler``: the optimiser and scheduler classes.

Each signature is stored as the text between the parentheses of a Python ``def``
(``"in_features, out_features, bias=True, device=None, dtype=None"``), with ``/``, ``*``,
``*args`` and ``**kwargs`` where torch has them. A default that is not a plain value is written
as a description of what it is (``activation={'callable': 'relu'}``, ``{'dtype': 'float32'}``),
so the same description of a glassgrad default compares equal. A builtin without a Python
signature (``F.conv2d``) is read from the first line of its docstring
(``conv2d(input, weight, bias=None, ...) -> Tensor``); a constructor that only passes
``*args, **kwargs`` on (``nn.LSTM``) from its first ``typing.overload``.
"""

from __future__ import annotations

import ast
import inspect
import json
import math
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "torch_signatures.json"

Parameter = tuple[str, str, Any]  # (name, inspect kind name, described default or NO_DEFAULT)
NO_DEFAULT = ("no default",)


def describe_default(value: Any) -> Any:
    """A literal description of a default value, the same for torch's and glassgrad's."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, tuple | list):
        return [describe_default(item) for item in value]
    if type(value).__name__ == "dtype":
        return {"dtype": str(value).rsplit(".", 1)[-1]}
    if callable(value) and hasattr(value, "__name__"):
        return {"callable": value.__name__}
    return {"type": type(value).__name__}


def _evaluated(node: ast.expr) -> Any:
    """A default written in a docstring: a literal, or arithmetic on literals (``1./8``)."""
    plain = ast.Constant | ast.BinOp | ast.UnaryOp | ast.operator | ast.unaryop | ast.Tuple | ast.List | ast.Load
    if all(isinstance(n, plain) for n in ast.walk(node)):
        return describe_default(eval(compile(ast.Expression(node), "<docstring>", "eval"), {"__builtins__": {}}))
    return {"expression": ast.unparse(node)}


def parse(text: str, value: Callable[[ast.expr], Any] = ast.literal_eval) -> list[Parameter]:
    """The parameters of ``def f(<text>)``; ``value`` turns a default's source into its description."""
    args = ast.parse(f"def f({text}): pass").body[0].args
    positional = args.posonlyargs + args.args
    defaults = [NO_DEFAULT] * (len(positional) - len(args.defaults)) + [value(d) for d in args.defaults]
    params = [(a.arg, "POSITIONAL_ONLY" if a in args.posonlyargs else "POSITIONAL_OR_KEYWORD", d)
              for a, d in zip(positional, defaults)]
    if args.vararg is not None:
        params.append((args.vararg.arg, "VAR_POSITIONAL", NO_DEFAULT))
    params += [(a.arg, "KEYWORD_ONLY", NO_DEFAULT if d is None else value(d))
               for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg is not None:
        params.append((args.kwarg.arg, "VAR_KEYWORD", NO_DEFAULT))
    return params


def as_text(params: list[Parameter]) -> str:
    """The inverse of ``parse``: the text between a ``def``'s parentheses."""
    parts: list[str] = []
    for i, (name, kind, default) in enumerate(params):
        if kind == "KEYWORD_ONLY" and not any(k in ("KEYWORD_ONLY", "VAR_POSITIONAL") for _, k, _ in params[:i]):
            parts.append("*")
        parts.append({"VAR_POSITIONAL": "*", "VAR_KEYWORD": "**"}.get(kind, "") + name
                     + ("" if default is NO_DEFAULT else f"={default!r}"))
        if kind == "POSITIONAL_ONLY" and (i + 1 == len(params) or params[i + 1][1] != "POSITIONAL_ONLY"):
            parts.append("/")
    return ", ".join(parts)


def describe(obj: Any) -> list[Parameter] | None:
    """The parameters of a function or of a class's constructor (None when they cannot be read)."""
    init = getattr(obj, "__init__", None) if inspect.isclass(obj) else None
    overloads = typing.get_overloads(init) if inspect.isfunction(init) else []  # Python >= 3.11
    try:
        signature = inspect.signature(overloads[0] if overloads else obj)
    except (TypeError, ValueError):
        if inspect.isclass(obj):
            return None
        match = re.search(r"^\s*\w+\((.*?)\)\s*->", obj.__doc__ or "", re.S | re.M)
        return None if match is None else parse(match.group(1), _evaluated)
    values = list(signature.parameters.values())[1 if overloads else 0:]  # an overload still has self
    return [(p.name, p.kind.name, NO_DEFAULT if p.default is p.empty else describe_default(p.default))
            for p in values]


def _public(namespace: Any, prefix: str, classes: bool) -> dict[str, Any]:
    """torch's public classes (or functions) of a namespace; a boolean dispatch (``F.max_pool2d``,
    which picks a function by ``return_indices``) stands for its form with every parameter."""
    import torch._jit_internal

    dispatch = torch._jit_internal.boolean_dispatched
    found = {}
    for name in sorted(dir(namespace)):
        obj = getattr(namespace, name)
        if name.startswith("_") or not getattr(obj, "__module__", "").startswith(prefix):
            continue
        if classes == inspect.isclass(obj) and callable(obj):
            found[name] = dispatch[obj]["if_true"] if obj in dispatch else obj
    return found


def record(torch: Any) -> dict[str, Any]:
    """torch's signatures: ``{"torch": version, namespace: {name: signature text}}``."""
    spaces = {
        "nn": _public(torch.nn, "torch.nn", classes=True),
        "nn.functional": _public(torch.nn.functional, "torch", classes=False),
        "optim": _public(torch.optim, "torch.optim", classes=True),
        "optim.lr_scheduler": _public(torch.optim.lr_scheduler, "torch.optim", classes=True),
    }
    recording: dict[str, Any] = {"torch": torch.__version__.split("+")[0]}
    for space, members in spaces.items():
        described = {name: describe(obj) for name, obj in members.items()}
        recording[space] = {name: as_text(params) for name, params in described.items() if params is not None}
    return recording


def load() -> dict[str, Any]:
    """The recording in tests/fixtures (signature texts; ``parse`` reads one)."""
    return json.loads(FIXTURE.read_text())


def main() -> None:
    import torch

    FIXTURE.write_text(json.dumps(record(torch), indent=1) + "\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
