"""Fixtures of the program tests: tiny MNIST files and a tiny text corpus, written once per session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.programs.harness import fake_mnist, tiny_corpus


@pytest.fixture(scope="session")
def mnist_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding MNIST/raw/*.gz with 8 training and 4 test images (torchvision's layout)."""
    return fake_mnist(tmp_path_factory.mktemp("mnist"), np.random.default_rng(0), n_train=8, n_test=4)


@pytest.fixture(scope="session")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding train.txt / valid.txt / test.txt of a few short sentences."""
    return tiny_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(autouse=True)
def one_blas_thread():
    """Run each program with one BLAS thread. On a small shared machine OpenBLAS's threads wait on each
    other: LBFGS's 1-D dot products took 24 ms each instead of 3 us, and these tests 37 s instead of 12 s."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield
