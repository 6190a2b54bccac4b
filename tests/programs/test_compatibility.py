"""The claims of docs/pytorch.md, checked: everyday snippets run on glassgrad as on torch, and misuses are refused."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import glassgrad
from tests.programs.compat_snippets import REFUSED, WORKS


def run_snippet(snippet: str, lib: Any) -> Any:
    """Execute ``snippet`` with ``torch`` bound to ``lib`` (both seeded) and return its ``r``."""
    namespace = {"torch": lib, "nn": lib.nn, "F": lib.nn.functional, "np": np}
    lib.manual_seed(0)
    with warnings.catch_warnings():
        if lib is not glassgrad:  # torch's own advice (nested tensors, pin_memory) is not under test
            warnings.simplefilter("ignore")
        exec(snippet, namespace)  # noqa: S102 (our own snippets)
    return namespace.get("r")


def as_plain(value: Any) -> Any:
    """Tensors -> NumPy arrays, dtypes and devices -> their names, containers element-wise."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return np.asarray(value.detach().cpu().numpy())
    if isinstance(value, list | tuple):
        return [as_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: as_plain(v) for k, v in value.items()}
    if type(value).__name__ in ("dtype", "device"):
        return str(value).removeprefix("torch.")
    return value


def assert_same(ours: Any, theirs: Any, where: str) -> None:
    ours, theirs = as_plain(ours), as_plain(theirs)
    if isinstance(theirs, np.ndarray) or isinstance(ours, np.ndarray):
        ours, theirs = np.asarray(ours), np.asarray(theirs)
        assert ours.shape == theirs.shape, f"{where}: shape {ours.shape} vs torch {theirs.shape}"
        assert str(ours.dtype) == str(theirs.dtype), f"{where}: dtype {ours.dtype} vs torch {theirs.dtype}"
        np.testing.assert_allclose(ours.astype(float), theirs.astype(float), rtol=1e-4, atol=1e-5, equal_nan=True,
                                   err_msg=where)
    elif isinstance(theirs, list) and isinstance(ours, list):
        assert len(ours) == len(theirs), f"{where}: {len(ours)} items vs torch {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(theirs, dict) and isinstance(ours, dict):
        assert ours.keys() == theirs.keys(), where
        for key in theirs:
            assert_same(ours[key], theirs[key], f"{where}[{key!r}]")
    elif isinstance(theirs, float):
        assert ours == pytest.approx(theirs, rel=1e-4, abs=1e-5), f"{where}: {ours!r} vs torch {theirs!r}"
    else:
        assert ours == theirs, f"{where}: {ours!r} vs torch {theirs!r}"


@pytest.mark.parametrize("area", sorted(WORKS))
def test_snippets_run_on_glassgrad(area):
    failures = []
    for snippet in WORKS[area]:
        try:
            run_snippet(snippet, glassgrad)
        except Exception as err:  # noqa: BLE001 (collected and reported together)
            failures.append(f"{snippet}\n    -> {type(err).__name__}: {err}")
    assert not failures, "\n".join(failures)


@pytest.mark.torch_live
@pytest.mark.parametrize("area", sorted(WORKS))
def test_snippets_give_torch_results(area, torch):
    for snippet in WORKS[area]:
        assert_same(run_snippet(snippet, glassgrad), run_snippet(snippet, torch), snippet)


@pytest.mark.parametrize("snippet", REFUSED)
def test_misuse_is_refused_with_a_clear_error(snippet):
    if "cuda" in snippet and glassgrad.cuda.is_available():
        pytest.skip("a GPU is here")
    with pytest.raises((RuntimeError, ValueError, TypeError, IndexError, Exception)) as caught:
        run_snippet(snippet, glassgrad)
    assert str(caught.value), "the error must say what went wrong"


@pytest.mark.torch_live
@pytest.mark.parametrize("snippet", REFUSED)
def test_torch_refuses_the_same(snippet, torch):
    if "cuda" in snippet and torch.cuda.is_available():
        pytest.skip("a GPU is here")
    with pytest.raises(Exception):  # noqa: B017, PT011 (torch's exception types vary)
        run_snippet(snippet, torch)


@pytest.mark.parametrize("name", ["var", "std"])
def test_no_degrees_of_freedom_give_nan_and_a_warning(name):
    with pytest.warns(UserWarning, match=name):
        value = getattr(glassgrad.tensor([1.0]), name)()
    assert np.isnan(value.item())


def test_dataloader_accepts_torch_worker_arguments():
    """num_workers / pin_memory / persistent_workers as torch: worker processes read the batches."""
    dataset = glassgrad.utils.data.TensorDataset(glassgrad.arange(10.0))
    loader = glassgrad.utils.data.DataLoader(dataset, batch_size=4, shuffle=True, num_workers=2, pin_memory=True,
                                             persistent_workers=True)
    assert sorted(glassgrad.cat([batch for (batch,) in loader]).tolist()) == list(range(10))
