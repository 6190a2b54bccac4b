"""Checkpoints: ``save(obj, f)`` / ``load(f)``, re-exported from :mod:`glassgrad.serialization`.

Kept so that ``from glassgrad.io import save, load`` goes on working; the
format, the allow-list and the atomic writes are described in
``glassgrad/serialization/checkpoint.py``.
"""

from glassgrad.serialization.checkpoint import FORMAT as FORMAT
from glassgrad.serialization.checkpoint import VERSION as VERSION
from glassgrad.serialization.checkpoint import load as load
from glassgrad.serialization.checkpoint import save as save
from glassgrad.serialization.errors import CheckpointError as CheckpointError

__all__ = ["FORMAT", "VERSION", "CheckpointError", "load", "save"]
