"""torch.compile returns the model unchanged; use_deterministic_algorithms records its flag."""

from __future__ import annotations

import pytest

import glassgrad
from glassgrad import nn


def test_compile_returns_the_model_and_works_as_a_decorator():
    model = nn.Linear(2, 1)
    assert glassgrad.compile(model) is model
    assert glassgrad.compile(model, mode="reduce-overhead", fullgraph=True) is model

    @glassgrad.compile
    def double(x):
        return x * 2

    @glassgrad.compile(dynamic=True)
    def triple(x):
        return x * 3

    assert double(glassgrad.ones(1)).item() == 2 and triple(glassgrad.ones(1)).item() == 3
    with pytest.raises(TypeError, match="compile"):
        glassgrad.compile(3)


def test_deterministic_flag():
    glassgrad.use_deterministic_algorithms(True)
    try:
        assert glassgrad.are_deterministic_algorithms_enabled()
    finally:
        glassgrad.use_deterministic_algorithms(False)
    assert not glassgrad.are_deterministic_algorithms_enabled()
