"""One place per op: each op family says where its functions appear, and the namespaces read that.

An op family is a module of ``glassgrad/ops`` that declares three lists next to its imports::

    __all__ = ["bilinear"]               # glassgrad.ops.bilinear
    TORCH_NAMES = ["bilinear"]           # torch.bilinear          (read by glassgrad/__init__.py)
    FUNCTIONAL_NAMES = ["bilinear"]      # torch.nn.functional.bilinear  (read by glassgrad/nn/functional.py)

``__all__`` lists every public function of the family (they all go into ``glassgrad.ops``);
``TORCH_NAMES`` and ``FUNCTIONAL_NAMES`` list those that torch also has under ``torch.`` and
``torch.nn.functional.`` (an empty list where it has none). The three namespaces call
:func:`export` once each, so adding an op to a family, or a new family module, edits no other file:
``grep -rn '"bilinear"' glassgrad/ops`` shows where ``torch.bilinear`` comes from.

Tensor methods are not declared here: ``Tensor`` is defined before the ops (every op imports it),
so its methods live with the class, in the mixins of ``glassgrad/methods/`` (docs/writing-an-op.md).
A few names keep an import line in their namespace file: a torch name that differs from the function's
name in its module (``torch.cholesky`` is ``linalg_cholesky.cholesky_legacy``), and an ``F.`` function
with no place in ``glassgrad.ops`` (``F.unfold``, im2col, is not ``glassgrad.ops.unfold``).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

OPS_FOLDER = str(Path(__file__).parent)  # glassgrad/ops


def families() -> list[ModuleType]:
    """Every module of ``glassgrad/ops`` that declares ``TORCH_NAMES``, in name order (importing them)."""
    modules = [importlib.import_module(f"glassgrad.ops.{info.name}") for info in pkgutil.iter_modules([OPS_FOLDER])]
    return [module for module in modules if hasattr(module, "TORCH_NAMES")]


def export(namespace: dict[str, Any], names: str) -> None:
    """Put each family's functions listed in its ``names`` list (``"__all__"``, ``"TORCH_NAMES"`` or
    ``"FUNCTIONAL_NAMES"``) into ``namespace`` (a module's ``globals()``).

    Raises ImportError when a name is already bound there to something else: two families, or a
    family and an import line, claiming one torch name is a mistake to fix, never a silent pick.
    """
    for family in families():
        for name in getattr(family, names):
            function = getattr(family, name)
            bound = namespace.get(name, function)
            if bound is not function and not isinstance(bound, ModuleType):  # ops.norm: a submodule, then the function
                raise ImportError(f"{family.__name__}.{name} is declared in {names}, but {namespace['__name__']}"
                                  f".{name} is already {namespace[name]!r}")
            namespace[name] = function
