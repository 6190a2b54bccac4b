"""glassgrad.signal.windows against torch.signal.windows: every window, symmetric and periodic,
lengths 0, 1, 2 and longer, float32 and float64, its parameters, and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

WINDOWS = {
    "hann": {}, "hamming": {}, "blackman": {}, "nuttall": {}, "bartlett": {}, "cosine": {},
    "gaussian": {"std": 1.7}, "kaiser": {"beta": 4.5}, "general_hamming": {"alpha": 0.6},
    "general_cosine": {"a": [0.46, 0.3, 0.24]}, "exponential": {"tau": 2.5},
}


@pytest.mark.parametrize("sym", [True, False])
@pytest.mark.parametrize("M", [0, 1, 2, 7, 10])
@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_window_matches_torch(torch, name, M, sym) -> None:
    for gg_dtype, torch_dtype in ((gg.float32, torch.float32), (gg.float64, torch.float64)):
        ours = getattr(gg.signal.windows, name)(M, sym=sym, dtype=gg_dtype, **WINDOWS[name])
        theirs = getattr(torch.signal.windows, name)(M, sym=sym, dtype=torch_dtype, **WINDOWS[name])
        assert ours.dtype == gg_dtype and ours.shape == tuple(theirs.shape)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


def test_periodic_exponential_takes_a_center_and_defaults_follow_torch(torch) -> None:
    np.testing.assert_allclose(gg.signal.windows.exponential(6, center=1.0, tau=2.0, sym=False).numpy(),
                               torch.signal.windows.exponential(6, center=1.0, tau=2.0, sym=False).numpy(), rtol=1e-6)
    assert gg.signal.windows.hann(4).dtype == gg.float32
    assert gg.signal.windows.hann(3, requires_grad=True).requires_grad


@pytest.mark.parametrize("call, message", [
    (lambda w: w.hann(-1), "non-negative window length"),
    (lambda w: w.hann(3, dtype=gg.int64), "float32 or float64"),
    (lambda w: w.exponential(5, center=1.0), "Center must be None"),
    (lambda w: w.gaussian(5, std=0), "Standard deviation must be positive"),
    (lambda w: w.kaiser(5, beta=-1), "beta must be non-negative"),
    (lambda w: w.exponential(4, tau=0), "Tau must be positive"),
    (lambda w: w.general_cosine(5, a=[]), "Coefficients cannot be empty"),
])
def test_windows_refuse_what_torch_refuses(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call(gg.signal.windows)


@pytest.mark.parametrize("periodic", [True, False])
@pytest.mark.parametrize("length", [0, 1, 2, 9])
def test_torch_window_functions_match_torch(torch, length, periodic) -> None:
    calls = [("hann_window", ()), ("hamming_window", ()), ("hamming_window", (0.6, 0.3)), ("blackman_window", ()),
             ("bartlett_window", ()), ("kaiser_window", (5.0,))]
    for name, extra in calls:
        ours = getattr(gg, name)(length, periodic, *extra)
        theirs = getattr(torch, name)(length, periodic, *extra)
        assert ours.dtype == gg.float32 and ours.shape == tuple(theirs.shape)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)
    assert gg.hann_window(4, dtype=gg.float64).dtype == gg.float64
