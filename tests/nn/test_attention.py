"""nn.MultiheadAttention against torch: outputs, weights and every gradient, in float64."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from tests.nn.module_parity import check_module_with_torch

E, H = 6, 3  # odd sizes: 3 heads of 2 features


def _layout(x: np.ndarray, batch_first: bool) -> np.ndarray:
    """(N, T, F) data in the module's layout."""
    return x if batch_first else np.ascontiguousarray(x.transpose(1, 0, 2))


def _pair(torch, **kwargs):
    torch.manual_seed(0)
    return nn.MultiheadAttention(E, H, **kwargs), torch.nn.MultiheadAttention(E, H, **kwargs)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("need_weights,average", [(True, True), (True, False), (False, True)])
def test_self_attention_matches_torch(torch, rng, batch_first, need_weights, average):
    ours, theirs = _pair(torch, batch_first=batch_first)
    x = _layout(rng.standard_normal((2, 5, E)), batch_first)
    check_module_with_torch(ours, theirs, [x], torch,
                            call=lambda m, x: m(x, x, x, need_weights=need_weights, average_attn_weights=average))


@pytest.mark.parametrize("batch_first", [False, True])
def test_cross_attention_with_kdim_vdim_matches_torch(torch, rng, batch_first):
    ours, theirs = _pair(torch, batch_first=batch_first, kdim=4, vdim=5)
    assert list(ours.state_dict()) == ["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias",
                                       "out_proj.weight", "out_proj.bias"]
    q = _layout(rng.standard_normal((3, 4, E)), batch_first)
    k = _layout(rng.standard_normal((3, 7, 4)), batch_first)
    v = _layout(rng.standard_normal((3, 7, 5)), batch_first)
    check_module_with_torch(ours, theirs, [q, k, v], torch)


@pytest.mark.parametrize("same_kv", [True, False])
def test_cross_attention_packed_weights_no_bias(torch, rng, same_kv):
    ours, theirs = _pair(torch, bias=False)
    assert ours.in_proj_bias is None and ours.out_proj.bias is None
    q, k = rng.standard_normal((4, 2, E)), rng.standard_normal((7, 2, E))
    v = k if same_kv else rng.standard_normal((7, 2, E))
    if same_kv:
        check_module_with_torch(ours, theirs, [q, k], torch, call=lambda m, q, k: m(q, k, k))
    else:
        check_module_with_torch(ours, theirs, [q, k, v], torch)


def _masks(rng, n, L, S, kind):
    """(attn_mask, key_padding_mask) in torch's convention (True / -inf = blocked); no row fully blocked."""
    blocked = rng.random((L, S)) < 0.3
    blocked[:, 0] = False
    padded = np.zeros((n, S), dtype=bool)
    padded[0, -2:] = True
    if kind == "bool":
        return blocked, padded
    if kind == "float":
        return rng.standard_normal((n * H, L, S)), np.where(padded, -np.inf, 0.0)
    if kind == "mixed":
        return np.where(blocked, -np.inf, rng.standard_normal((L, S))), padded
    if kind == "attn_only":
        return blocked, None
    return None, padded


@pytest.mark.filterwarnings("ignore:Support for mismatched")  # torch deprecates a bool mask beside a float one
@pytest.mark.parametrize("kind", ["bool", "float", "mixed", "attn_only", "padding_only"])
@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("batch_first", [False, True])
def test_masks_match_torch(torch, rng, kind, need_weights, batch_first):
    ours, theirs = _pair(torch, batch_first=batch_first)
    n, L = 2, 5
    x = _layout(rng.standard_normal((n, L, E)), batch_first)
    attn_mask, padding = _masks(rng, n, L, L, kind)
    check_module_with_torch(ours, theirs, [x, attn_mask, padding], torch, grad_inputs=[0],
                            call=lambda m, x, am, kpm: m(x, x, x, key_padding_mask=kpm, attn_mask=am,
                                                         need_weights=need_weights))


def test_float_mask_gets_torch_gradient(torch, rng):
    ours, theirs = _pair(torch, batch_first=True)
    x, mask = rng.standard_normal((2, 4, E)), rng.standard_normal((4, 4))
    check_module_with_torch(ours, theirs, [x, mask], torch,
                            call=lambda m, x, am: m(x, x, x, attn_mask=am, need_weights=False))


@pytest.mark.parametrize("need_weights", [True, False])
def test_causal_hint_matches_torch(torch, rng, need_weights):
    ours, theirs = _pair(torch, batch_first=True)
    x = rng.standard_normal((2, 5, E))
    causal = nn.Transformer.generate_square_subsequent_mask(5).numpy().astype(np.float64)
    check_module_with_torch(ours, theirs, [x, causal], torch, grad_inputs=[0],
                            call=lambda m, x, am: m(x, x, x, attn_mask=am, is_causal=True,
                                                    need_weights=need_weights))


def test_fully_padded_sequence_gives_zeros_like_torch(torch, rng):
    """A batch element whose keys are all padded: torch's fast path gives out_proj.bias there."""
    ours, theirs = _pair(torch)
    padded = np.zeros((2, 4), dtype=bool)
    padded[1] = True
    out = check_module_with_torch(ours, theirs, [rng.standard_normal((4, 2, E)), padded], torch, grad_inputs=[0],
                                  call=lambda m, x, kpm: m(x, x, x, key_padding_mask=kpm, need_weights=False))
    np.testing.assert_allclose(out[0][:, 1], np.broadcast_to(ours.out_proj.bias.numpy(), (4, E)))


