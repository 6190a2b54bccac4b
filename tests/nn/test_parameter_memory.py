"""A Parameter owns writable memory: a read-only array given to it (or to its ``.data``) is copied."""

from __future__ import annotations

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim


def _read_only(*shape: int) -> np.ndarray:
    array = np.ones(shape, np.float32)
    array.flags.writeable = False
    return array


def _one_step(p: nn.Parameter) -> nn.Parameter:
    p.grad = gg.ones(*p.shape)
    optim.SGD([p], lr=0.5).step()
    return p


def test_a_parameter_from_a_read_only_array_trains_and_leaves_the_array_alone():
    source = _read_only(3)
    p = _one_step(nn.Parameter(source))
    np.testing.assert_allclose(p.numpy(), 0.5)
    np.testing.assert_allclose(source, 1.0)


def test_a_parameter_from_a_broadcast_view_trains():
    p = _one_step(nn.Parameter(np.broadcast_to(np.float32(1.0), (2, 2))))
    np.testing.assert_allclose(p.numpy(), 0.5)


def test_assigning_a_read_only_array_to_data_copies_it():
    layer = nn.Linear(3, 2)
    layer.weight.data = _read_only(2, 3)
    assert layer.weight.array.flags.writeable
    _one_step(layer.weight)
    np.testing.assert_allclose(layer.weight.numpy(), 0.5)


def test_a_writable_array_is_still_shared_as_torch_shares_storage():
    source = gg.zeros(3)
    p = nn.Parameter(source)
    p.data = source
    assert p.array is source.array
