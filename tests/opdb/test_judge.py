"""The judge of the op database tests tells a wrong answer from a refusal and from torch's answer.

Run on the recorded samples of ``sin`` and ``topk``, with stand-ins for glassgrad's op that are wrong
in one way each (value, dtype, shape, gradient, an unclear error) or refuse clearly.
"""

from __future__ import annotations

from typing import Any

import pytest

import glassgrad
from tests.opdb import fixtures
from tests.opdb.judge import run_sample


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
