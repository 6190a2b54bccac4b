"""default_collate and default_convert: turn samples into batches of Tensors, as torch does.

``default_collate(samples)`` merges a list of samples into one batch,
following the structure of the first sample::

    Tensor / NumPy array     -> one Tensor, the samples stacked on a new first axis (B, ...)
    Python float             -> a float64 Tensor (B,)       (torch's rule, not the default dtype)
    Python int / bool        -> an int64 / bool Tensor (B,)
    NumPy scalar             -> a Tensor (B,) of its dtype
    str / bytes              -> the list as it is
    dict                     -> a dict with each key's values collated
    namedtuple               -> the same namedtuple with each field collated
    tuple / list             -> a list with each position collated ("transposed")

``default_convert(sample)`` is what the DataLoader applies when batching is off
(``batch_size=None``): arrays become Tensors, containers are walked, nothing is stacked.
"""

from __future__ import annotations

import collections.abc
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.tensor import Tensor

_BAD_ELEMENT = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}")


def _is_namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(value, "_fields")


def _wrap(array: Any) -> Tensor:
    return Tensor._make(array, False)


def _check_numpy_dtype(array: np.ndarray | np.generic) -> None:
    if array.dtype.kind in "SaUO":  # strings and Python objects have no Tensor form
        raise TypeError(_BAD_ELEMENT.format(array.dtype))


def default_collate(batch: Any) -> Any:
    """Merge a list of samples into a batch (see the module docstring for the rules).

    Args:
        batch: a list (or any sequence) of samples that share one structure.

    Returns:
        the batch: Tensors of shape (B, ...) in the samples' structure.
    """
    if len(batch) == 0:
        raise ValueError("default_collate: the batch is empty (no samples to merge)")
    elem = batch[0]
    xp = backend.xp
    if isinstance(elem, Tensor):
        shapes = {tuple(t.shape) for t in batch}
        if len(shapes) > 1:
            raise RuntimeError(f"default_collate: stack expects each tensor to be equal size, got shapes "
                               f"{sorted(shapes)}")
        return _wrap(xp.stack([t.array for t in batch]))  # (B, ...)
    if isinstance(elem, np.ndarray):
        _check_numpy_dtype(elem)
        return default_collate([_wrap(xp.asarray(a)) for a in batch])
    if isinstance(elem, np.generic):
        _check_numpy_dtype(elem)
        return _wrap(xp.asarray(np.stack(batch)))
    if isinstance(elem, bool):
        return _wrap(xp.asarray(batch, dtype=np.bool_))
    if isinstance(elem, int):
        return _wrap(xp.asarray(batch, dtype=np.int64))
    if isinstance(elem, float):
        return _wrap(xp.asarray(batch, dtype=np.float64))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        collated = {key: default_collate([sample[key] for sample in batch]) for key in elem}
        try:
            return type(elem)(collated)
        except TypeError:  # a Mapping type that cannot be built from a dict
            return collated
    if _is_namedtuple(elem):
        return type(elem)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("default_collate: each element in list of batch should be of equal size")
        transposed = [default_collate(list(position)) for position in zip(*batch)]
        if isinstance(elem, tuple):
            return transposed  # torch returns a list for tuples
        try:
            return type(elem)(transposed)
        except TypeError:
            return transposed
    raise TypeError(_BAD_ELEMENT.format(type(elem)))


def default_convert(data: Any) -> Any:
    """Arrays (and NumPy scalars) to Tensors, walking dicts, tuples and lists; nothing is stacked."""
    if isinstance(data, np.ndarray | np.generic) and data.dtype.kind not in "SaUO":
        return _wrap(backend.xp.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        converted = {key: default_convert(value) for key, value in data.items()}
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    if _is_namedtuple(data):
        return type(data)(*(default_convert(value) for value in data))
    if isinstance(data, tuple):
        return [default_convert(value) for value in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, str | bytes):
        try:
            return type(data)([default_convert(value) for value in data])
        except TypeError:
            return [default_convert(value) for value in data]
    return data
