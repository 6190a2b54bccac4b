"""set_grad_enabled and inference_mode, as torch (call, context manager, decorator)."""

from __future__ import annotations

import glassgrad


def test_set_grad_enabled_as_a_call_and_a_context_manager():
    x = glassgrad.ones(2, requires_grad=True)
    glassgrad.set_grad_enabled(False)
    try:
        assert not glassgrad.is_grad_enabled() and not (x * 2).requires_grad
    finally:
        glassgrad.set_grad_enabled(True)
    assert glassgrad.is_grad_enabled()
    for phase in ("train", "val"):  # the transfer-learning tutorial's loop
        with glassgrad.set_grad_enabled(phase == "train"):
            assert (x * 2).requires_grad == (phase == "train")
        assert glassgrad.is_grad_enabled()
    with glassgrad.no_grad():
        with glassgrad.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not glassgrad.is_grad_enabled()


def test_set_grad_enabled_as_a_decorator_only_acts_inside():
    @glassgrad.set_grad_enabled(False)
    def inside() -> bool:
        return glassgrad.is_grad_enabled()

    assert glassgrad.is_grad_enabled()
    assert inside() is False and glassgrad.is_grad_enabled()


def test_inference_mode():
    x = glassgrad.ones(2, requires_grad=True)
    with glassgrad.inference_mode():
        y = x * 2
    assert not y.requires_grad and glassgrad.is_grad_enabled()
    with glassgrad.inference_mode(False):
        assert (x * 2).requires_grad

    @glassgrad.inference_mode()
    def predict(t):
        return t * 3

    assert not predict(x).requires_grad
