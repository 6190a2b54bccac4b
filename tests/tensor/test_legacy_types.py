"""torch's legacy tensor types (torch.LongTensor(3), isinstance(x, torch.FloatTensor)), against torch."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad


@pytest.mark.parametrize("name", ["FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor",
                                  "ByteTensor", "HalfTensor", "ShortTensor", "CharTensor"])
def test_constructors_give_torch_dtype_and_shape(name, torch):
    gg_type, torch_type = getattr(glassgrad, name), getattr(torch, name)
    for args in [(), (3,), (2, 3), ([[1, 0], [1, 1]],), ((1, 0),)]:
        ours, theirs = gg_type(*args), torch_type(*args)
        assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
        if args and isinstance(args[0], list | tuple):
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert tuple(gg_type(glassgrad.Size([2, 1])).shape) == (2, 1)


def test_isinstance_checks_the_dtype():
    assert isinstance(glassgrad.zeros(2), glassgrad.FloatTensor)
    assert not isinstance(glassgrad.zeros(2), glassgrad.LongTensor)
    assert isinstance(glassgrad.tensor([1, 2]), glassgrad.LongTensor)
    assert not isinstance(np.zeros(2), glassgrad.FloatTensor)
    assert glassgrad.zeros(2).type() == "torch.FloatTensor"


def test_word_language_model_dummy_input():
    """word_language_model's ONNX export builds its dummy input this way."""
    dummy = glassgrad.LongTensor(6).zero_().view(-1, 2)
    assert dummy.shape == (3, 2) and dummy.dtype == glassgrad.long


def test_bad_arguments_name_the_type():
    with pytest.raises(TypeError, match="LongTensor.*float32"):
        glassgrad.LongTensor(glassgrad.zeros(2))
    with pytest.raises(TypeError, match="FloatTensor"):
        glassgrad.FloatTensor(2.5)

