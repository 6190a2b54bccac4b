"""kernels/parallel.py: the thread split covers every element once and changes no number."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import threads
from glassgrad.kernels import adam, gelu, parallel


@pytest.fixture
def three_threads(monkeypatch):
    """Split into up to three slices, even for small test arrays."""
    monkeypatch.setattr(threads, "_num_threads", 3)
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 10)


def test_split_run_visits_every_element_once(three_threads):
    seen = np.zeros(100, dtype=np.int64)
    slices = []

    def mark(a):
        a += 1
        slices.append(a.size)

    parallel.split_run(mark, (seen,))
    assert (seen == 1).all()
    assert sorted(slices) == [33, 33, 34]


def test_small_arrays_stay_on_the_calling_thread(monkeypatch):
    monkeypatch.setattr(threads, "_num_threads", 2)
    calls = []
    parallel.split_run(lambda a: calls.append(a.size), (np.zeros(parallel.MIN_ELEMENTS),))
    assert calls == [parallel.MIN_ELEMENTS]


def test_kernel_error_reaches_the_caller(three_threads):
    def fail(a):
        if a[0] > 50:
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        parallel.split_run(fail, (np.arange(100.0),))


def test_gelu_split_equals_one_thread(three_threads, monkeypatch):
    x = np.random.default_rng(0).standard_normal((7, 11)).astype(np.float32) * 3
    split = gelu.gelu_forward(x)
    monkeypatch.setattr(threads, "_num_threads", 1)
    whole = gelu.gelu_forward(x)
    for a, b in zip(split, whole):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_split_equals_one_thread(three_threads, monkeypatch, amsgrad):
    rng = np.random.default_rng(1)

    def run():
        p, g = rng.standard_normal((9, 13)).astype(np.float32), rng.standard_normal((9, 13)).astype(np.float32)
        m, v = np.zeros_like(p), np.zeros_like(p)
        top = np.zeros_like(p) if amsgrad else None
        for step in (1, 2, 3):
            adam.adam_update(p, g, m, v, step, lr=1e-2, beta1=0.9, beta2=0.99, eps=1e-8, max_exp_avg_sq=top)
        return p, m, v

    rng = np.random.default_rng(1)
    split = run()
    monkeypatch.setattr(threads, "_num_threads", 1)
    rng = np.random.default_rng(1)
    whole = run()
    for a, b in zip(split, whole):
        np.testing.assert_array_equal(a, b)


def test_a_forked_child_makes_its_own_pool(monkeypatch):
    """A child forked after the parent used the pool (a DataLoader worker, a sweep job) must not
    wait on the parent's threads, which the child does not have."""
    import multiprocessing

    monkeypatch.setattr(threads, "_num_threads", 2)
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 10)

    parallel.split_run(lambda a: None, (np.zeros(100),))  # the parent's pool exists now
    context = multiprocessing.get_context("fork")
    child = context.Process(target=parallel.split_run, args=(np.negative, (np.zeros(100),)))
    child.start()
    child.join(timeout=30)
    assert child.exitcode == 0
