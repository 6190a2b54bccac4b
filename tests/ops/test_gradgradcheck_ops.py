"""Second derivatives of every op in the op table: the backward recorded with create_graph=True,
differentiated again, against finite differences of the backward (float64, ``gradgradcheck``) and
against torch's double backward (recorded for torch-free runs).

The torch check: for inputs x, upstream gradients v and weights w on the first derivatives,
    s(x, v) = sum_i < w_i, d <f(x), v> / dx_i >
and both libraries' ds/dx and ds/dv must agree to 1e-6.

Ops whose backward is not yet differentiable are listed in ``NOT_YET``: for them the first
derivative is still right, and differentiating it raises NotImplementedError, which is checked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import glassgrad
from glassgrad import Tensor
from glassgrad.autograd import gradgradcheck
from tests.helpers.torch_proxy import session_of
from tests.ops.op_table import OPS, OpSpec
from tests.ops.strategies import Case
from tests.ops.test_torch_oracle import draw_cases

CASES = 2

# rows whose backward cannot be differentiated yet (create_graph=True gives their first derivatives, and
# differentiating those raises NotImplementedError): the list docs/higher-order.md gives
NOT_YET: set[str] = set()

# rows twice differentiable (checked below): one of them raising again is a regression, not a new op
TWICE_DIFFERENTIABLE: set[str] = {
    'bilinear', 'fft.fft', 'fft.fft_complex', 'fft.fftn', 'fft.fftshift', 'fft.hfft', 'fft.ifft', 'fft.ifftshift',
    'fft.ihfft', 'fft.irfft', 'fft.irfftn', 'fft.rfft', 'fft.rfftn', 'sparse.mm',
    'T', 'abs', 'acos', 'acosh', 'adaptive_avg_pool2d', 'adaptive_avg_pool3d', 'adaptive_max_pool1d',
    'adaptive_max_pool3d', 'add', 'addbmm', 'addcdiv', 'addcmul', 'addmm', 'addmv', 'addr', 'adjoint',
    'affine_grid', 'aminmax', 'angle', 'as_strided', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'atleast_3d',
    'avg_pool1d_ceil', 'avg_pool2d', 'avg_pool2d_ceil_divisor', 'avg_pool3d', 'baddbmm', 'batch_norm',
    'binary_cross_entropy', 'binary_cross_entropy_with_logits', 'block_diag', 'bmm', 'broadcast_tensors',
    'cartesian_prod', 'cast', 'cat', 'ceil', 'celu', 'channel_shuffle', 'cholesky_inverse', 'cholesky_solve',
    'chunk', 'clip', 'clone', 'combinations', 'concat_axis_alias', 'concatenate', 'conj_physical',
    'constant_pad_nd', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d',
    'copysign', 'cos', 'cosh', 'cosine_embedding_loss', 'cross_entropy', 'cummax', 'cummin', 'cumprod', 'cumsum',
    'cumulative_trapezoid', 'deg2rad', 'diag', 'diag_embed', 'diagflat', 'diagonal', 'diagonal_copy',
    'diagonal_scatter', 'diff', 'digamma', 'dist', 'div', 'div_floor', 'div_trunc', 'dot', 'dropout', 'dsplit',
    'dstack', 'einsum', 'elu', 'embedding', 'embedding_bag', 'erf', 'erfc', 'erfinv', 'exp', 'exp2', 'expand',
    'expand_minus_one', 'expm1', 'fill', 'flatten_dims', 'flip', 'fliplr', 'flipud', 'float_power',
    'float_power_scalar', 'floor', 'fmax', 'fmin', 'fmod', 'fold_col2im', 'frac', 'fractional_max_pool2d',
    'fractional_max_pool3d', 'frexp_mantissa', 'gather', 'gaussian_nll_loss', 'gelu', 'gelu_tanh', 'getitem_basic',
    'getitem_bool', 'getitem_int_array', 'getitem_mask_mixed', 'getitem_torch_rule', 'glu', 'gradient',
    'grid_sample', 'group_norm', 'gru_cell', 'gru_layer', 'hardshrink', 'hardswish', 'hardtanh',
    'hinge_embedding_loss', 'hsplit', 'hstack', 'huber_loss', 'hypot', 'i0', 'igamma', 'igammac', 'index_add',
    'index_copy', 'index_fill', 'index_put', 'index_reduce_amax', 'index_reduce_amin', 'index_reduce_mean',
    'index_reduce_prod', 'index_select', 'inner', 'instance_norm', 'interpolate', 'kl_div', 'kron', 'kthvalue',
    'l1_loss', 'layer_norm', 'ldexp', 'leaky_relu', 'lerp', 'lgamma', 'linalg.cholesky', 'linalg.cond',
    'linalg.cross', 'linalg.eig', 'linalg.eigh', 'linalg.eigvalsh', 'linalg.householder_product', 'linalg.lstsq',
    'linalg.lu',
    'linalg.lu_factor', 'linalg.lu_solve', 'linalg.matrix_exp', 'linalg.matrix_norm.svd', 'linalg.matrix_power',
    'linalg.multi_dot', 'linalg.pinv', 'linalg.pinv.hermitian', 'linalg.qr', 'linalg.qr.complete', 'linalg.slogdet',
    'linalg.solve_triangular', 'linalg.svd', 'linalg.svdvals', 'linalg.vander', 'linalg.vecdot', 'linear',
    'local_response_norm', 'log', 'log10', 'log1p', 'log2', 'log_softmax', 'logaddexp', 'logaddexp2',
    'logcumsumexp', 'logdet', 'logit', 'logit_eps', 'logsigmoid', 'logsumexp', 'lp_pool1d', 'lp_pool2d',
    'lp_pool3d', 'lstm_cell', 'lstm_layer', 'margin_ranking_loss', 'masked_fill', 'masked_fill_tensor_value',
    'masked_scatter', 'masked_select', 'matmul', 'max', 'max_all', 'max_dim', 'max_pool1d_with_indices',
    'max_pool2d', 'max_pool2d_with_indices', 'max_pool3d', 'max_unpool1d', 'max_unpool2d', 'max_unpool3d',
    'maximum', 'mean', 'median_all', 'median_dim', 'meshgrid', 'min', 'min_all', 'min_dim', 'minimum', 'mish', 'mm',
    'mode', 'movedim', 'mse_loss', 'msort', 'mul', 'multilabel_soft_margin_loss', 'mv', 'mvlgamma', 'nan_to_num',
    'nanmean', 'nanmedian_all', 'nanmedian_dim', 'nanquantile', 'nansum', 'narrow', 'narrow_copy', 'neg',
    'nextafter', 'nll_loss', 'norm', 'normalize', 'outer', 'pad', 'pad_copy_modes', 'pad_negative_crops', 'pdist',
    'permute', 'permute_copy', 'poisson_nll_loss', 'polygamma', 'pow_scalar', 'pow_scalar_signed_base',
    'pow_tensor', 'prod', 'put', 'quantile', 'rad2deg', 'reciprocal', 'relu', 'relu6', 'remainder', 'renorm',
    'repeat', 'repeat_interleave', 'reshape', 'rnn_cell', 'rnn_layer', 'roll', 'rot90', 'round', 'rrelu_eval',
    'rsqrt', 'rsub', 'scalar_operators', 'scaled_dot_product_attention', 'scatter', 'scatter_add',
    'scatter_reduce_amax', 'scatter_reduce_amin', 'scatter_reduce_mean', 'scatter_reduce_prod',
    'scatter_reduce_sum', 'scatter_value', 'select', 'select_scatter', 'selu', 'sigmoid', 'sign', 'silu', 'sin',
    'sinc', 'sinh', 'slice_scatter', 'smooth_l1_loss', 'soft_margin_loss', 'softmax', 'softmin', 'softplus',
    'softshrink', 'softsign', 'sort', 'special_entr', 'special_erfcx', 'special_i0e', 'special_i1', 'special_i1e',
    'special_log_ndtr', 'special_ndtr', 'special_ndtri', 'special_xlog1py', 'special_zeta', 'split',
    'split_with_sizes', 'sqrt', 'square', 'squeeze', 'squeeze_dims', 'stack', 'stack_dim', 'std', 'std_mean', 'sub',
    'sum', 'sum_dtype_alias', 'svd.legacy', 'take', 'take_along_dim', 'tan', 'tanh', 'tanhshrink', 'tensor_split',
    'tensordot', 'threshold', 'tile', 'topk', 'trace', 'transpose', 'trapezoid', 'tril', 'triplet_margin_loss',
    'triplet_margin_with_distance_loss', 'triu', 'trunc', 'unbind', 'unflatten', 'unfold', 'unfold_im2col',
    'unsqueeze', 'var', 'var_mean', 'var_unbiased', 'vdot', 'vstack', 'weight_standardize', 'where', 'xlogy'
}

# torch gives no double backward for these rows: glassgrad raises too (a RuntimeError, as torch)
TORCH_RAISES_TOO = {"ctc_loss", "hardsigmoid", "multi_margin_loss", "multilabel_margin_loss"}
# torch gives no double backward here ("the derivative for '_pdist_backward' / '_embedding_bag_backward' is not
# implemented"), glassgrad's backward, written with differentiable ops, does: checked by finite differences only
# sparse.mm: torch's gradient for the sparse operand's values has no graph (its second derivative reads as 0);
# glassgrad's, (G B^T) at A's coordinates, depends on B and is differentiated (finite differences agree)
TORCH_REFUSES = {"embedding_bag", "pdist", "sparse.mm"}

# rows whose finite differences of the backward need a case filter or a looser tolerance (torch agrees to 1e-6)
FD_SKIP: dict[str, Callable[[Case], bool]] = {
    # b == 0 exactly: torch's dz/da = b a^(b-1) is masked to 0 there (a where), and so is its derivative in b
    "pow_tensor": lambda case: bool(np.any(case.arrays[1] == 0)),
    "float_power": lambda case: bool(np.any(case.arrays[1] == 0)),
    # sinc'(a) = (cos(pi a) - sinc(a)) / a near 0: differences of it lose every digit (its Taylor term is used at 0)
    "sinc": lambda case: bool(np.any(case.arrays[0] == 0)),
}
# cases torch gets wrong: its sinc backward divides 0 by 0 at a == 0, so its second derivative there is nan
TORCH_SKIP: dict[str, Callable[[Case], bool]] = {
    "sinc": lambda case: bool(np.any(case.arrays[0] == 0)),
}
FD_TOLERANCE: dict[str, dict[str, float]] = {
    "cosine_embedding_loss": {"rtol": 1e-2},  # inputs of 1e-30..1e-163 beside 2.5: differences lose digits
}


def _as_list(result: Any) -> list[Any]:
    return list(result) if isinstance(result, tuple | list) else [result]


def _cases(spec: OpSpec) -> list[Any]:
    return draw_cases(spec.cases, CASES)


@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
def test_gradgradcheck(spec: OpSpec) -> None:
    skip = FD_SKIP.get(spec.name)
    cases = _cases(spec) if skip is None else [case for case in draw_cases(spec.cases, CASES + 2) if not skip(case)]
    cases = cases[:CASES]
    assert cases
    refused = []
    for case in cases:
        inputs = [Tensor(a.copy(), requires_grad=True) for a in case.arrays]
        kw = {k: v for k, v in spec.gradcheck_kw.items() if k in ("eps", "atol", "rtol")}
        kw.update(FD_TOLERANCE.get(spec.name, {}))
        try:
            assert gradgradcheck(lambda *xs, case=case: spec.gg(*xs, **case.params), inputs, **kw)
        except NotImplementedError as err:  # the engine's refusal, never another error
            assert re.search("cannot be differentiated|not implemented", str(err)), str(err)
            assert spec.name not in TWICE_DIFFERENTIABLE, f"{spec.name} was twice differentiable: {err}"
            if spec.name not in NOT_YET | TORCH_RAISES_TOO:  # an op added since: not yet twice differentiable
                pytest.xfail(f"{spec.name}: not yet twice differentiable ({err})")
            refused.append(case)
    if spec.name in NOT_YET | TORCH_RAISES_TOO:
        assert refused, f"{spec.name} is twice differentiable now: take it off NOT_YET"


def _second_derivatives(lib: Any, fn: Any, arrays: list[np.ndarray], vs: list[np.ndarray],
                        ws: list[np.ndarray], make: Any, to_numpy: Any) -> list[np.ndarray]:
    """ds/dx and ds/dv (as arrays; zeros where s does not depend on one) for
    s = sum_i <w_i, d <fn(x), v> / dx_i>, in glassgrad or torch."""
    xs = [make(a) for a in arrays]
    outputs = _as_list(fn(*xs))
    v_tensors = [make(v) for v in vs]
    live = [(o, v) for o, v in zip(outputs, v_tensors) if o.requires_grad]
    firsts = lib.autograd.grad([o for o, _ in live], xs, [v for _, v in live], create_graph=True,
                               allow_unused=True) if live else [None] * len(xs)
    s = None
    for g, w in zip(firsts, ws):
        if g is not None and g.requires_grad:
            term = (g * make(w, False)).sum()
            s = term if s is None else s + term
    if s is None:
        return [np.zeros(a.shape) for a in arrays + vs]
    seconds = lib.autograd.grad(s, xs + v_tensors, allow_unused=True)
    return [np.zeros(t.shape) if g is None else to_numpy(g) for t, g in zip(xs + v_tensors, seconds)]


@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
def test_double_backward_matches_torch(spec: OpSpec, torch) -> None:
    if spec.name in NOT_YET or spec.name in TORCH_REFUSES:
        pytest.skip("not yet twice differentiable in glassgrad" if spec.name in NOT_YET else "torch has none")
    session = session_of(torch)
    cases = _cases(spec) if session is None else session.value("cases", lambda: _cases(spec))
    skip = TORCH_SKIP.get(spec.name)
    for k, case in enumerate(cases):
        if skip is not None and skip(case):
            continue
        rng = np.random.default_rng(k)
        arrays = [np.asarray(a, dtype=np.float64) for a in case.arrays]  # (a recorded 0-d array reads back a float)
        with glassgrad.no_grad():
            out_shapes = [tuple(o.shape) for o in _as_list(spec.gg(*[Tensor(a) for a in arrays], **case.params))]
        vs = [rng.standard_normal(s) for s in out_shapes]
        ws = [rng.standard_normal(a.shape) for a in arrays]
        if spec.name in TORCH_RAISES_TOO:
            both = ((glassgrad, Tensor, spec.gg), (torch, torch.tensor, functools.partial(spec.ref, torch)))
            for lib, make, fn in both:
                with pytest.raises(RuntimeError, match="not implemented"):
                    _second_derivatives(lib, lambda *xs, fn=fn, case=case: fn(*xs, **case.params), arrays,
                                        vs, ws, lambda a, grad=True, make=make: make(a.copy(), requires_grad=grad),
                                        lambda g: np.asarray(g.detach().numpy()))
            continue
        try:
            ours = _second_derivatives(glassgrad, lambda *xs, case=case: spec.gg(*xs, **case.params),
                                       arrays, vs, ws, lambda a, grad=True: Tensor(a.copy(), requires_grad=grad),
                                       lambda g: g.numpy())
        except NotImplementedError as err:  # an op added since, not yet twice differentiable
            if "cannot be differentiated" not in str(err) or spec.name in TWICE_DIFFERENTIABLE:
                raise
            pytest.xfail(f"{spec.name}: not yet twice differentiable ({err})")
        theirs = _second_derivatives(torch, lambda *xs, case=case: spec.ref(torch, *xs, **case.params),
                                     arrays, vs, ws,
                                     lambda a, grad=True: torch.tensor(a.copy(), requires_grad=grad),
                                     lambda g: np.asarray(g.detach().numpy(force=True)))  # (a ZeroTensor too)
        assert len(ours) == len(theirs)
        for i, (got, expected) in enumerate(zip(ours, theirs)):
            np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6,
                                       err_msg=f"{spec.name}: d s / d (input {i}), case {k}")


# rows whose ops run a fast kernel or its readable twin by the kernel mode (glassgrad/kernels): a gradient
# recorded after a fast forward must have the same derivatives as one recorded after the plain forward
KERNEL_ROWS = ["avg_pool2d", "batch_norm", "conv1d", "conv2d", "conv_transpose2d", "cross_entropy", "gelu",
               "gru_layer", "layer_norm", "linear", "log_softmax", "lstm_layer", "max_pool2d", "mean",
               "scaled_dot_product_attention", "softmax", "sum", "var"]


@pytest.mark.parametrize("name", KERNEL_ROWS)
def test_second_derivatives_equal_in_both_kernel_modes(name: str) -> None:
    spec = next(s for s in OPS if s.name == name)
    assert name in TWICE_DIFFERENTIABLE
    for k, case in enumerate(_cases(spec)):
        rng = np.random.default_rng(k)
        arrays = [np.asarray(a, dtype=np.float64) for a in case.arrays]
        with glassgrad.no_grad():
            out_shapes = [tuple(o.shape) for o in _as_list(spec.gg(*[Tensor(a) for a in arrays], **case.params))]
        vs = [rng.standard_normal(s) for s in out_shapes]
        ws = [rng.standard_normal(a.shape) for a in arrays]
        results = {}
        for mode in ("fast", "reference"):
            with glassgrad.kernels.use(mode):
                results[mode] = _second_derivatives(
                    glassgrad, lambda *xs, case=case: spec.gg(*xs, **case.params), arrays, vs, ws,
                    lambda a, grad=True: Tensor(a.copy(), requires_grad=grad), lambda g: g.numpy())
        for i, (fast, plain) in enumerate(zip(results["fast"], results["reference"])):
            np.testing.assert_allclose(fast, plain, rtol=1e-9, atol=1e-12, err_msg=f"{name}: d s / d (input {i})")
