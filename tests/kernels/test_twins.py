"""Every fast kernel equals its readable twin: the same op run in both kernel modes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import kernels, ops, optim


def _run_both(fn, arrays, seed_grad=0):
    """Forward value and input gradients of ``fn`` under a random upstream gradient, in each mode."""
    results = {}
    for mode in kernels.MODES:
        with kernels.use(mode):
            inputs = [gg.Tensor(a.copy(), requires_grad=True) for a in arrays]
            out = fn(*inputs)
            upstream = np.random.default_rng(seed_grad).standard_normal(out.shape)
            out.backward(gg.tensor(upstream))
            results[mode] = (out.numpy(), [t.grad.numpy() for t in inputs])
    return results


def _assert_twins(results, atol=1e-10):
    fast, reference = results["fast"], results["reference"]
    np.testing.assert_allclose(fast[0], reference[0], rtol=1e-10, atol=atol)
    for g_fast, g_ref in zip(fast[1], reference[1]):
        np.testing.assert_allclose(g_fast, g_ref, rtol=1e-10, atol=atol)


# (N, C, H, W, O, k, padding, dilation, groups): stride 1, where the fast kernel runs
CONV_CASES = [(2, 3, 7, 6, 4, 3, 1, 1, 1), (3, 4, 6, 9, 6, 3, 2, 2, 2), (1, 2, 5, 5, 3, (2, 3), 0, 1, 1)]


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_kernel_equals_plain_im2col(rng, monkeypatch, case):
    from glassgrad.kernels import conv as conv_kernel

    monkeypatch.setattr(conv_kernel, "CHUNK_BYTES", 1)  # several chunks of the batch
    monkeypatch.setattr(conv_kernel, "MIN_WINDOW_ROWS", 1)  # these windows are small
    monkeypatch.setattr(conv_kernel, "MIN_ROW_USE", 0)  # and their rows narrow
    monkeypatch.setattr(conv_kernel, "ENABLED", True)  # off by default
    n, c, h, w, o, k, p, d, g = case
    kh, kw = (k, k) if isinstance(k, int) else k
    arrays = [rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c // g, kh, kw)), rng.standard_normal(o)]
    _assert_twins(_run_both(lambda x, wt, b: ops.conv2d(x, wt, b, padding=p, dilation=d, groups=g), arrays))


def test_conv2d_first_layer_weight_only_backward_equals_plain(rng, monkeypatch):
    """The kernel's weight-only backward with few window rows (conv1) drops garbage columns instead."""
    from glassgrad.kernels import conv as conv_kernel

    monkeypatch.setattr(conv_kernel, "MIN_WINDOW_ROWS", 1)
    monkeypatch.setattr(conv_kernel, "MIN_ROW_USE", 0)
    monkeypatch.setattr(conv_kernel, "ENABLED", True)
    x, w = rng.standard_normal((3, 1, 6, 5)), rng.standard_normal((8, 1, 3, 3))
    grads = {}
    for mode in kernels.MODES:
        with kernels.use(mode):
            wt = gg.Tensor(w, requires_grad=True)
            ops.conv2d(gg.tensor(x), wt, padding=1).sum().backward()
            grads[mode] = wt.grad.numpy()
    np.testing.assert_allclose(grads["fast"], grads["reference"], rtol=1e-10)


@pytest.mark.parametrize("kernel,stride,padding,dilation,ceil_mode", [
    (2, 2, 0, 1, False), (3, 2, 1, 1, False), (3, 1, 1, 2, False), (3, 2, 0, 1, True), ((2, 3), (1, 2), 1, 1, False)])
def test_max_pool2d_kernel_equals_plain_argmax(rng, kernel, stride, padding, dilation, ceil_mode):
    x = np.maximum(rng.standard_normal((2, 3, 7, 8)), 0)  # ReLU-like: many ties at 0
    results = _run_both(lambda t: ops.max_pool2d(t, kernel, stride, padding, dilation, ceil_mode), [x])
    _assert_twins(results, atol=0)


