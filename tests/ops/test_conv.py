"""conv2d / conv_transpose2d / conv1d: torch oracle, loop reference, gradcheck, errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import ops
from glassgrad.ops.conv_reference import conv2d_reference, conv_transpose2d_reference
from tests.helpers.oracle import compare_with_torch


@pytest.fixture(autouse=True)
def _fast_kernel_for_small_windows(monkeypatch):
    """The stride-1 fast kernel (off by default) serves windows of >= 64 values on rows at least 3/4
    used; these tests' windows are smaller and their rows narrower, so switch it on and lower both bars
    to run it here (the plain path runs under GLASSGRAD_KERNELS=reference)."""
    from glassgrad.kernels import conv as conv_kernel

    monkeypatch.setattr(conv_kernel, "ENABLED", True)  # off by default; these tests check it too
    monkeypatch.setattr(conv_kernel, "MIN_WINDOW_ROWS", 1)
    monkeypatch.setattr(conv_kernel, "MIN_ROW_USE", 0)

# (N, C, H, W, O, k, stride, padding, dilation, groups): odd sizes, batch 1, groups, dilation
CONV_GRID = [
    (2, 3, 7, 6, 4, 3, 1, 1, 1, 1),
    (1, 4, 8, 9, 6, 3, 2, 0, 1, 2),
    (2, 4, 9, 7, 4, 2, 3, 1, 2, 4),
    (1, 2, 5, 5, 3, 1, 1, 0, 1, 1),
    (3, 6, 6, 11, 6, (3, 2), (2, 1), (1, 0), (1, 2), 3),
    (1, 3, 6, 6, 2, 5, 1, 2, 1, 1),
]


def _rand(rng, *shape):
    return rng.standard_normal(shape)


@pytest.mark.parametrize("case", CONV_GRID)
@pytest.mark.parametrize("with_bias", [True, False])
def test_conv2d_matches_torch(torch, rng, case, with_bias):
    n, c, h, w, o, k, s, p, d, g = case
    kh, kw = (k, k) if isinstance(k, int) else k
    arrays = [_rand(rng, n, c, h, w), _rand(rng, o, c // g, kh, kw)] + ([_rand(rng, o)] if with_bias else [])
    compare_with_torch(
        lambda *t: ops.conv2d(*t, stride=s, padding=p, dilation=d, groups=g),
        lambda *t: torch.nn.functional.conv2d(*t, stride=s, padding=p, dilation=d, groups=g),
        arrays, torch)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
@pytest.mark.parametrize("padding,k,d", [("same", 3, 1), ("same", 4, 1), ("same", 2, 2), ("valid", 3, 1)])
def test_conv2d_string_padding(torch, rng, padding, k, d):
    arrays = [_rand(rng, 2, 3, 6, 7), _rand(rng, 4, 3, k, k), _rand(rng, 4)]
    out, _ = compare_with_torch(
        lambda *t: ops.conv2d(*t, padding=padding, dilation=d),
        lambda *t: torch.nn.functional.conv2d(*t, padding=padding, dilation=d), arrays, torch)
    if padding == "same":
        assert out[0].shape[2:] == (6, 7)


# (N, C_in, H, W, C_out, k, stride, padding, output_padding, groups, dilation)
TRANSPOSE_GRID = [
    (2, 3, 4, 5, 4, 3, 1, 0, 0, 1, 1),
    (1, 4, 3, 3, 6, 3, 2, 1, 1, 2, 1),
    (2, 2, 5, 4, 3, 4, 2, 1, 0, 1, 1),
    (1, 4, 3, 4, 4, 2, 3, 0, 2, 4, 2),
    (2, 3, 4, 4, 2, (2, 3), (2, 1), (0, 1), (1, 0), 1, (1, 2)),
]


@pytest.mark.parametrize("case", TRANSPOSE_GRID)
def test_conv_transpose2d_matches_torch(torch, rng, case):
    n, c, h, w, o, k, s, p, op, g, d = case
    kh, kw = (k, k) if isinstance(k, int) else k
    arrays = [_rand(rng, n, c, h, w), _rand(rng, c, o // g, kh, kw), _rand(rng, o)]
    compare_with_torch(
        lambda *t: ops.conv_transpose2d(*t, stride=s, padding=p, output_padding=op, groups=g, dilation=d),
        lambda *t: torch.nn.functional.conv_transpose2d(*t, stride=s, padding=p, output_padding=op, groups=g,
                                                        dilation=d),
        arrays, torch)


@pytest.mark.parametrize("s,p,d,g", [(1, 0, 1, 1), (2, 1, 1, 2), (1, "same", 2, 1)])
def test_conv1d_matches_torch(torch, rng, s, p, d, g):
    arrays = [_rand(rng, 2, 4, 9), _rand(rng, 6, 4 // g, 3), _rand(rng, 6)]
    compare_with_torch(
        lambda *t: ops.conv1d(*t, stride=s, padding=p, dilation=d, groups=g),
        lambda *t: torch.nn.functional.conv1d(*t, stride=s, padding=p, dilation=d, groups=g), arrays, torch)


def test_unbatched_input(torch, rng):
    arrays = [_rand(rng, 3, 5, 5), _rand(rng, 2, 3, 3, 3)]
    compare_with_torch(lambda *t: ops.conv2d(*t, padding=1), lambda *t: torch.nn.functional.conv2d(*t, padding=1),
                       arrays, torch)


@pytest.mark.parametrize("case", [(2, 4, 6, 5, 4, 3, 1, 1, 1, 2), (1, 3, 7, 7, 2, 3, 2, 1, 2, 1),
                                  (2, 2, 5, 6, 4, 2, 3, 0, 1, 2)])
def test_fast_conv2d_equals_loop_reference(rng, case):
    n, c, h, w, o, k, s, p, d, g = case
    x, wt, b = _rand(rng, n, c, h, w), _rand(rng, o, c // g, k, k), _rand(rng, o)
    fast = ops.conv2d(gg.tensor(x), gg.tensor(wt), gg.tensor(b), s, p, d, g).numpy()
    np.testing.assert_allclose(fast, conv2d_reference(x, wt, b, s, p, d, g), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("case", [(2, 4, 3, 4, 6, 3, 2, 1, 1, 2, 1), (1, 3, 4, 3, 2, 2, 1, 0, 0, 1, 2)])
def test_fast_conv_transpose2d_equals_loop_reference(rng, case):
    n, c, h, w, o, k, s, p, op, g, d = case
    x, wt, b = _rand(rng, n, c, h, w), _rand(rng, c, o // g, k, k), _rand(rng, o)
    fast = ops.conv_transpose2d(gg.tensor(x), gg.tensor(wt), gg.tensor(b), s, p, op, g, d).numpy()
    np.testing.assert_allclose(fast, conv_transpose2d_reference(x, wt, b, s, p, op, g, d), rtol=1e-10, atol=1e-10)


def test_conv_transpose_is_adjoint_of_conv(rng):
    """<conv2d(x), y> == <x, conv_transpose2d(y)> for the same weight."""
    x, wt, y = _rand(rng, 2, 4, 7, 8), _rand(rng, 6, 2, 3, 3), _rand(rng, 2, 6, 4, 4)
    cx = ops.conv2d(gg.tensor(x), gg.tensor(wt), stride=2, padding=1, groups=2).numpy()
    ty = ops.conv_transpose2d(gg.tensor(y), gg.tensor(wt), stride=2, padding=1, output_padding=(0, 1),
                              groups=2).numpy()
    assert cx.shape == y.shape and ty.shape == x.shape
    np.testing.assert_allclose((cx * y).sum(), (x * ty).sum(), rtol=1e-10)


def test_gradcheck_conv2d_and_transpose(rng):
    x, wt, b = _rand(rng, 1, 2, 5, 4), _rand(rng, 4, 1, 2, 3), _rand(rng, 4)
    gg.gradcheck(lambda a, w_, b_: ops.conv2d(a, w_, b_, stride=(2, 1), padding=1, dilation=(1, 2), groups=2),
                 [x, wt, b])
    gg.gradcheck(lambda a, w_, b_: ops.conv_transpose2d(a, w_, b_, stride=2, padding=1, output_padding=1),
                 [_rand(rng, 1, 4, 3, 2), _rand(rng, 4, 2, 3, 3), _rand(rng, 2)])


def test_float32_stays_float32(rng):
    x = gg.Tensor(_rand(rng, 2, 3, 6, 6).astype(np.float32), requires_grad=True)
    w = gg.Tensor(_rand(rng, 4, 3, 3, 3).astype(np.float32), requires_grad=True)
    y = ops.conv2d(x, w, padding=1)
    y.backward(np.ones(y.shape, dtype=np.float32))
    assert y.dtype == np.float32 and x.grad.dtype == np.float32 and w.grad.dtype == np.float32


@pytest.mark.parametrize("x_shape,w_shape,kwargs,message", [
    ((2, 3, 8, 8), (4, 2, 3, 3), {}, "input has 3 channels"),
    ((2, 4, 8, 8), (4, 2, 3, 3), {"groups": 3}, "groups=3"),
    ((2, 3, 4, 4), (4, 3, 5, 5), {}, "larger than the padded input 4x4"),
    ((2, 3, 4, 4), (4, 3, 3, 3), {"dilation": 2}, "dilated 5x5"),
    ((3, 8, 8), (4, 3, 3), {}, "weight must be 4-D"),
    ((8, 8), (4, 3, 3, 3), {}, "expected a 3-D"),
    ((2, 3, 8, 8), (4, 3, 3, 3), {"padding": "same", "stride": 2}, "needs stride 1"),
    ((2, 3, 8, 8), (4, 3, 3, 3), {"padding": "full"}, "padding must be"),
])
def test_conv2d_errors(x_shape, w_shape, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ops.conv2d(gg.zeros(x_shape), gg.zeros(w_shape), **kwargs)


def test_conv_transpose2d_errors():
    with pytest.raises(ValueError, match="output_padding"):
        ops.conv_transpose2d(gg.zeros((1, 2, 3, 3)), gg.zeros((2, 2, 3, 3)), stride=2, output_padding=2)
    with pytest.raises(ValueError, match="expects 2"):
        ops.conv_transpose2d(gg.zeros((1, 3, 3, 3)), gg.zeros((2, 2, 3, 3)))


@pytest.mark.parametrize("c,o,stride", [(1, 6, 1), (3, 2, 1), (1, 6, 2)])
def test_weight_grad_without_input_grad(torch, rng, c, o, stride):
    """The first layer's backward (no dx) takes a shortcut when the weight has few columns."""
    x, w, b = _rand(rng, 2, c, 7, 6), _rand(rng, o, c, 3, 3), _rand(rng, o)
    ws, bs = gg.Tensor(w, requires_grad=True), gg.Tensor(b, requires_grad=True)
    y = ops.conv2d(gg.tensor(x), ws, bs, stride=stride, padding=1)
    dout = _rand(rng, *y.shape)
    y.backward(dout)
    tw, tb = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)
    torch.nn.functional.conv2d(torch.tensor(x), tw, tb, stride=stride, padding=1).backward(torch.tensor(dout))
    np.testing.assert_allclose(ws.grad, tw.grad.numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(bs.grad, tb.grad.numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", [(5, 4, 6, 7, 6, 3, 1, 1, 1, 2), (4, 1, 5, 5, 8, 3, 1, 1, 2, 1)])
def test_conv2d_in_batch_chunks_matches_torch(torch, rng, monkeypatch, case):
    """The stride-1 path walks the batch in cache-sized chunks; force several (and uneven) chunks."""
    from glassgrad.kernels import conv as conv_module

    monkeypatch.setattr(conv_module, "CHUNK_BYTES", 1)  # one sample per chunk
    n, c, h, w, o, k, s, p, d, g = case
    arrays = [_rand(rng, n, c, h, w), _rand(rng, o, c // g, k, k), _rand(rng, o)]
    compare_with_torch(
        lambda *t: ops.conv2d(*t, stride=s, padding=p, dilation=d, groups=g),
        lambda *t: torch.nn.functional.conv2d(*t, stride=s, padding=p, dilation=d, groups=g), arrays, torch)
    monkeypatch.setattr(conv_module, "CHUNK_BYTES", 3 * c * k * k * (h + 2 * p) * 8)  # 3 samples, then 1 or 2
    compare_with_torch(
        lambda *t: ops.conv2d(*t, stride=s, padding=p, dilation=d, groups=g),
        lambda *t: torch.nn.functional.conv2d(*t, stride=s, padding=p, dilation=d, groups=g), arrays, torch)
    x = gg.tensor(arrays[0])
    wt = gg.Tensor(arrays[1], requires_grad=True)
    y = ops.conv2d(x, wt, stride=s, padding=p, dilation=d, groups=g)  # weight-only backward, chunked
    dout = _rand(rng, *y.shape)
    y.backward(dout)
    tw = torch.tensor(arrays[1], requires_grad=True)
    torch.nn.functional.conv2d(torch.tensor(arrays[0]), tw, stride=s, padding=p, dilation=d,
                               groups=g).backward(torch.tensor(dout))
    np.testing.assert_allclose(wt.grad, tw.grad.numpy(), rtol=1e-6, atol=1e-6)
