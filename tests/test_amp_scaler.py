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


def _train_with_a_cpu_scaler(lib, make_scaler):
    """Steps of SGD through a CPU scaler (one with an inf gradient, skipped), recording what torch shows."""
    scaler = make_scaler(lib)
    w = lib.tensor([1.0, -2.0], requires_grad=True)
    optimizer = lib.optim.SGD([w], lr=0.1)
    seen = [scaler.is_enabled(), scaler.get_scale(), scaler.state_dict()]
    for step in range(5):
        optimizer.zero_grad()
        weights = lib.tensor([float("inf") if step == 2 else 1.0, 1.0])
        scaled = scaler.scale((w * w * weights).sum())
        seen.append((scaled.item(), str(scaled.dtype).rsplit(".", 1)[-1]))
        scaled.backward()
        seen.append(w.grad.tolist())
        scaler.unscale_(optimizer)
        seen.append(w.grad.tolist())
        seen.append(scaler.step(optimizer))
        scaler.update()
        seen += [w.tolist(), scaler.get_scale(), scaler.state_dict()]
    return seen


SCALERS = {
    "positional cpu": lambda lib: lib.amp.GradScaler("cpu"),
    "device=cpu, small interval": lambda lib: lib.amp.GradScaler(device="cpu", init_scale=4.0, growth_interval=2),
    "disabled": lambda lib: lib.amp.GradScaler("cpu", enabled=False),
}


@pytest.mark.parametrize("name", SCALERS)
def test_a_cpu_scaler_scales_skips_and_grows_as_torch_s(torch, name) -> None:
    with np.errstate(invalid="ignore"):  # the disabled scaler steps on the inf gradient: NaN weights, as torch's
        ours = _train_with_a_cpu_scaler(gg, SCALERS[name])
        theirs = _train_with_a_cpu_scaler(torch, SCALERS[name])
    assert str(ours) == str(theirs)  # NaN == NaN as text


def _misuse(lib):
    """The order errors of a CPU scaler, and its settings, as the exception type names torch raises."""
    def outcome(call):
        try:
            result = call()
        except Exception as err:  # noqa: BLE001  (the type is what is compared)
            return type(err).__name__
        return result

    w = lib.tensor([1.0, -2.0], requires_grad=True)
    optimizer = lib.optim.SGD([w], lr=0.1)
    scaler = lib.amp.GradScaler("cpu")
    scaler.scale((w * w).sum()).backward()
    seen = [outcome(lambda: scaler.unscale_(optimizer)), outcome(lambda: scaler.unscale_(optimizer)),
            outcome(lambda: scaler.step(optimizer)), outcome(lambda: scaler.step(optimizer)),
            outcome(lambda: scaler.unscale_(optimizer)), outcome(scaler.update), outcome(scaler.update),
            outcome(lambda: scaler.step(optimizer, closure=lambda: 0)), outcome(lambda: scaler.scale(3.0)),
            outcome(lambda: lib.amp.GradScaler("cpu", growth_factor=0.5)),
            outcome(lambda: lib.amp.GradScaler("cpu", backoff_factor=1.5)),
            outcome(lambda: scaler.update(lib.tensor([1.0, 2.0])))]
    half = lib.tensor([1.0, 2.0], dtype=lib.float16, requires_grad=True)
    scaler.scale((half * half).sum()).backward()
    seen.append(outcome(lambda: scaler.step(lib.optim.SGD([half], lr=0.1))))
    seen += [str(scaler.scale(lib.tensor(2.0, dtype=lib.float16)).dtype).rsplit(".", 1)[-1],
             str(scaler.scale(lib.tensor([2.0], dtype=lib.float16)).dtype).rsplit(".", 1)[-1]]
    scaler.set_growth_factor(3.0)
    scaler.set_backoff_factor(0.25)
    scaler.set_growth_interval(5)
    scaler.update(16.0)
    seen.append(scaler.state_dict())
    restored = lib.amp.GradScaler("cpu")
    restored.load_state_dict(scaler.state_dict())
    seen += [restored.get_scale(), restored.get_growth_factor(), restored.get_backoff_factor(),
             restored.get_growth_interval()]
    return seen


def test_a_cpu_scaler_refuses_what_torch_s_refuses(torch) -> None:
    with np.errstate(over="ignore"):  # the float16 loss times 65536 overflows to inf, in both
        assert _misuse(gg) == _misuse(torch)
