"""``amp.GradScaler`` as torch's on a machine without a GPU: a CUDA scaler disables itself with
torch's warning, and a disabled scaler passes losses and steps through unchanged."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad as gg


def _scaler_state(m, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scaler = m.amp.GradScaler(**options)
    return scaler, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


@pytest.mark.skipif(gg.cuda.is_available(), reason="a GPU is present: the CUDA scaler stays enabled")
@pytest.mark.parametrize("options", [{}, {"device": "cuda", "enabled": True}, {"enabled": False}, {"device": "cpu"}])
def test_enabled_and_warning_match_torch_without_a_gpu(torch, options) -> None:
    ours, our_warnings = _scaler_state(gg, **options)
    theirs, their_warnings = _scaler_state(torch, **options)
    assert ours.is_enabled() == theirs.is_enabled()
    assert our_warnings == their_warnings
    if not theirs.is_enabled():
        assert ours.state_dict() == {} and ours.get_scale() == theirs.get_scale() == 1.0


@pytest.mark.skipif(gg.cuda.is_available(), reason="a GPU is present: the CUDA scaler stays enabled")
def test_a_disabled_scaler_trains_as_plain_sgd() -> None:
    with pytest.warns(UserWarning, match="CUDA is not available"):
        scaler = gg.amp.GradScaler()
    w = gg.tensor(np.array([1.0, -2.0]), requires_grad=True)
    optimizer = gg.optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    assert scaler.scale(loss) is loss
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    np.testing.assert_allclose(w.detach().numpy(), [0.8, -1.6])
    scaler.load_state_dict({})  # a disabled scaler ignores it, as torch's


def test_an_enabled_scaler_refuses_an_empty_state() -> None:
    scaler = gg.amp.GradScaler("cpu")
    with pytest.raises(RuntimeError, match="disabled instance of GradScaler"):
        scaler.load_state_dict({})
    scaler.load_state_dict(scaler.state_dict())