@pytest.mark.parametrize("kernel,stride,padding", [(2, 2, 0), (3, 2, 1)])
def test_max_pool2d_kernel_in_batch_chunks_equals_plain_argmax(rng, monkeypatch, kernel, stride, padding):
    from glassgrad.kernels import pool as pool_kernel

    monkeypatch.setattr(pool_kernel, "CHUNK_BYTES", 1500)  # chunks of 2 samples (720 bytes each), the last of 1
    x = np.maximum(rng.standard_normal((5, 3, 6, 5)), 0)
    x[1, 2, :2, :2] = np.nan  # a NaN window, routed after the chunks
    _assert_twins(_run_both(lambda t: ops.max_pool2d(t, kernel, stride, padding), [x]), atol=0)


def test_max_pool2d_on_a_channel_major_conv_output(rng):
    """The fast kernel keeps x's memory order; a conv output is a transposed view."""
    x, w = rng.standard_normal((2, 3, 8, 8)), rng.standard_normal((4, 3, 3, 3))
    _assert_twins(_run_both(lambda a, b: ops.max_pool2d(ops.relu(ops.conv2d(a, b, padding=1)), 2), [x, w]))


@pytest.mark.parametrize("with_bias", [True, False])
def test_lstm_kernel_equals_gate_formulas(rng, with_bias):
    t, b, n_in, hidden = 4, 3, 5, 6
    arrays = [rng.standard_normal((t, b, n_in)), rng.standard_normal((b, hidden)), rng.standard_normal((b, hidden)),
              rng.standard_normal((4 * hidden, n_in)) * 0.5, rng.standard_normal((4 * hidden, hidden)) * 0.5]
    if with_bias:
        arrays += [rng.standard_normal(4 * hidden) * 0.1, rng.standard_normal(4 * hidden) * 0.1]

    def layer(*ts):
        out, h_n, c_n = ops.lstm_layer(*ts)
        return out.sum(0) + 2 * h_n + 3 * c_n  # every output reaches the loss

    _assert_twins(_run_both(layer, arrays))