@pytest.mark.parametrize("need_weights", [True, False])
def test_unbatched_and_batch_of_one_match_torch(torch, rng, need_weights):
    ours, theirs = _pair(torch)
    x = rng.standard_normal((5, E))
    attn_mask = rng.random((H, 5, 5)) < 0.3
    attn_mask[..., 0] = False
    check_module_with_torch(ours, theirs, [x, attn_mask], torch, grad_inputs=[0],
                            call=lambda m, x, am: m(x, x, x, attn_mask=am, need_weights=need_weights))
    ours, theirs = _pair(torch, batch_first=True)
    check_module_with_torch(ours, theirs, [x[None]], torch,
                            call=lambda m, x: m(x, x, x, need_weights=need_weights))


@pytest.mark.parametrize("add_bias_kv,add_zero_attn", [(True, False), (False, True), (True, True)])
def test_bias_kv_and_zero_attn_match_torch(torch, rng, add_bias_kv, add_zero_attn):
    ours, theirs = _pair(torch, add_bias_kv=add_bias_kv, add_zero_attn=add_zero_attn)
    x = rng.standard_normal((4, 2, E))
    attn_mask, padding = _masks(rng, 2, 4, 4, "bool")
    check_module_with_torch(ours, theirs, [x, attn_mask, padding], torch, grad_inputs=[0],
                            call=lambda m, x, am, kpm: m(x, x, x, key_padding_mask=kpm, attn_mask=am))


def test_dropout_is_off_in_eval_and_on_in_training(rng):
    mha = nn.MultiheadAttention(E, H, dropout=0.5, batch_first=True)
    x = gg.tensor(rng.standard_normal((2, 4, E)))
    mha.eval()
    a, _ = mha(x, x, x)
    b, _ = mha(x, x, x)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    mha.train()
    c, w = mha(x, x, x, average_attn_weights=False)
    assert not np.allclose(a.numpy(), c.numpy())
    assert (w.numpy() == 0).any()  # dropped weights


def test_init_matches_torch_distributions():
    mha = nn.MultiheadAttention(64, 4, add_bias_kv=True)
    w = mha.in_proj_weight.numpy()
    bound = np.sqrt(6.0 / (64 + 3 * 64))  # xavier_uniform_ on (3E, E)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert not mha.in_proj_bias.numpy().any() and not mha.out_proj.bias.numpy().any()
    assert mha.bias_k.shape == (1, 1, 64)


def test_bad_input_gives_clear_errors(rng):
    with pytest.raises(ValueError, match="divisible by num_heads"):
        nn.MultiheadAttention(10, 3)
    mha = nn.MultiheadAttention(E, H)
    x = gg.tensor(rng.standard_normal((4, 2, E)))
    with pytest.raises(ValueError, match="2-D attn_mask has shape"):
        mha(x, x, x, attn_mask=np.zeros((3, 4), dtype=bool))
    with pytest.raises(ValueError, match="3-D attn_mask"):
        mha(x, x, x, attn_mask=np.zeros((2, 4, 4), dtype=bool))
    with pytest.raises(ValueError, match="key_padding_mask"):
        mha(x, x, x, key_padding_mask=np.zeros((4, 2), dtype=bool))
    with pytest.raises(ValueError, match="features"):
        mha(gg.tensor(rng.standard_normal((4, 2, 5))), x, x)
    with pytest.raises(RuntimeError, match="is_causal"):
        mha(x, x, x, is_causal=True)


@pytest.mark.parametrize("need_weights", [True, False])
def test_gradcheck_through_the_layer(rng, need_weights):
    mha = nn.MultiheadAttention(4, 2, batch_first=True, kdim=3, vdim=5).double()
    padding = np.array([[False, False, True], [False, False, False]])
    q = gg.tensor(rng.standard_normal((2, 2, 4)), requires_grad=True)
    k = gg.tensor(rng.standard_normal((2, 3, 3)), requires_grad=True)
    v = gg.tensor(rng.standard_normal((2, 3, 5)), requires_grad=True)
    assert gg.gradcheck(lambda q, k, v: mha(q, k, v, key_padding_mask=padding, need_weights=need_weights)[0],
                        [q, k, v])


def test_functional_multi_head_attention_forward_matches_torch(torch, rng):
    q, k = rng.standard_normal((4, 2, E)), rng.standard_normal((5, 2, E))
    w_in, b_in = rng.standard_normal((3 * E, E)), rng.standard_normal(3 * E)
    w_out, b_out = rng.standard_normal((E, E)), rng.standard_normal(E)
    padding = np.zeros((2, 5), dtype=bool)
    padding[1, 0] = True

    def call(F, q, k, w_in, b_in, w_out, b_out, kpm):
        return F.multi_head_attention_forward(q, k, k, E, H, w_in, b_in, None, None, False, 0.0, w_out, b_out,
                                              key_padding_mask=kpm, average_attn_weights=False)

    from tests.helpers.oracle import compare_with_torch

    compare_with_torch(lambda *xs: call(nn.functional, *xs, padding),
                       lambda *xs: call(torch.nn.functional, *xs, torch.from_numpy(padding)),
                       [q, k, w_in, b_in, w_out, b_out], torch)


def test_fully_padded_row_with_weights_gives_nan_silently_as_torch():
    """need_weights=True computes softmax over an all -inf row: NaN weights, and no NumPy warning."""
    import warnings

    import glassgrad as gg

    module = gg.nn.MultiheadAttention(4, 2, batch_first=True)
    x = gg.randn(2, 3, 4)
    padded = gg.tensor([[False, False, False], [True, True, True]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, weights = module(x, x, x, key_padding_mask=padded)
    assert np.isnan(weights.numpy()[1]).all() and np.isfinite(weights.numpy()[0]).all()
