"""The small argument helpers torch keeps in ``torch.nn.modules.utils``, which custom layers import:
``_pair(3) == (3, 3)``, ``_pair((1, 2)) == (1, 2)``, and the state-dict prefix remover
``consume_prefix_in_state_dict_if_present`` (for checkpoints saved from a ``DataParallel`` or
``DistributedDataParallel`` wrapper, whose keys start with ``"module."``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def ntuple(n: int, name: str = "parse") -> Callable[[Any], tuple[Any, ...]]:
    """A converter to n-tuples: a single value is repeated n times, an iterable becomes a tuple as is."""

    def parse(value: Any) -> tuple[Any, ...]:
        if isinstance(value, Iterable):
            return tuple(value)
        return (value,) * n

    parse.__name__ = name
    return parse


_single = ntuple(1, "_single")
_pair = ntuple(2, "_pair")
_triple = ntuple(3, "_triple")
_quadruple = ntuple(4, "_quadruple")
_ntuple = ntuple


def _reverse_repeat_tuple(values: tuple[Any, ...], n: int) -> tuple[Any, ...]:
    """Each value n times, last value first: a layer's per-dim padding (first dim first) as the
    (last dim first) before/after pairs ``F.pad`` takes, e.g. (1, 2) -> (2, 2, 1, 1)."""
    return tuple(value for value in reversed(values) for _ in range(n))


def consume_prefix_in_state_dict_if_present(state_dict: dict[str, Any], prefix: str) -> None:
    """Strip ``prefix`` from every key of ``state_dict`` that starts with it, in place (keys without
    it stay); its ``_metadata``, when present, is renamed the same way."""
    for key in [k for k in state_dict if k.startswith(prefix)]:
        state_dict[key[len(prefix):]] = state_dict.pop(key)
    metadata = getattr(state_dict, "_metadata", None)
    if metadata is None:
        return
    for key in list(metadata):
        if key == prefix.rstrip("."):  # the wrapper module's own entry becomes the root's
            metadata[""] = metadata.pop(key)
        elif key.startswith(prefix):
            metadata[key[len(prefix):]] = metadata.pop(key)
