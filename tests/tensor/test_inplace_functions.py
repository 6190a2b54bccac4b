"""torch's module-level in-place functions (torch.exp_(x), torch.clamp_(x, lo, hi), ...) edit their
argument as its method does, against torch; the arc* and fix_ method aliases too."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

X = np.array([0.3, -0.7, 0.95, -0.2])

CALLS = [("exp_", ()), ("sin_", ()), ("arccos_", ()), ("arctanh_", ()), ("fix_", ()), ("clamp_", (-0.5, 0.5)),
         ("clamp_min_", (0.0,)), ("nan_to_num_", ()), ("logit_", (0.1,)), ("deg2rad_", ()), ("sinc_", ()),
         ("ldexp_", None), ("xlogy_", None), ("round_", ()), ("sigmoid_", ()), ("zero_", ()), ("square_", ())]


@pytest.mark.parametrize("name, args", CALLS, ids=[name for name, _ in CALLS])
def test_inplace_function_edits_its_argument_as_torch(torch, name, args) -> None:
    ours, theirs = gg.tensor(X.copy()), torch.tensor(X.copy())
    if args is None:  # a tensor argument
        result = getattr(gg, name)(ours, gg.tensor([2.0, 1.0, 0.5, 3.0], dtype=gg.float64))
        getattr(torch, name)(theirs, torch.tensor([2.0, 1.0, 0.5, 3.0], dtype=torch.float64))
    else:
        result = getattr(gg, name)(ours, *args)
        getattr(torch, name)(theirs, *args)
    assert result is ours
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    assert getattr(gg.tensor(X.copy()), name) is not None


def test_conj_physical_in_place_leaves_a_real_tensor_unchanged() -> None:
    x = gg.tensor(X.copy())
    assert gg.conj_physical_(x) is x and x.tolist() == X.tolist()
