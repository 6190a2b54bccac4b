"""relu on float arrays of 4,096 elements or more: ``relu_array`` takes the zero as an array there
(NumPy's vectorised ``maximum``); the values must be those of ``maximum(x, 0)``, bit for bit."""

import numpy as np
import pytest

import glassgrad as gg
from glassgrad.ops.activation import relu_array


def _edges(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    flat = x.reshape(-1)
    flat[:8] = [np.nan, -np.nan, -0.0, 0.0, np.inf, -np.inf, 1e-45, -1e-45]
    return x


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "sliced"])
def test_relu_array_bits_equal_scalar_maximum(dtype: type, layout: str) -> None:
    x = _edges((8, 16, 40), dtype)
    if layout == "transposed":
        x = x.transpose(2, 0, 1)
    elif layout == "sliced":
        x = x[:, ::2]
    assert x.size >= 4096 or layout == "sliced"
    y = relu_array(x)
    expected = np.maximum(x, 0)
    assert y.dtype == expected.dtype and y.shape == expected.shape
    np.testing.assert_array_equal(y.view(f"u{y.itemsize}"), expected.view(f"u{y.itemsize}"))


@pytest.mark.parametrize("x", [np.arange(-5000, 5000, dtype=np.int64), np.arange(-5, 5, dtype=np.float32)])
def test_relu_array_other_inputs_keep_scalar_form(x: np.ndarray) -> None:
    y = relu_array(x)
    np.testing.assert_array_equal(y, np.maximum(x, 0))
    assert y.dtype == np.maximum(x, 0).dtype


def test_relu_large_gradient() -> None:
    x = _edges((64, 80), np.float32)
    t = gg.from_numpy(x.copy()).requires_grad_()
    dy = np.random.default_rng(1).standard_normal(x.shape).astype(np.float32)
    y = gg.relu(t)
    y.backward(gg.from_numpy(dy))
    np.testing.assert_array_equal(y.numpy(), np.maximum(x, 0))
    np.testing.assert_array_equal(t.grad.numpy(), dy * ~(x <= 0))  # 1 at NaN, as torch


def test_relu_large_gradcheck() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((64, 64))
    x += np.sign(x) * 0.1  # away from the kink
    assert gg.autograd.gradcheck(gg.relu, (gg.tensor(x, requires_grad=True),))
