"""In-place arithmetic on any tensor that is not a view, 0-d results of reductions included
(``loglik = x.sum(); loglik += torch.log(p)``), and the refusal kept for real read-only arrays."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

VALUES = np.array([[0.5, 1.5, -2.0], [3.0, 0.25, 1.0]])

# name -> the op, called the same way on glassgrad and on torch; every result is 0-d
ZERO_D_RESULTS = {
    "sum": lambda m, x: x.sum(),
    "mean": lambda m, x: x.mean(),
    "prod": lambda m, x: x.prod(),
    "max": lambda m, x: x.max(),
    "min": lambda m, x: x.min(),
    "amax": lambda m, x: m.amax(x),
    "std": lambda m, x: x.std(),
    "var": lambda m, x: x.var(),
    "norm": lambda m, x: x.norm(),
    "logsumexp": lambda m, x: m.logsumexp(x.flatten(), 0),
    "dot": lambda m, x: m.dot(x[0], x[1]),
    "mse_loss": lambda m, x: m.nn.functional.mse_loss(x, x * 2),
    "scalar op": lambda m, x: m.log(m.tensor(0.5, dtype=m.float64)) * 2,
    "scalar tensor": lambda m, x: m.tensor(0.0, dtype=m.float64),
}


@pytest.mark.parametrize("name", list(ZERO_D_RESULTS))
def test_compound_assignment_on_a_zero_d_result_matches_torch(torch, name: str) -> None:
    make = ZERO_D_RESULTS[name]
    results = []
    for m in (gg, torch):
        total = make(m, m.tensor(VALUES))
        total += m.log(m.tensor(0.5, dtype=m.float64))  # right side 0-d too
        total *= 3
        total.sub_(1).div_(2)
        results.append(np.asarray(total.tolist()))
    assert results[0].shape == ()
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


def test_inplace_on_a_zero_d_result_inside_a_graph_matches_torch(torch) -> None:
    grads = []
    for m in (gg, torch):
        w = m.tensor(VALUES, requires_grad=True)
        loglik = (w * w).sum()
        loglik += m.log(w[0, 1])
        loglik.mul_(w[1, 0])
        loglik.backward()
        grads.append(np.asarray(w.grad.tolist()))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_zero_d_results_are_ordinary_writeable_arrays() -> None:
    x = gg.tensor(VALUES)
    for name, make in ZERO_D_RESULTS.items():
        out = make(gg, x)
        assert isinstance(out.array, np.ndarray) and out.array.flags.writeable, name


def test_an_expanded_view_is_still_refused_as_a_broadcast_view() -> None:
    view = gg.ones(3).expand(2, 3)
    with pytest.raises(RuntimeError, match="an expanded or broadcast view"):
        view.add_(1)
    scalar_view = gg.tensor(2.0).expand(4)
    with pytest.raises(RuntimeError, match="an expanded or broadcast view"):
        scalar_view += 1


def test_a_read_only_numpy_array_is_refused_with_its_own_reason() -> None:
    array = np.ones(3)
    array.flags.writeable = False
    t = gg.from_numpy(array)
    with pytest.raises(RuntimeError, match="read-only or memory-mapped NumPy array"):
        t.mul_(2)