@pytest.mark.parametrize("with_bias", [True, False])
def test_gru_kernel_equals_gate_formulas(rng, with_bias):
    t, b, n_in, hidden = 4, 3, 5, 6
    arrays = [rng.standard_normal((t, b, n_in)), rng.standard_normal((b, hidden)),
              rng.standard_normal((3 * hidden, n_in)) * 0.5, rng.standard_normal((3 * hidden, hidden)) * 0.5]
    if with_bias:
        arrays += [rng.standard_normal(3 * hidden) * 0.1, rng.standard_normal(3 * hidden) * 0.1]

    def layer(*ts):
        out, h_n = ops.gru_layer(*ts)
        return out.sum(0) + 2 * h_n

    _assert_twins(_run_both(layer, arrays))


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_kernel_equals_update_rule(rng, amsgrad):
    from glassgrad.kernels import adam as adam_kernel

    shape = (5, 4)
    start = rng.standard_normal(shape)
    grads = [rng.standard_normal(shape) for _ in range(3)]
    group = {"lr": 0.01, "betas": (0.9, 0.99), "eps": 1e-8, "amsgrad": amsgrad}
    finals = []
    for twin in (optim.adam_update, adam_kernel.adam_update):
        param = start.copy()
        state = optim.Adam.init_state(param, group)
        for g in grads:
            state["step"] += 1
            twin(param, g, state, group)
        finals.append([param, *(state[k] for k in sorted(state) if k != "step")])
    for ref, fast in zip(*finals):
        np.testing.assert_allclose(fast, ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("options", [
    {}, {"weight_decay": 0.1}, {"weight_decay": 0.1, "decoupled_weight_decay": True}, {"amsgrad": True},
    {"maximize": True}])
def test_adam_step_takes_the_kernel_in_fast_mode_and_the_rule_in_reference_mode(rng, options):
    from glassgrad.nn import Parameter

    start = rng.standard_normal((5, 4))
    grads = [rng.standard_normal((5, 4)) for _ in range(3)]
    finals = {}
    for mode in kernels.MODES:
        p = Parameter(start.copy())
        opt = optim.Adam([p], lr=0.01, **options)
        with kernels.use(mode):
            for g in grads:
                p.grad = g
                opt.step()
        finals[mode] = p.array
    np.testing.assert_allclose(finals["fast"], finals["reference"], rtol=1e-12, atol=1e-14)


def test_the_optimizer_template_picks_the_twin_by_the_kernel_mode(monkeypatch):
    from glassgrad.nn import Parameter

    ran = []
    rule, kernel = optim.Adam.update, optim.Adam.fused_update
    monkeypatch.setattr(optim.Adam, "update", staticmethod(lambda *a: ran.append("rule") or rule(*a)))
    monkeypatch.setattr(optim.Adam, "fused_update", staticmethod(lambda *a: ran.append("kernel") or kernel(*a)))
    p = Parameter(np.ones(3))
    opt = optim.Adam([p])
    for mode in ("fast", "reference", "fast"):
        p.grad = np.full(3, 0.5)
        with kernels.use(mode):
            opt.step()
    assert ran == ["kernel", "rule", "kernel"]


def test_use_switches_and_restores_the_mode():
    before = kernels.get_mode()
    with kernels.use("reference"):
        assert kernels.get_mode() == "reference" and not kernels.fast()
        with kernels.use("fast"):
            assert kernels.fast()
        assert kernels.get_mode() == "reference"
    assert kernels.get_mode() == before


def test_conv2d_kernel_serves_only_windows_where_it_is_faster(monkeypatch):
    from glassgrad.arrays.window import ConvGeometry
    from glassgrad.kernels import conv as conv_kernel

    def geometry(in_hw, kernel, stride=(1, 1), pad=1):
        return ConvGeometry.of(in_hw, kernel, stride, (pad,) * 4, (1, 1), 1)

    assert not conv_kernel.applies(np.zeros((64, 32, 3, 3)), geometry((14, 14), (3, 3)))  # off by default
    monkeypatch.setattr(conv_kernel, "ENABLED", True)
    assert conv_kernel.applies(np.zeros((64, 32, 3, 3)), geometry((14, 14), (3, 3)))  # conv2 of the CNN: K = 288
    assert not conv_kernel.applies(np.zeros((32, 1, 3, 3)), geometry((28, 28), (3, 3)))  # conv1: K = 9
    assert not conv_kernel.applies(np.zeros((64, 32, 3, 3)), geometry((14, 14), (3, 3), stride=(2, 2)))
    # LeNet-5's C5 (16 -> 120, 5x5 input, 1x1 output): one useful column of every five
    assert not conv_kernel.applies(np.zeros((120, 16, 5, 5)), geometry((5, 5), (5, 5), pad=0))


def test_backward_follows_the_mode_of_its_forward(rng, monkeypatch):
    from glassgrad.kernels import conv as conv_kernel

    monkeypatch.setattr(conv_kernel, "MIN_WINDOW_ROWS", 1)
    monkeypatch.setattr(conv_kernel, "MIN_ROW_USE", 0)
    monkeypatch.setattr(conv_kernel, "ENABLED", True)
    x, w = rng.standard_normal((2, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    xt = gg.Tensor(x, requires_grad=True)
    with kernels.use("fast"):
        y = ops.conv2d(xt, gg.tensor(w), padding=1)
    with kernels.use("reference"):
        y.sum().backward()  # the fast forward saved the padded input; its backward must be the kernel's
    xr = gg.Tensor(x, requires_grad=True)
    with kernels.use("reference"):
        ops.conv2d(xr, gg.tensor(w), padding=1).sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), xr.grad.numpy(), rtol=1e-10)


def test_bad_mode_is_refused():
    with pytest.raises(ValueError, match="kernel mode"):
        kernels.set_mode("turbo")


def test_gelu_float32_kernel_equals_erf_twin(rng):
    x = np.concatenate([rng.standard_normal(2000) * 3, [0.0, -0.0, 1e-30, -40.0, 40.0, -9.0, 9.0]])
    x = x.astype(np.float32)
    results = {}
    for mode in kernels.MODES:
        with kernels.use(mode):
            t = gg.Tensor(x, requires_grad=True)
            y = ops.gelu(t)
            y.backward(gg.ones_like(y))
            results[mode] = (y.numpy(), t.grad.numpy(), ops.gelu(gg.tensor(x)).numpy())
    for fast, ref in zip(results["fast"], results["reference"]):
        np.testing.assert_allclose(fast, ref, rtol=2e-6, atol=2e-6)
    with kernels.use("fast"):
        assert np.isnan(ops.gelu(gg.tensor(np.float32([np.nan]))).numpy()).all()


def test_gelu_kernel_erfc_fit_is_relatively_accurate():
    """The kernel's erfc(z) = t P(t) exp(-z^2) (float64 here): relative error below 1.4e-7 on [0, 10]."""
    import math

    from glassgrad.kernels import gelu as gelu_kernel

    z = np.linspace(0.0, 10.0, 20001)
    t = 1.0 / (1.0 + gelu_kernel.ERFC_P * z)
    poly = np.polynomial.polynomial.polyval(t, gelu_kernel.ERFC_COEFFICIENTS)
    exact = np.array([math.erfc(v) * math.exp(v * v) for v in z])
    assert np.abs(t * poly / exact - 1).max() < 1.4e-7
    # the kernel evaluates the same polynomial in u = 1 / (|x| + 1/k) = k t (x = sqrt 2 z), Phi's 1/2 folded in
    u = 1.0 / (np.sqrt(2.0) * z + 1.0 / gelu_kernel.ERFC_K)
    in_u = np.polynomial.polynomial.polyval(u, (0.0,) + gelu_kernel.U_COEFFICIENTS)
    np.testing.assert_allclose(in_u, t * poly / 2, rtol=1e-12)


def test_gelu_float32_kernel_is_relatively_accurate_where_values_are_not_tiny():
    """Relative error of y = x Phi(x) below 2e-6 on [-2, 3] (a degree-4 erfc fit, 3.8e-6 at x = -2, fails).

    Further left, Phi = 1/2 - (1/2 - erfc/2) in float32 loses ~3e-8 absolute (1e-5 relative at x = -3),
    as torch's 1 + erf(x / sqrt 2) does."""
    import math

    x = np.linspace(-2.0, 3.0, 5001).astype(np.float32)
    x = x[np.abs(x) > 1e-3]
    exact = np.array([float(v) * 0.5 * math.erfc(-float(v) / math.sqrt(2)) for v in x])
    with kernels.use("fast"):
        y = ops.gelu(gg.tensor(x)).numpy()
    assert np.abs(y / exact - 1).max() < 2e-6


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(64, 128), (12, 4, 64, 64), (3, 5, 7, 200), (2, 3)])
def test_sums_kernel_equals_numpy_sums(rng, dtype, shape):
    from glassgrad.kernels import sums

    x = rng.standard_normal(shape).astype(dtype)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    cases = [
        (sums.sum_last(x), x.sum(axis=-1, keepdims=True)),
        (sums.mean_axes(x, (x.ndim - 1,)), x.mean(axis=-1, keepdims=True)),
        (sums.mean_axes(x, (0,)), x.mean(axis=0, keepdims=True)),
        (sums.sum_along(x, -1), x.sum(axis=-1, keepdims=True)),
        (sums.sum_along(x, 0), x.sum(axis=0, keepdims=True)),
        (sums.sum_leading(x, 1), x.sum(axis=0)),
        (sums.sum_leading(x, x.ndim - 1), x.sum(axis=tuple(range(x.ndim - 1)))),
        (sums.sum_axes(x, (x.ndim - 1,), True), x.sum(axis=-1, keepdims=True)),
        (sums.sum_axes(x, (0,), True), x.sum(axis=0, keepdims=True)),
        (sums.sum_axes(x, tuple(range(x.ndim)), False), x.sum()),
    ]
    if x.ndim > 2:
        cases.append((sums.sum_axes(x, (1, 2), False), x.sum(axis=(1, 2))))  # a middle block: NumPy's sum
        cases.append((sums.sum_axes(x, (x.ndim - 2, x.ndim - 1), False), x.sum(axis=(-2, -1))))
        cases.append((sums.mean_axes(x, (0, 2)), x.mean(axis=(0, 2), keepdims=True)))
    for ours, numpy_sum in cases:
        assert ours.shape == numpy_sum.shape and ours.dtype == numpy_sum.dtype
        np.testing.assert_allclose(ours, numpy_sum, rtol=tol, atol=tol * np.abs(x).max() * np.sqrt(x.size))


