"""torch.compile and torch.use_deterministic_algorithms, for programs that call them.

glassgrad has no compiler: ``compile(model)`` returns ``model`` itself, so ``model = torch.compile(model)``
and ``@torch.compile`` leave the program as it was (running eagerly, every op readable). glassgrad's CPU
ops are deterministic for a given seed, so ``use_deterministic_algorithms`` only records the flag.
"""

from __future__ import annotations

from typing import Any

_deterministic = [False]


def compile(model: Any = None, *, fullgraph: bool = False, dynamic: bool | None = None,  # noqa: A001, ARG001
            backend: Any = "inductor", mode: str | None = None, options: dict | None = None,  # noqa: ARG001
            disable: bool = False) -> Any:  # noqa: ARG001  (torch's signature)
    """``model`` (a Module or a function) unchanged; with no model, a decorator that returns its function."""
    if model is None:
        return lambda fn: fn
    if not callable(model):
        raise TypeError(f"compile: expected a Module or a function, got {type(model).__name__}")
    return model


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:  # noqa: ARG001
    """Record the flag (glassgrad's ops are already deterministic)."""
    _deterministic[0] = bool(mode)


def are_deterministic_algorithms_enabled() -> bool:
    return _deterministic[0]
