"""Transformer layers, stacks and the whole model against torch (float64, torch's weights);
LayerNorm(bias=...); the causal mask; the scaled_dot_product_attention functional."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.nn.module_parity import check_module_with_torch

D, H, FF = 6, 2, 10

# torch warns that its nested-tensor fast path is off for these settings (it does not change the results)
pytestmark = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")


def _layout(x: np.ndarray, batch_first: bool) -> np.ndarray:
    return x if batch_first else np.ascontiguousarray(x.transpose(1, 0, 2))


def _pair(torch, name, *args, **kwargs):
    torch.manual_seed(0)
    return getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)


def _padding(n, s, as_float=False):
    """Key padding mask: the last key of the first sequence is padding (bool, or 0 / -inf)."""
    padded = np.zeros((n, s), dtype=bool)
    padded[0, -1] = True
    return np.where(padded, -np.inf, 0.0) if as_float else padded


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_encoder_layer_matches_torch(torch, rng, batch_first, norm_first, activation):
    ours, theirs = _pair(torch, "TransformerEncoderLayer", D, H, FF, dropout=0.0, activation=activation,
                         batch_first=batch_first, norm_first=norm_first)
    x = _layout(rng.standard_normal((2, 5, D)), batch_first)
    mask = rng.random((5, 5)) < 0.3
    mask[:, 0] = False
    check_module_with_torch(ours, theirs, [x, mask, _padding(2, 5)], torch, grad_inputs=[0],
                            call=lambda m, x, am, kpm: m(x, src_mask=am, src_key_padding_mask=kpm))


def test_encoder_layer_callable_activation_and_no_bias(torch, rng):
    ours, theirs = _pair(torch, "TransformerEncoderLayer", D, H, FF, dropout=0.0, bias=False, batch_first=True)
    ours.activation, theirs.activation = gg.tanh, torch.tanh
    assert list(ours.state_dict()) == list(theirs.state_dict())
    check_module_with_torch(ours, theirs, [rng.standard_normal((3, 4, D))], torch)


@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_stack_with_norm_and_causal_mask_matches_torch(torch, rng, batch_first):
    torch.manual_seed(0)
    layer_t = torch.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, batch_first=batch_first)
    theirs = torch.nn.TransformerEncoder(layer_t, 2, norm=torch.nn.LayerNorm(D), enable_nested_tensor=False)
    ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, batch_first=batch_first), 2,
                                 norm=nn.LayerNorm(D), enable_nested_tensor=False)
    x = _layout(rng.standard_normal((2, 5, D)), batch_first)
    causal = nn.Transformer.generate_square_subsequent_mask(5, dtype=gg.float64).numpy()
    check_module_with_torch(ours, theirs, [x, causal], torch, grad_inputs=[0],
                            call=lambda m, x, mask: m(x, mask=mask, is_causal=True))
    check_module_with_torch(ours, theirs, [x, causal], torch, grad_inputs=[0],
                            call=lambda m, x, mask: m(x, mask=mask))


def test_encoder_layers_are_independent_copies():
    stack = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, H, FF), 3)
    a, b = stack.layers[0].linear1.weight, stack.layers[1].linear1.weight
    assert a is not b and np.array_equal(a.numpy(), b.numpy())  # same start, separate parameters
    assert len(list(stack.parameters())) == 3 * len(list(stack.layers[0].parameters()))


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_layer_matches_torch(torch, rng, batch_first, norm_first):
    ours, theirs = _pair(torch, "TransformerDecoderLayer", D, H, FF, dropout=0.0, batch_first=batch_first,
                         norm_first=norm_first, activation="gelu")
    tgt = _layout(rng.standard_normal((2, 4, D)), batch_first)
    memory = _layout(rng.standard_normal((2, 3, D)), batch_first)
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(4, dtype=gg.float64).numpy()
    check_module_with_torch(ours, theirs, [tgt, memory, tgt_mask, _padding(2, 4, True), _padding(2, 3)], torch,
                            grad_inputs=[0, 1],
                            call=lambda m, t, mem, tm, tkpm, mkpm: m(t, mem, tgt_mask=tm, tgt_key_padding_mask=tkpm,
                                                                     memory_key_padding_mask=mkpm))


@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer_matches_torch(torch, rng, batch_first):
    ours, theirs = _pair(torch, "Transformer", D, H, 2, 1, FF, dropout=0.0, batch_first=batch_first)
    src = _layout(rng.standard_normal((2, 5, D)), batch_first)
    tgt = _layout(rng.standard_normal((2, 3, D)), batch_first)
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=gg.float64).numpy()
    check_module_with_torch(ours, theirs, [src, tgt, tgt_mask, _padding(2, 5)], torch, grad_inputs=[0, 1],
                            call=lambda m, s, t, tm, skpm: m(s, t, tgt_mask=tm, src_key_padding_mask=skpm,
                                                             memory_key_padding_mask=skpm))


def test_transformer_unbatched_matches_torch(torch, rng):
    ours, theirs = _pair(torch, "Transformer", D, H, 1, 1, FF, dropout=0.0, norm_first=True)
    check_module_with_torch(ours, theirs, [rng.standard_normal((5, D)), rng.standard_normal((3, D))], torch)


def test_transformer_init_is_xavier_and_checks_shapes(rng):
    model = nn.Transformer(8, 2, 1, 1, 16)
    w = model.encoder.layers[0].linear1.weight.numpy()
    assert np.abs(w).max() <= np.sqrt(6 / (8 + 16))
    with pytest.raises(RuntimeError, match="batch number"):
        model(gg.tensor(rng.standard_normal((5, 2, 8))), gg.tensor(rng.standard_normal((3, 3, 8))))
    with pytest.raises(RuntimeError, match="d_model"):
        model(gg.tensor(rng.standard_normal((5, 2, 7))), gg.tensor(rng.standard_normal((3, 2, 7))))
    with pytest.raises(RuntimeError, match="activation"):
        nn.TransformerEncoderLayer(8, 2, activation="swish")


def test_square_subsequent_mask_is_torchs(torch):
    ours = nn.Transformer.generate_square_subsequent_mask(4)
    theirs = torch.nn.Transformer.generate_square_subsequent_mask(4)
    assert ours.dtype == np.float32
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("bias,affine", [(True, True), (False, True), (True, False)])
def test_layer_norm_matches_torch(torch, rng, bias, affine):
    ours, theirs = _pair(torch, "LayerNorm", (3, 4), eps=1e-4, elementwise_affine=affine, bias=bias)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.randn(p.shape))
    check_module_with_torch(ours, theirs, [rng.standard_normal((2, 3, 4))], torch)


def test_functional_sdpa_and_errors(torch, rng):
    q, k, v = (gg.tensor(rng.standard_normal(s)) for s in [(2, 3, 4), (2, 5, 4), (2, 5, 6)])
    out = F.scaled_dot_product_attention(q, k, v)
    expected = torch.nn.functional.scaled_dot_product_attention(*(torch.from_numpy(t.numpy()) for t in (q, k, v)))
    np.testing.assert_allclose(out.numpy(), expected.numpy(), atol=1e-10)
    with pytest.raises(ValueError, match="does not broadcast"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=np.ones((4, 5), dtype=bool))
    with pytest.raises(ValueError, match="last dim"):
        F.scaled_dot_product_attention(q, v, v)
    with pytest.raises(ValueError, match="is_causal"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=np.ones((3, 5), dtype=bool), is_causal=True)


def test_sdpa_empty_row_is_zero_and_dropout_scales(rng):
    q, k, v = (gg.tensor(rng.standard_normal(s), requires_grad=True) for s in [(3, 4), (5, 4), (5, 2)])
    keep = np.ones((3, 5), dtype=bool)
    keep[1] = False
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
    assert np.array_equal(out.numpy()[1], np.zeros(2))
    out.sum().backward()
    assert np.isfinite(q.grad.numpy()).all() and np.array_equal(q.grad.numpy()[1], np.zeros(4))
    ones = gg.tensor(np.ones((1, 200, 1)))
    dropped = F.scaled_dot_product_attention(gg.tensor(np.zeros((1, 200, 1))), ones, ones, dropout_p=0.5,
                                             rng=np.random.default_rng(0))
    assert 0.8 < dropped.numpy().mean() < 1.2  # E[out] = 1: the survivors are scaled by 1 / (1 - p)


def test_gradcheck_through_encoder_and_decoder_layers(rng):
    enc = nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0, batch_first=True, norm_first=True).double()
    dec = nn.TransformerDecoderLayer(4, 2, 6, dropout=0.0, batch_first=True, activation="gelu").double()
    src = gg.tensor(rng.standard_normal((1, 3, 4)), requires_grad=True)
    tgt = gg.tensor(rng.standard_normal((1, 2, 4)), requires_grad=True)
    causal = nn.Transformer.generate_square_subsequent_mask(2, dtype=gg.float64)
    assert gg.gradcheck(lambda s, t: dec(t, enc(s), tgt_mask=causal, tgt_is_causal=True), [src, tgt])


def test_sdpa_grouped_query_attention_matches_torch(torch, rng):
    from tests.helpers.oracle import compare_with_torch

    q, k, v = rng.standard_normal((2, 6, 3, 4)), rng.standard_normal((2, 2, 5, 4)), rng.standard_normal((2, 2, 5, 3))
    compare_with_torch(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, enable_gqa=True),
                       lambda q, k, v: torch.nn.functional.scaled_dot_product_attention(q, k, v, enable_gqa=True),
                       [q, k, v], torch)
    with pytest.raises(ValueError, match="multiple"):
        F.scaled_dot_product_attention(gg.tensor(q), gg.tensor(rng.standard_normal((2, 4, 5, 4))),
                                       gg.tensor(rng.standard_normal((2, 4, 5, 3))), enable_gqa=True)
