"""A layer does not silently promote an integer or narrower-float input into its weight's dtype (torch raises)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from glassgrad import nn


@pytest.mark.parametrize("dtype", [glassgrad.int64, glassgrad.int32, glassgrad.bool, glassgrad.float16])
def test_linear_and_conv_refuse_integer_and_float16_input(dtype):
    with pytest.raises(RuntimeError, match=f"linear: the input is {np.dtype(dtype)} but the weight is float32"):
        nn.Linear(2, 3)(glassgrad.ones(4, 2, dtype=dtype))
    with pytest.raises(RuntimeError, match=r"conv2d: the input is .*x\.float\(\)"):
        nn.Conv2d(1, 2, 3)(glassgrad.ones(1, 1, 5, 5, dtype=dtype))
    with pytest.raises(RuntimeError, match="conv_transpose2d"):
        nn.ConvTranspose2d(1, 2, 3)(glassgrad.ones(1, 1, 5, 5, dtype=dtype))
    with pytest.raises(RuntimeError, match="conv1d"):
        nn.Conv1d(1, 2, 3)(glassgrad.ones(1, 1, 5, dtype=dtype))


def test_float32_input_to_a_double_layer_is_refused():
    with pytest.raises(RuntimeError, match="float32 but the weight is float64"):
        nn.Linear(2, 3).double()(glassgrad.ones(1, 2))


def test_matching_dtypes_and_float64_input_still_work():
    assert nn.Linear(2, 3)(glassgrad.ones(4, 2)).dtype == glassgrad.float32
    assert nn.Linear(2, 3).double()(glassgrad.ones(4, 2, dtype=glassgrad.float64)).dtype == glassgrad.float64
    # unlike torch, a float64 input to a float32 layer computes in float64 (NumPy data is float64 by default)
    assert nn.Linear(2, 3)(glassgrad.ones(4, 2, dtype=glassgrad.float64)).dtype == glassgrad.float64
    assert nn.Conv2d(1, 2, 3)(glassgrad.ones(1, 1, 5, 5).long().float()).shape == (1, 2, 3, 3)


def test_torch_refuses_the_same(torch):
    with pytest.raises(RuntimeError):
        torch.nn.Linear(2, 3)(torch.ones(4, 2, dtype=torch.int64))
    with pytest.raises(RuntimeError):
        torch.nn.Linear(2, 3).double()(torch.ones(1, 2))
