"""The allow-list: which classes and functions a checkpoint may name, and how a name is resolved.

A checkpoint names a class as ``module`` + ``qualname`` (``glassgrad.nn.linear`` +
``Linear``). ``load`` turns such a name back into the class only if it is

1. on the user's list (:func:`add_safe_globals`, or :func:`safe_globals` as a
   ``with`` block): matched by name, so nothing is imported; or
2. one of glassgrad's own (its module is ``glassgrad`` or under it, and the class or
   function really is defined there, not merely imported there); or
3. with ``weights_only=False`` only: defined in a module that the program has
   ALREADY imported (looked up in ``sys.modules``, never imported).

Anything else is refused with :class:`UnsafeGlobalError`, before any import
and before anything is called.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from glassgrad.serialization.errors import UnsafeGlobalError

_user_globals: dict[str, Any] = {}


def global_name(obj: Any) -> tuple[str, str]:
    """(module, qualname) of a class or function: the name a checkpoint stores for it."""
    return getattr(obj, "__module__", None) or "", getattr(obj, "__qualname__", None) or ""


def _entry(item: Any) -> tuple[str, Any]:
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str):  # torch's (obj, "full.name")
        return item[1], item[0]
    if not isinstance(item, type | types.FunctionType | types.BuiltinFunctionType):
        raise TypeError(f"add_safe_globals: expects classes or functions (or (obj, 'name') pairs), got {item!r}")
    module, qualname = global_name(item)
    return f"{module}.{qualname}", item


def add_safe_globals(safe_globals: Iterable[Any]) -> None:
    """Allow ``load`` to rebuild these classes (and return these functions) from any checkpoint.

    Example: ``glassgrad.serialization.add_safe_globals([MyNet])`` before ``glassgrad.load("net.pt")``.
    """
    for item in safe_globals:
        name, obj = _entry(item)
        _user_globals[name] = obj


def get_safe_globals() -> list[Any]:
    """The user's allow-list (glassgrad's own classes are always allowed and not listed)."""
    return list(_user_globals.values())


def clear_safe_globals() -> None:
    """Empty the user's allow-list."""
    _user_globals.clear()


@contextmanager
def safe_globals(safe_globals: Iterable[Any]) -> Iterator[None]:
    """``with safe_globals([MyNet]): glassgrad.load(...)``: allow these only inside the block."""
    saved = dict(_user_globals)
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _user_globals.clear()
        _user_globals.update(saved)


def _is_glassgrad(module: str) -> bool:
    return module == "glassgrad" or module.startswith("glassgrad.")


def _walk(module_object: Any, qualname: str) -> Any:
    found = module_object
    for part in qualname.split("."):
        found = getattr(found, part, None)
        if found is None:
            return None
    return found


def resolve_global(module: str, qualname: str, weights_only: bool, source: str) -> Any:
    """The class or function named ``module.qualname``, if the allow-list permits it.

    Raises:
        UnsafeGlobalError: naming the global and how to allow it.
    """
    full = f"{module}.{qualname}"
    if full in _user_globals:
        return _user_globals[full]
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        raise UnsafeGlobalError(source, full)
    module_object = None
    if _is_glassgrad(module):
        module_object = sys.modules.get(module)
        if module_object is None:
            try:
                module_object = importlib.import_module(module)  # glassgrad's own code only
            except ImportError:
                module_object = None
    elif not weights_only:
        module_object = sys.modules.get(module)  # already imported by the program; never imported here
    found = _walk(module_object, qualname) if module_object is not None else None
    defined_here = found is not None and global_name(found) == (module, qualname)
    if not defined_here or not isinstance(found, type | types.FunctionType):
        raise UnsafeGlobalError(source, full)
    return found
