"""Bidirectional RNN / LSTM / GRU against torch: weight names (``*_reverse``), output concatenation,
h_n layout, and every gradient (inputs, initial states, all parameters), weights copied via state_dict."""

from __future__ import annotations

import pytest

import glassgrad
from tests.nn.module_parity import check_module_with_torch


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_bidirectional_matches_torch(rng, torch, kind, batch_first):
    ours = getattr(glassgrad.nn, kind)(3, 4, num_layers=2, bidirectional=True, batch_first=batch_first)
    theirs = getattr(torch.nn, kind)(3, 4, num_layers=2, bidirectional=True, batch_first=batch_first)
    x = rng.standard_normal((2, 5, 3) if batch_first else (5, 2, 3))
    h0 = rng.standard_normal((4, 2, 4))
    if kind == "LSTM":
        c0 = rng.standard_normal((4, 2, 4))
        check_module_with_torch(ours, theirs, [x, h0, c0], torch,
                                call=lambda m, x, h, c: (lambda out, hc: (out, *hc))(*m(x, (h, c))))
    else:
        check_module_with_torch(ours, theirs, [x, h0], torch, call=lambda m, x, h: m(x, h))


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_bidirectional_unbatched_and_default_state_match_torch(rng, torch, kind):
    ours = getattr(glassgrad.nn, kind)(3, 2, bidirectional=True, bias=False)
    theirs = getattr(torch.nn, kind)(3, 2, bidirectional=True, bias=False)
    flatten = (lambda m, x: (lambda out, hc: (out, *hc))(*m(x))) if kind == "LSTM" else None
    check_module_with_torch(ours, theirs, [rng.standard_normal((4, 3))], torch, call=flatten)


def test_bidirectional_names_repr_and_state_shape_errors():
    lstm = glassgrad.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    assert lstm.weight_ih_l1_reverse.shape == (16, 8)  # layer 1 reads both directions: 2H features
    assert "bidirectional=True" in repr(lstm)
    with pytest.raises(ValueError, match=r"h0 must have shape \(4, 2, 4\) \(num_layers \* num_directions"):
        glassgrad.nn.GRU(3, 4, num_layers=2, bidirectional=True)(glassgrad.ones(5, 2, 3), glassgrad.zeros(2, 2, 4))
