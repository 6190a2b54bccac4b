"""relu on float arrays of 4,096 elements or more: ``relu_array`` computes ``clip(x, 0, inf)`` there
(NumPy's vectorised loop); the values must be max(x, 0) bit for bit, with torch's -0.0 for -0.0 and
every NaN kept as it is (checked against torch.relu when this was written: the same bits)."""

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
def test_relu_array_bits(dtype: type, layout: str) -> None:
    x = _edges((16, 16, 40), dtype)
    if layout == "transposed":
        x = x.transpose(2, 0, 1)
    elif layout == "sliced":
        x = x[:, ::2]
    assert x.size >= 4096
    y = relu_array(x)
    expected = x.copy()
    expected[x < 0] = 0  # NaN and -0.0 stay as they are
    assert y.dtype == expected.dtype and y.shape == expected.shape and y.strides == np.maximum(x, 0).strides
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
    np.testing.assert_array_equal(y.numpy(), np.maximum(x, 0))  # (equal also where the sign of a zero differs)
    np.testing.assert_array_equal(t.grad.numpy(), dy * ~(x <= 0))  # 1 at NaN, as torch


def test_relu_large_gradcheck() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((64, 64))
    x += np.sign(x) * 0.1  # away from the kink
    assert gg.autograd.gradcheck(gg.relu, (gg.tensor(x, requires_grad=True),))