def test_sums_kernel_leaves_other_arrays_to_numpy(rng):
    """Integers, strided views, empty arrays and the reference mode take x.sum itself (same bits)."""
    from glassgrad.kernels import sums

    x = rng.standard_normal((64, 256)).astype(np.float32)
    product = x @ np.ones(256, np.float32)
    with kernels.use("reference"):
        assert np.array_equal(sums.sum_last(x), x.sum(axis=-1, keepdims=True))
        assert np.array_equal(sums.sum_leading(x, 1), x.sum(axis=0))
    for other in (x.T, x[:, ::2], np.arange(64 * 128).reshape(64, 128), np.zeros((0, 128), np.float32)):
        assert np.array_equal(sums.sum_last(other), other.sum(axis=-1, keepdims=True))
        assert np.array_equal(sums.sum_leading(other, 1), other.sum(axis=0))
    with kernels.use("fast"):
        assert np.array_equal(sums.sum_last(x), product.reshape(64, 1))  # the fast path is the product with ones


# (N, C, H, W, O, k, stride, padding, dilation): one group with a bias, the bias-folded kernel's inputs
# (the stride-1 ones with wide rows take the input gradient through whole padded rows; "same" pads unevenly)
BIAS_CASES = [(2, 3, 7, 6, 4, 3, 1, 1, 1), (3, 1, 9, 8, 5, (2, 3), 2, 0, 1), (1, 2, 8, 8, 3, 3, 1, 2, 2),
              (2, 2, 6, 12, 3, 3, 1, 2, 2), (2, 3, 5, 9, 4, (2, 4), 1, "same", 1)]


