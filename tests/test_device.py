"""Devices: torch.device parsing, the cuda / accelerator / backends modules, thread settings,
and the one clear error for 'cuda' on a machine without CuPy and a GPU."""

from __future__ import annotations

import importlib
import os

import pytest

import glassgrad as gg
from glassgrad import threads

no_gpu = pytest.mark.skipif(gg.cuda.is_available(), reason="this machine has CuPy and a GPU")


def test_device_parsing_and_equality() -> None:
    assert gg.device("cuda:1").type == "cuda" and gg.device("cuda:1").index == 1
    assert gg.device("cuda", 0) == gg.device("cuda:0") == "cuda"
    assert gg.device(0) == gg.device("cuda:0")
    assert gg.device(gg.device("cpu")) == "cpu"
    assert str(gg.device("cuda", 2)) == "cuda:2" and repr(gg.device("cpu")) == "device(type='cpu')"
    assert len({gg.device("cpu"), gg.device("cpu")}) == 1
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda, mps device type"):
        gg.device("tpu")


@pytest.mark.parametrize(
    "make",
    [
        lambda d: gg.zeros(2, device=d), lambda d: gg.ones(2, device=d), lambda d: gg.empty(2, device=d),
        lambda d: gg.full((2,), 1.0, device=d), lambda d: gg.eye(2, device=d), lambda d: gg.arange(3, device=d),
        lambda d: gg.linspace(0, 1, 3, device=d), lambda d: gg.logspace(0, 1, 3, device=d),
        lambda d: gg.tensor([1.0], device=d), lambda d: gg.as_tensor([1.0], device=d),
        lambda d: gg.rand(2, device=d), lambda d: gg.randn(2, device=d), lambda d: gg.randint(3, (2,), device=d),
        lambda d: gg.randperm(3, device=d), lambda d: gg.normal(0.0, 1.0, (2,), device=d),
        lambda d: gg.zeros_like(gg.ones(2), device=d), lambda d: gg.randn_like(gg.ones(2), device=d),
    ],
)
def test_every_factory_accepts_cpu(make) -> None:
    for target in ("cpu", gg.device("cpu")):
        assert make(target).device == gg.device("cpu")


@no_gpu
def test_cuda_modules_without_a_gpu() -> None:
    assert gg.cuda.is_available() is False
    assert gg.cuda.device_count() == 0
    assert gg.cuda.memory_allocated() == 0
    gg.cuda.manual_seed(0)
    gg.cuda.manual_seed_all(0)
    gg.cuda.synchronize()
    gg.cuda.empty_cache()
    assert gg.accelerator.is_available() is False
    assert gg.accelerator.current_accelerator() is None
    assert gg.accelerator.device_count() == 0


@no_gpu
@pytest.mark.parametrize(
    "call",
    [
        lambda: gg.zeros(2, device="cuda"),
        lambda: gg.randn(2, device="cuda"),
        lambda: gg.tensor([1.0], device="cuda:0"),
        lambda: gg.ones(2).to("cuda"),
        lambda: gg.ones(2).cuda(),
        lambda: gg.set_default_device("cuda"),
        lambda: gg.cuda.current_device(),
    ],
)
def test_cuda_without_cupy_is_one_clear_error(call) -> None:
    with pytest.raises(RuntimeError, match="device 'cuda' needs CuPy and an NVIDIA GPU"):
        call()


def test_unsupported_device_types_say_so() -> None:
    with pytest.raises(RuntimeError, match="glassgrad has no 'mps' backend"):
        gg.zeros(2, device="mps")


def test_default_device(monkeypatch) -> None:
    device_module = importlib.import_module("glassgrad.device")  # glassgrad.device itself is the class
    monkeypatch.setattr(device_module, "_default_device", None)
    assert gg.get_default_device() == "cpu"
    gg.set_default_device("cpu")
    assert gg.zeros(1).device == "cpu"
    gg.set_default_device(None)
    assert gg.get_default_device() == "cpu"


def test_backends_switches_are_settable(monkeypatch) -> None:
    assert gg.backends.mps.is_available() is False and gg.backends.mps.is_built() is False
    assert gg.backends.cudnn.is_available() is False
    for name, value in [("deterministic", True), ("benchmark", True), ("enabled", False), ("allow_tf32", False)]:
        monkeypatch.setattr(gg.backends.cudnn, name, value)
        assert getattr(gg.backends.cudnn, name) is value
    monkeypatch.setattr(gg.backends.cuda.matmul, "allow_tf32", True)
    assert gg.backends.cuda.matmul.allow_tf32 is True
    import glassgrad.backends.cudnn as cudnn  # the way scripts import it

    assert cudnn is gg.backends.cudnn


def test_thread_settings(monkeypatch) -> None:
    monkeypatch.setattr(threads, "_num_threads", None)
    monkeypatch.setattr(threads, "_num_interop_threads", None)
    assert gg.get_num_threads() >= 1
    gg.set_num_threads(1)
    assert gg.get_num_threads() == 1
    gg.set_num_interop_threads(2)
    assert gg.get_num_interop_threads() == 2
    with pytest.raises(ValueError, match="set_num_threads: expected a positive int"):
        gg.set_num_threads(0)


def test_thread_default_follows_omp_num_threads_as_torch(monkeypatch) -> None:
    monkeypatch.setattr(threads, "_num_threads", None)
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 4)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert gg.get_num_threads() == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "8")
    assert gg.get_num_threads() == 4  # never more than the CPUs (torch 2.13 gives the same)
    for unusable in ("0", "two", ""):
        monkeypatch.setenv("OMP_NUM_THREADS", unusable)
        assert gg.get_num_threads() == (os.cpu_count() or 1)


def test_generator_accepts_a_device() -> None:
    assert gg.Generator(device="cpu").device == "cpu"
    assert gg.Generator("cuda").device == "cuda"  # draws happen on the host either way


def test_autocast_and_grad_scaler_leave_training_unchanged() -> None:
    w = gg.tensor([1.0, -2.0], requires_grad=True)
    optimizer = gg.optim.SGD([w], lr=0.1)
    scaler = gg.amp.GradScaler("cpu")
    with gg.autocast(device_type="cpu", dtype=gg.float16):
        loss = (w * w).sum()
    assert loss.dtype == gg.float32  # no precision change
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    scaler.step(optimizer)
    scaler.update()
    assert w.tolist() == pytest.approx([0.8, -1.6])
    assert scaler.get_scale() == 65536.0 and gg.cuda.amp.GradScaler is gg.amp.GradScaler  # torch's CPU scaler scales

    @gg.amp.autocast()
    def double(x):
        return x * 2

    assert double(gg.ones(1)).item() == 2.0
