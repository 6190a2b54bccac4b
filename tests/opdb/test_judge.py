"""The judge of the op database tests tells a wrong answer from a refusal and from torch's answer.

Run on the recorded samples of ``sin``, ``topk``, ``linalg.eigh`` and ``linalg.eig``, with stand-ins for
glassgrad's op that are wrong in one way each (value, dtype, shape, gradient, an unclear error) or refuse clearly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import glassgrad
from tests.opdb import fixtures, gauge
from tests.opdb.codec import Answer
from tests.opdb.judge import differs, run_sample


def verdicts(key: str, call: Any, dtype: str = "float64") -> list[str]:
    record, store = fixtures.read_samples("ops", key)
    return [run_sample(glassgrad, call, sample, store, "", name=key).verdict for sample in record["samples"][dtype]]


def test_glassgrad_sin_passes() -> None:
    assert set(verdicts("sin", glassgrad.sin)) == {"pass"}


@pytest.mark.parametrize("wrong", [
    lambda x: glassgrad.sin(x) * 1.001,  # a value
    lambda x: glassgrad.sin(x).float(),  # a dtype
    lambda x: glassgrad.sin(x).reshape(-1)[:1],  # a shape
    lambda x: glassgrad.sin(x.detach()) + 0 * x,  # the gradient (the value is right)
    lambda x: {}["no such key"],  # an unclear error
], ids=["value", "dtype", "shape", "gradient", "unclear-error"])
def test_a_wrong_answer_is_wrong(wrong: Any) -> None:
    assert "wrong" in verdicts("sin", wrong)


@pytest.mark.parametrize("error", [NotImplementedError, TypeError, RuntimeError, ValueError])
def test_a_clear_refusal_is_unsupported(error: type[Exception]) -> None:
    def refuse(x: Any) -> Any:
        raise error("not supported here")
    assert set(verdicts("sin", refuse)) == {"unsupported"}


def test_topk_indices_may_differ_among_equal_values() -> None:
    """topk's indices of equal values are unspecified: glassgrad's pick passes if it names equal values."""
    def reversed_ties(x: Any, k: int, dim: int = -1, *args: Any, **kwargs: Any) -> Any:
        flipped = x.flip(dim)  # a tie now resolves to the other element
        values, indices = glassgrad.topk(flipped, k, dim, *args, **kwargs)
        return values, x.shape[dim] - 1 - indices if x.dim() else indices
    assert set(verdicts("topk", reversed_ties, "int64")) == {"pass"}
    assert "wrong" in verdicts("topk", lambda x, k, *a, **kw: (glassgrad.topk(x, k, *a, **kw)[0],
                                                                glassgrad.topk(x, k, *a, **kw)[1] * 0), "int64")


def _flip_eigenvectors(x: Any, *args: Any, **kwargs: Any) -> Any:
    values, vectors = glassgrad.linalg.eigh(x, *args, **kwargs)
    return values, -vectors


def test_decompositions_are_judged_in_torch_gauge() -> None:
    """An eigenvector may be negated (torch's and NumPy's LAPACK pick different signs): glassgrad's eigh, and
    eigh with every sign flipped, pass values and gradients; a factor that is wrong, not merely negated, fails."""
    assert set(verdicts("linalg.eigh", glassgrad.linalg.eigh)) == {"pass"}
    assert set(verdicts("linalg.eigh", _flip_eigenvectors)) == {"pass"}

    def swapped(x: Any, *args: Any, **kwargs: Any) -> Any:  # two eigenvectors exchanged: not a gauge
        values, vectors = glassgrad.linalg.eigh(x, *args, **kwargs)
        return values, vectors.flip(-1) if vectors.shape[-1] > 1 else vectors * 2

    def detached(x: Any, *args: Any, **kwargs: Any) -> Any:  # right values, the eigenvectors' gradient lost
        values, vectors = glassgrad.linalg.eigh(x, *args, **kwargs)
        return values, vectors.detach() + 0 * x
    assert "wrong" in verdicts("linalg.eigh", swapped)
    assert "wrong" in verdicts("linalg.eigh", detached)


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_complex_eigenvectors_are_judged_up_to_a_phase(dtype: str) -> None:
    """linalg.eig's unit eigenvectors times any e^{i phi} per column pass values and gradients (torch's
    upstream gradients were made phase-invariant); the eigenvectors conjugated or detached fail."""
    def rotated(x: Any) -> Any:
        values, vectors = glassgrad.linalg.eig(x)
        phases = np.exp(1j * np.arange(1, vectors.shape[-1] + 1))
        return values, vectors * glassgrad.tensor(phases, dtype=vectors.dtype)

    def conjugated(x: Any) -> Any:
        values, vectors = glassgrad.linalg.eig(x)
        return values, vectors.conj()

    def detached(x: Any) -> Any:
        values, vectors = glassgrad.linalg.eig(x)
        return values, vectors.detach() + 0 * x
    assert set(verdicts("linalg.eig", glassgrad.linalg.eig, dtype)) == {"pass"}
    assert set(verdicts("linalg.eig", rotated, dtype)) == {"pass"}
    if dtype == "complex128":  # a real matrix's conjugated eigenvectors are those of its other eigenvalue
        assert "wrong" in verdicts("linalg.eig", conjugated, dtype)
    assert "wrong" in verdicts("linalg.eig", detached, dtype)


def test_only_decompositions_are_aligned() -> None:
    """The gauge never reaches another op: a negated answer of an op outside GAUGES stays wrong."""
    assert "sort" not in gauge.GAUGES
    assert "wrong" in verdicts("linalg.eigvalsh", lambda x, *a, **kw: -glassgrad.linalg.eigvalsh(x, *a, **kw))


def test_full_svd_extra_columns_may_be_any_basis() -> None:
    """With full_matrices, U's columns beyond min(m, n) are any orthonormal basis of the rest: a rotation of
    them (and a sign per singular pair) aligns; a U whose shared columns are rotated does not."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((5, 2))
    u, s, vh = np.linalg.svd(a)
    expected = [Answer(u, "float64"), Answer(s, "float64"), Answer(vh, "float64")]
    turn = np.linalg.qr(rng.standard_normal((3, 3)))[0]
    signs = np.array([-1.0, 1.0])
    mine_u = np.concatenate([u[:, :2] * signs, u[:, 2:] @ turn], axis=1)
    mine = (glassgrad.tensor(mine_u), glassgrad.tensor(s), glassgrad.tensor(signs[:, None] * vh))
    aligned = gauge.align("linalg.svd", expected, mine, glassgrad)
    assert differs(expected, aligned, glassgrad) is None
    mixed = mine_u.copy()
    mixed[:, :2] = mine_u[:, :2] @ np.array([[0.6, -0.8], [0.8, 0.6]])  # a rotation of two singular vectors
    wrong = (glassgrad.tensor(mixed), glassgrad.tensor(s), glassgrad.tensor(signs[:, None] * vh))
    assert differs(expected, gauge.align("linalg.svd", expected, wrong, glassgrad), glassgrad) is not None