@pytest.mark.parametrize("case", BIAS_CASES)
@pytest.mark.parametrize("needs", [(True, True, True), (False, True, True), (False, False, True), (True, False, True)])
def test_conv2d_bias_folded_kernel_equals_plain(rng, case, needs):
    """The bias as a row of ones in the GEMM gives the plain path's output and gradients, whichever
    inputs ask for one (a first layer needs no input gradient; a frozen weight none of its own)."""
    n, c, h, w, o, k, s, p, d = case
    kh, kw = (k, k) if isinstance(k, int) else k
    arrays = [rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c, kh, kw)), rng.standard_normal(o)]
    upstream = None
    results = {}
    for mode in kernels.MODES:
        with kernels.use(mode):
            inputs = [gg.Tensor(a.copy(), requires_grad=need) for a, need in zip(arrays, needs)]
            out = ops.conv2d(*inputs, stride=s, padding=p, dilation=d)
            assert out.grad_fn.ctx.bias_folded == (mode == "fast")
            if upstream is None:
                upstream = rng.standard_normal(out.shape)
            out.backward(gg.tensor(upstream))
            results[mode] = (out.numpy(), [t.grad.numpy() for t, need in zip(inputs, needs) if need])
    _assert_twins(results)


def test_conv2d_bias_folded_kernel_second_derivative_equals_plain(rng):
    """A backward recording its graph (create_graph) runs the plain backward on the folded path's windows."""
    arrays = [rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)]
    results = {}
    for mode in kernels.MODES:
        with kernels.use(mode):
            x, wt, b = (gg.Tensor(a.copy(), requires_grad=True) for a in arrays)
            y = ops.conv2d(x, wt, b, padding=1)
            (gx,) = gg.autograd.grad((y * y).sum(), [x], create_graph=True)
            (gx * gx).sum().backward()
            results[mode] = (gx.detach().numpy(), [wt.grad.numpy(), b.grad.numpy()])
    _assert_twins(results)


@pytest.mark.parametrize("source, shape", [
    ((), (32, 64)), ((1, 1), (32, 64)), ((3,), (4, 3)), ((2, 1, 3), (4, 2, 5, 3)), ((1,), (0,)), ((0, 3), (2, 0, 3)),
])
def test_broadcast_kernel_equals_numpy_broadcast_to(rng, source, shape):
    from glassgrad.kernels import broadcast

    g = rng.standard_normal(source).astype(np.float32) if source else np.asarray(np.float32(1.5))
    view, twin = broadcast.broadcast_to(g, shape), np.broadcast_to(g, shape)
    assert view.shape == twin.shape and view.dtype == twin.dtype and np.array_equal(view, twin)
    assert not view.flags.writeable  # a write would land on every repeat: refused, as NumPy's view refuses it
    # the same view in every respect code downstream can read (the reference pass of `make test` leaves out
    # the tests where only this kernel ran: tests/helpers/kernel_relevance.py)
    assert view.strides == twin.strides
    assert [view.flags[f] for f in ("C_CONTIGUOUS", "F_CONTIGUOUS", "ALIGNED", "OWNDATA", "WRITEABLE")] == \
        [twin.flags[f] for f in ("C_CONTIGUOUS", "F_CONTIGUOUS", "ALIGNED", "OWNDATA", "WRITEABLE")]
    assert np.shares_memory(view, g) or view.size == 0


