"""The relu family at NaN (and at 0, the corners, +-inf) against torch, in both kernel modes. A NaN
stays NaN; its gradient is torch's: 1 for relu, threshold and training rrelu (torch zeroes it where
"x <= 0", false for NaN), the slope for leaky_relu and evaluation rrelu, and for the ops whose
vectorised kernel differs from torch's scalar tail loop (hardtanh, relu6, the elus, the shrinks,
hardswish), the vectorised kernel's: the inputs have 64 elements, so torch computes every one of
them there."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import kernels

VALUES = np.tile([np.nan, -1.0, 0.0, 2.0, np.inf, -np.inf, 0.5, -0.5], 8)


def _rnn_relu(lib, x):
    """An RNNCell with nonlinearity='relu' whose pre-activation is x itself."""
    cell = lib.nn.RNNCell(1, 1, nonlinearity="relu").to(x.dtype)
    with lib.no_grad():
        cell.weight_ih.fill_(1.0)
        cell.bias_ih.zero_()
        cell.bias_hh.zero_()
    return cell(x[:, None])

ACTIVATIONS = {
    "relu": lambda lib, F, x: lib.relu(x),
    "F.relu": lambda lib, F, x: F.relu(x),
    "nn.ReLU": lambda lib, F, x: lib.nn.ReLU()(x),
    "relu_": lambda lib, F, x: lib.relu_(x * 1),
    "F.relu_inplace": lambda lib, F, x: F.relu(x * 1, inplace=True),
    "F.relu_": lambda lib, F, x: F.relu_(x * 1),
    "leaky_relu": lambda lib, F, x: F.leaky_relu(x, 0.1),
    "leaky_relu_": lambda lib, F, x: F.leaky_relu_(x * 1, 0.1),
    "hardtanh": lambda lib, F, x: F.hardtanh(x, -0.5, 1.0),
    "hardtanh_": lambda lib, F, x: F.hardtanh_(x * 1),
    "relu6": lambda lib, F, x: F.relu6(x),
    "elu": lambda lib, F, x: F.elu(x, 0.7),
    "elu_": lambda lib, F, x: F.elu_(x * 1),
    "selu": lambda lib, F, x: F.selu(x),
    "selu_": lambda lib, F, x: F.selu_(x * 1),
    "celu": lambda lib, F, x: F.celu(x, 2.0),
    "celu_": lambda lib, F, x: F.celu_(x * 1, 2.0),
    "threshold": lambda lib, F, x: F.threshold(x, 0.5, -2.0),
    "hardshrink": lambda lib, F, x: F.hardshrink(x),
    "softshrink": lambda lib, F, x: F.softshrink(x),
    "rrelu_eval": lambda lib, F, x: F.rrelu(x),
    "rrelu_train_nan": lambda lib, F, x: F.rrelu(x[:1], training=True),  # the NaN only: no random slope
    "hardsigmoid": lambda lib, F, x: F.hardsigmoid(x),
    "hardswish": lambda lib, F, x: F.hardswish(x),
    "rnn_relu": lambda lib, F, x: _rnn_relu(lib, x),
    "logsigmoid": lambda lib, F, x: F.logsigmoid(x),
}


def _value_and_gradient(lib, name: str, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    F = lib.nn.functional
    x = lib.tensor(VALUES, dtype=getattr(lib, dtype), requires_grad=True)
    y = ACTIVATIONS[name](lib, F, x)
    y.backward(lib.ones_like(y))
    return np.asarray(y.detach().numpy()), np.asarray(x.grad.numpy())


@pytest.mark.parametrize("mode", kernels.MODES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_values_and_gradients_at_nan_and_the_corners_match_torch(torch, name, dtype, mode) -> None:
    with np.errstate(invalid="ignore"):  # inf - inf in NumPy (the recording's checksum of the input, glassgrad's ops)
        expected_y, expected_dx = _value_and_gradient(torch, name, dtype)
        with kernels.use(mode):
            y, dx = _value_and_gradient(gg, name, dtype)
    assert y.dtype == expected_y.dtype and dx.dtype == expected_dx.dtype
    np.testing.assert_allclose(y, expected_y, rtol=1e-6, atol=0)  # NaNs in the same places
    zeros = expected_y == 0
    np.testing.assert_array_equal(np.signbit(y[zeros]), np.signbit(expected_y[zeros]))  # 0.0 where torch has 0.0
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-6, atol=0)
