"""Saving and loading without pickle, shaped like ``torch.serialization`` (torch >= 2.6).

``glassgrad.save`` / ``glassgrad.load`` live in ``checkpoint.py``; the allow-list
of classes a checkpoint may rebuild in ``allowlist.py``; the JSON tree a
checkpoint holds in ``encode.py`` / ``decode.py``; atomic file writes in ``atomic.py``.
"""

from glassgrad.serialization.allowlist import add_safe_globals as add_safe_globals
from glassgrad.serialization.allowlist import clear_safe_globals as clear_safe_globals
from glassgrad.serialization.allowlist import get_safe_globals as get_safe_globals
from glassgrad.serialization.allowlist import safe_globals as safe_globals
from glassgrad.serialization.checkpoint import get_unsafe_globals_in_checkpoint as get_unsafe_globals_in_checkpoint
from glassgrad.serialization.checkpoint import load as load
from glassgrad.serialization.checkpoint import save as save
from glassgrad.serialization.errors import CheckpointError as CheckpointError
from glassgrad.serialization.errors import UnsafeGlobalError as UnsafeGlobalError

__all__ = [
    "CheckpointError", "UnsafeGlobalError", "add_safe_globals", "clear_safe_globals", "get_safe_globals",
    "get_unsafe_globals_in_checkpoint", "load",
    "safe_globals", "save",
]
