"""cov and corrcoef against torch: plain, with correction, frequency and importance weights, a 1-d
input, integer inputs; gradients in float64; torch's errors and its warning when no degree of
freedom is left."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from tests.helpers.oracle import compare_with_torch

X = np.array([[0.5, 1.0, 2.5, 4.0, -1.0], [2.0, 1.5, 0.0, -1.0, 0.25], [1.0, -0.5, 3.0, 2.0, 1.0]])
FREQUENCY = np.array([1, 2, 1, 3, 1])
IMPORTANCE = np.array([0.5, 1.0, 2.0, 0.25, 1.5])


@pytest.mark.parametrize("correction", [0, 1, 2])
@pytest.mark.parametrize("weights", ["none", "fweights", "aweights", "both"])
def test_cov_matches_torch(torch, correction, weights) -> None:
    def kwargs(make):
        out = {"correction": correction}
        if weights in ("fweights", "both"):
            out["fweights"] = make(FREQUENCY)
        if weights in ("aweights", "both"):
            out["aweights"] = make(IMPORTANCE)
        return out

    compare_with_torch(lambda a: gg.cov(a, **kwargs(gg.tensor)), lambda a: torch.cov(a, **kwargs(torch.tensor)),
                       [X], torch)


def test_cov_of_one_variable_and_corrcoef_match_torch(torch) -> None:
    compare_with_torch(gg.cov, torch.cov, [X[0]], torch)
    compare_with_torch(gg.corrcoef, torch.corrcoef, [X], torch)
    compare_with_torch(lambda a: a.corrcoef(), lambda a: a.corrcoef(), [X[1]], torch)
    ints = np.array([[1, 2, 4], [0, 1, 1]])
    np.testing.assert_allclose(gg.cov(gg.tensor(ints)).numpy(), torch.cov(torch.tensor(ints)).numpy(), rtol=1e-6)
    assert gg.tensor(ints).cov().dtype == gg.float32


def test_cov_refuses_what_torch_refuses_and_warns_without_degrees_of_freedom() -> None:
    x = gg.tensor(X)
    with pytest.raises(RuntimeError, match="two or fewer dimensions"):
        gg.cov(gg.zeros(2, 3, 4))
    with pytest.raises(RuntimeError, match="integral dtype"):
        gg.cov(x, fweights=gg.tensor(FREQUENCY.astype(float)))
    with pytest.raises(RuntimeError, match="cannot be negative"):
        gg.cov(x, aweights=gg.tensor(-IMPORTANCE))
    with pytest.raises(RuntimeError, match="same numel"):
        gg.cov(x, fweights=gg.tensor([1, 2]))
    with pytest.warns(UserWarning, match="degrees of freedom"):
        out = gg.cov(gg.tensor([[1.0], [2.0]]))
    assert np.isnan(out.numpy()).all()
