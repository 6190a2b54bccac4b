"""torch.histogram and torch.histc (ops/histogram.py, ops/counting.py) against torch: values, edges, dtypes."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from glassgrad.ops.histogram import torch_linspace


def _same(ours, theirs, exact: bool = True):
    expected = np.asarray(theirs)
    assert ours.dtype == expected.dtype, (ours.dtype, expected.dtype)
    assert tuple(ours.shape) == expected.shape
    if exact:
        np.testing.assert_array_equal(ours.numpy(), expected)
    else:
        np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-6)


def _cases(rng):
    """(values, bins, keyword arguments) for both sides; bins an int or an array of edges."""
    spread = (rng.standard_normal(200) * 37 + 5).astype(np.float32)
    on_edges = np.arange(-4.0, 5.0, 0.5)  # many values exactly on equal-width edges
    return [
        (spread, 7, {}),
        (spread.astype(np.float64), 13, {}),
        (spread.reshape(20, 10), 5, {"range": (-20.0, 30.0)}),
        (on_edges, 16, {}),
        (on_edges.astype(np.float32), 9, {"range": (-3.0, 3.0)}),
        (np.array([2.0, 2.0]), 4, {}),  # zero-width span: widened by 0.5
        (np.array([], dtype=np.float32), 3, {}),  # empty: [0, 1]
        (np.array([1.0, np.nan, np.inf, 2.0]), 2, {"range": (0.0, 3.0)}),  # NaN and inf outside: not counted
        (on_edges, np.array([-4.0, -1.0, 0.0, 0.5, 4.5]), {}),
        (spread, np.array([-50.0, 0.0, 50.0], dtype=np.float32), {}),
    ]


def test_histogram_matches_torch(rng, torch):
    for values, bins, kw in _cases(rng):
        ours = glassgrad.histogram(glassgrad.tensor(values), glassgrad.tensor(bins) if np.ndim(bins) else bins, **kw)
        theirs = torch.histogram(torch.tensor(values), torch.tensor(bins) if np.ndim(bins) else bins, **kw)
        _same(ours.hist, theirs.hist)
        _same(ours.bin_edges, theirs.bin_edges)


def _weighted(lib, values, weight, kw):
    """lib.histogram of ``values`` in 6 bins with ``kw``, where a "w" stands for the ``weight`` tensor."""
    args = {k: (lib.tensor(weight) if v == "w" else v) for k, v in kw.items()}
    return lib.histogram(lib.tensor(values), 6, **args)


def test_weighted_and_density_histograms_match_torch(rng, torch):
    for dtype in (np.float32, np.float64):
        values = rng.uniform(-3, 3, size=(6, 7)).astype(dtype)
        weight = rng.uniform(0, 2, size=(6, 7)).astype(dtype)
        for kw in ({"density": True}, {"weight": "w"}, {"weight": "w", "density": True}, {"range": (-1.0, 1.0)}):
            ours, theirs = (_weighted(lib, values, weight, kw) for lib in (glassgrad, torch))
            _same(ours.hist, theirs.hist, exact=False)  # sums in another order: last bits may differ
            _same(ours.bin_edges, theirs.bin_edges)
    empty = glassgrad.histogram(glassgrad.tensor(np.zeros(0, np.float32)), 2, density=True)
    _same(empty.hist, torch.histogram(torch.tensor(np.zeros(0, np.float32)), 2, density=True).hist)  # NaN, NaN


def test_method_named_fields_and_tuple_unpacking(torch):
    data = [1.0, 2.0, 1.0, 4.0, 2.5]
    result = glassgrad.tensor(data).histogram(4)
    hist, edges = result
    assert type(result).__name__ == "histogram" and result.hist is hist and result.bin_edges is edges
    theirs = torch.tensor(data).histogram(4)
    _same(hist, theirs.hist)
    _same(edges, theirs.bin_edges)


def test_no_derivative_as_torch(torch):
    for make in (lambda lib: lib.histogram(lib.tensor([1.0, 2.0, 3.0], requires_grad=True), 2),
                 lambda lib: lib.histogram(lib.tensor([1.0, 2.0, 3.0]), 2, weight=lib.ones(3, requires_grad=True)),
                 lambda lib: lib.histogram(lib.tensor([1.0, 2.0, 3.0]),
                                           lib.tensor([0.0, 2.0, 4.0], requires_grad=True)),
                 lambda lib: lib.histogram(lib.tensor([1.0, 2.0, 3.0]), 2)):
        ours, theirs = make(glassgrad), make(torch)
        assert (ours.hist.requires_grad, ours.bin_edges.requires_grad) == \
            (theirs.hist.requires_grad, theirs.bin_edges.requires_grad)
    with pytest.raises(RuntimeError, match="derivative for histogram is not implemented"):
        glassgrad.histogram(glassgrad.tensor([1.0, 2.0], requires_grad=True), 2).hist.sum().backward()
    with glassgrad.no_grad():
        assert not glassgrad.histogram(glassgrad.tensor([1.0, 2.0], requires_grad=True), 2).hist.requires_grad


def test_bad_inputs_raise_torchs_errors():
    x = glassgrad.tensor([1.0, 2.0, 3.0])
    with pytest.raises(NotImplementedError, match="\"histogramdd\" not implemented for 'Long'"):
        glassgrad.histogram(glassgrad.tensor([1, 2]), 3)
    with pytest.raises(RuntimeError, match="bins must be > 0, but got 0"):
        glassgrad.histogram(x, 0)
    with pytest.raises(RuntimeError, match="min should not exceed max"):
        glassgrad.histogram(x, 3, range=(3.0, 1.0))
    with pytest.raises(RuntimeError, match="is not finite"):
        glassgrad.histogram(glassgrad.tensor([1.0, float("nan")]), 3)
    with pytest.raises(RuntimeError, match="same dtype"):
        glassgrad.histogram(x, glassgrad.tensor([0.0, 1.0], dtype=glassgrad.float32).double())
    with pytest.raises(RuntimeError, match="same shape"):
        glassgrad.histogram(x, 3, weight=glassgrad.ones(4))
    with pytest.raises(RuntimeError, match="one dimension"):
        glassgrad.histogram(x, glassgrad.tensor([[0.0, 1.0]]))
    with pytest.raises(RuntimeError, match="strictly increasing"):  # torch gives a meaningless count here
        glassgrad.histogram(x, glassgrad.tensor([2.0, 1.0, 3.0]))
    with pytest.raises(TypeError, match="range is only accepted"):
        glassgrad.histogram(x, glassgrad.tensor([0.0, 1.0]), range=(0.0, 1.0))
    with pytest.raises(TypeError, match="bins must be an int"):
        glassgrad.histogram(x, True)


def test_histc_matches_torch_on_values_lying_on_edges(rng, torch):
    values = np.concatenate([np.arange(-6.0, 6.0, 0.25), rng.standard_normal(100) * 4]).astype(np.float32)
    for bins, low, high in ((12, 0, 0), (48, -6, 6), (7, -1, 2.5), (3, 5, 5)):
        _same(glassgrad.histc(glassgrad.tensor(values), bins, low, high),
              torch.histc(torch.tensor(values), bins, low, high))
    _same(glassgrad.histc(glassgrad.tensor([2.0, 2.0]), 4), torch.histc(torch.tensor([2.0, 2.0]), 4))  # widened by 1
    with pytest.raises(NotImplementedError, match="\"histogram_cpu\" not implemented for 'Long'"):
        glassgrad.histc(glassgrad.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="range of \\[1.0, inf\\] is not finite"):
        glassgrad.histc(glassgrad.tensor([1.0, float("inf")]))
    with pytest.raises(RuntimeError, match="max must be larger than min"):
        glassgrad.histc(glassgrad.tensor([1.0]), 3, min=3, max=1)


def test_edges_are_rounded_as_torchs_linspace(rng, torch):
    for dtype in (np.float32, np.float64):
        for _ in range(20):
            low, high = sorted(rng.standard_normal(2) * rng.uniform(0.1, 500))
            steps = int(rng.integers(2, 60))
            expected = torch.linspace(float(dtype(low)), float(dtype(high)), steps,
                                      dtype=torch.float32 if dtype == np.float32 else torch.float64)
            np.testing.assert_array_equal(torch_linspace(low, high, steps, dtype), np.asarray(expected))
