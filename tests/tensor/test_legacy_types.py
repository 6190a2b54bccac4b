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



def test_the_tensor_class_is_torchs_legacy_constructor():
    """torch.Tensor(...): Python numbers become the default float dtype, ints alone are sizes."""
    import numpy as np
    import pytest

    import glassgrad

    assert glassgrad.Tensor([1, 2]).dtype == glassgrad.float32 and glassgrad.Tensor([1, 2]).tolist() == [1.0, 2.0]
    assert glassgrad.Tensor([True, False]).dtype == glassgrad.float32
    assert glassgrad.Tensor(2, 3).shape == (2, 3) and glassgrad.Tensor(2, 3).dtype == glassgrad.float32
    assert glassgrad.Tensor(glassgrad.Size([4])).shape == (4,)
    assert glassgrad.Tensor().shape == (0,) and glassgrad.Tensor().dtype == glassgrad.float32
    assert glassgrad.Tensor(0.5).shape == ()  # a float is data, not a size
    assert glassgrad.Tensor(np.arange(3)).dtype == np.int64  # an array keeps its dtype (torch: float)
    assert glassgrad.Tensor([1.5], requires_grad=True).requires_grad
    assert glassgrad.tensor([1, 2]).dtype == glassgrad.int64  # the factory infers int64, as torch's
    with pytest.raises(TypeError, match="unsupported dtype"):
        glassgrad.Tensor(None)
    with pytest.raises(TypeError, match="sizes"):
        glassgrad.Tensor(2, [3])