def test_broadcast_kernel_refuses_what_numpy_refuses_and_leaves_other_layouts_to_numpy(rng):
    from glassgrad.kernels import broadcast

    with pytest.raises(ValueError):
        broadcast.broadcast_to(np.ones((2, 3)), (4, 3))
    with pytest.raises(ValueError):
        broadcast.broadcast_to(np.ones((2, 3)), (3,))
    transposed = rng.standard_normal((3, 2)).T  # not C-contiguous: NumPy's own broadcast_to
    assert np.array_equal(broadcast.broadcast_to(transposed, (5, 2, 3)), np.broadcast_to(transposed, (5, 2, 3)))
    with kernels.use("reference"):
        g = np.ones((1, 3))
        assert broadcast.broadcast_to(g, (4, 3)).base is not None and np.array_equal(
            broadcast.broadcast_to(g, (4, 3)), np.ones((4, 3)))


def test_sum_and_mean_backward_give_the_same_gradient_in_both_kernel_modes(rng):
    x = rng.standard_normal((4, 1, 5))
    grads = []
    for mode in ("fast", "reference"):
        with kernels.use(mode):
            t = gg.tensor(x, requires_grad=True)
            (t.sum() * 2 + t.mean(dim=(0, 2)).sum() + t.sum(dim=0, keepdim=True).pow(2).sum()).backward()
            grads.append(t.grad.numpy())
    assert np.array_equal(grads[0], grads[1])


def _edit_in_both_modes(make: Any, edit: Any) -> list[Any]:
    """Run ``edit(target)`` in each kernel mode on a fresh ``make()``; the target's values, dtype and
    version, a view's values, or the error raised, per mode."""
    outcomes = []
    for mode in ("fast", "reference"):
        target = make()
        view = target[..., :1]
        with kernels.use(mode):
            try:
                edit(target)
            except Exception as err:  # noqa: BLE001  (the two paths must raise the same)
                outcomes.append((type(err), str(err).split(":")[0]))
                continue
        outcomes.append((target.numpy().tolist(), str(target.dtype), target._version, view.numpy().tolist()))
    return outcomes


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "uint8", "int64"])
@pytest.mark.parametrize("operand", ["float", "small int", "big int", "tensor", "0-d tensor", "other dtype", "wide"])
@pytest.mark.parametrize("name", ["add_", "sub_", "mul_", "div_"])
def test_in_place_arithmetic_kernel_equals_the_op_and_write(name, operand, dtype):
    values = np.array([[3, 1, 4, 1], [5, 9, 2, 6]])
    other = {"float": 1.5, "small int": 3, "big int": 300, "tensor": gg.tensor(np.array([1, 2, 0, 4]), dtype=dtype),
             "0-d tensor": gg.tensor(2, dtype=dtype), "other dtype": gg.tensor([1.0, 2.0, 3.0, 4.0], dtype="float64"),
             "wide": gg.ones((3, 2, 4), dtype=dtype)}[operand]

    def edit(target: Any) -> None:
        getattr(target, name)(other)

    fast, reference = _edit_in_both_modes(lambda: gg.tensor(values, dtype=dtype), edit)
    assert fast == reference


def test_in_place_arithmetic_kernel_refuses_read_only_memory_as_the_op_does():
    fast, reference = _edit_in_both_modes(lambda: gg.zeros(1, 4).expand(3, 4), lambda t: t.add_(1.0))
    assert fast == reference and fast[0] is RuntimeError


def test_in_place_arithmetic_kernel_serves_the_common_edits_and_leaves_the_rest():
    from glassgrad.methods.inplace import _arithmetic_in_place

    counts, weights = gg.zeros((27, 27), dtype=gg.int32), gg.randn(4, 3)
    assert _arithmetic_in_place(counts[3, 4], gg.ops.add, 1) and counts[3, 4].item() == 1
    assert _arithmetic_in_place(weights, gg.ops.sub, weights * 0.5) and _arithmetic_in_place(weights, gg.ops.mul, 2.0)
    assert not _arithmetic_in_place(counts, gg.ops.div, 2)  # int / int is a float: the op raises torch's error
    assert not _arithmetic_in_place(weights, gg.ops.add, gg.ones(3, dtype=gg.float64))  # dtypes differ
    assert not _arithmetic_in_place(weights, gg.ops.add, gg.ones(5))  # does not broadcast: the op raises
