"""Dropout1d/2d/3d take every input rank torch takes, drop along the axes torch drops along, and
warn with torch's words where torch warns (a 3-D input to dropout2d, unusual ranks)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad as gg

SIZES = (24, 24, 2, 2, 2, 2)  # long first axes: a per-channel mask shows as constant trailing axes


def _drop(m, name: str, ndim: int) -> dict:
    x = m.ones(*SIZES[:ndim])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = getattr(m.nn.functional, name)(x, 0.5, training=True)
        except RuntimeError as err:
            return {"error": str(err).split(": ", 1)[-1][:40]}  # (the oracle keeps no warnings of a failed call)
    values = np.asarray(out.tolist(), dtype=np.float64)
    constant_axes = [axis for axis in range(ndim)
                     if np.all(values == np.take(values, [0], axis=axis))]  # the mask is shared along this axis
    return {"constant_axes": constant_axes, "values": sorted(set(values.ravel().tolist())),
            "warnings": [str(w.message) for w in caught]}


@pytest.mark.parametrize("name, ndim", [(name, ndim) for name in ("dropout1d", "dropout2d", "dropout3d")
                                        for ndim in range(1, 7)])
def test_ranks_axes_and_warnings_match_torch(torch, name: str, ndim: int) -> None:
    ours, theirs = _drop(gg, name, ndim), _drop(torch, name, ndim)
    assert ours == theirs


def test_modules_use_the_functional_rules(torch) -> None:
    for layer, ndim in (("Dropout2d", 3), ("Dropout3d", 4), ("Dropout1d", 2)):
        with warnings.catch_warnings(record=True) as ours_caught:
            warnings.simplefilter("always")
            getattr(gg.nn, layer)(0.5)(gg.ones(*SIZES[:ndim]))
        with warnings.catch_warnings(record=True) as theirs_caught:
            warnings.simplefilter("always")
            getattr(torch.nn, layer)(0.5)(torch.ones(*SIZES[:ndim]))
        assert [str(w.message) for w in ours_caught] == [str(w.message) for w in theirs_caught], layer


def test_eval_mode_and_p_zero_return_the_input_unchanged() -> None:
    x = gg.ones(2, 3, 4, 4, 4)
    assert gg.nn.Dropout3d(0.5).eval()(x) is x
    assert gg.nn.functional.dropout3d(x, 0.0) is x
    assert float(gg.nn.functional.dropout3d(x, 1.0).abs().sum()) == 0.0
