"""``glassgrad.testing``: ``assert_close`` passes and fails where torch.testing's does, with torch's
report, and ``make_tensor`` makes tensors of the shape, dtype, range and layout torch's makes."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

NAN, INF = float("nan"), float("inf")

# name -> (actual, expected, keyword options), each built with a module m; numpy arrays used as is
CASES = {
    "equal": lambda m: (m.tensor([1.0, 2.0]), m.tensor([1.0, 2.0]), {}),
    "within float32 tolerance": lambda m: (m.tensor([1.0, 2.0]), m.tensor([1.0, 2.0 + 1e-6]), {}),
    "one value off": lambda m: (m.tensor([1.0, 2.0, 3.0]), m.tensor([1.0, 2.5, 3.0]), {}),
    "2-d": lambda m: (m.tensor([[1.0, 2.0], [3.0, 4.0]]), m.tensor([[1.0, 2.0], [3.0, 5.0]]), {}),
    "many off": lambda m: (m.arange(10.0), m.arange(10.0) * 1.1, {}),
    "float64": lambda m: (m.tensor([1.0], dtype=m.float64), m.tensor([1.0 + 1e-6], dtype=m.float64), {}),
    "integers": lambda m: (m.tensor([1, 2]), m.tensor([1, 3]), {}),
    "bools": lambda m: (m.tensor([True, False]), m.tensor([True, True]), {}),
    "0-d": lambda m: (m.tensor(1.0), m.tensor(2.0), {}),
    "nan": lambda m: (m.tensor([NAN]), m.tensor([NAN]), {}),
    "nan equal_nan": lambda m: (m.tensor([NAN, 1.0]), m.tensor([NAN, 1.0]), {"equal_nan": True}),
    "inf": lambda m: (m.tensor([INF]), m.tensor([1.0]), {}),
    "same inf": lambda m: (m.tensor([INF, -INF]), m.tensor([INF, -INF]), {}),
    "zero tolerance": lambda m: (m.tensor([1e-6, 0.0]), m.tensor([0.0, 0.0]), {"rtol": 0.0, "atol": 0.0}),
    "loose tolerance": lambda m: (m.tensor([1.0]), m.tensor([1.1]), {"rtol": 0.0, "atol": 0.2}),
    "dtype unchecked": lambda m: (m.ones(2), m.ones(2, dtype=m.float64) * (1 + 2e-6), {"check_dtype": False}),
    "python floats": lambda m: (1.0, 1.5, {}),
    "python ints": lambda m: (1, 2, {}),
    "list": lambda m: ([m.ones(2), m.zeros(2)], [m.ones(2), m.ones(2)], {}),
    "tuple and list": lambda m: ((1, 2), [1, 2], {}),
    "dict": lambda m: ({"a": m.ones(2)}, {"a": m.zeros(2)}, {}),
    "nested": lambda m: ({"w": [m.ones(1), m.ones(2)]}, {"w": [m.ones(1), m.zeros(2)]}, {}),
    "dict keys": lambda m: ({"a": m.ones(2)}, {"b": m.ones(2)}, {}),
    "lengths": lambda m: ([1, 2], [1, 2, 3], {}),
    "shapes": lambda m: (m.ones(2), m.ones(3), {}),
    "strides": lambda m: (m.ones(2, 3), m.ones(3, 2).t(), {"check_stride": True}),
    "numpy": lambda m: (np.ones(2), np.array([1.0, 2.0]), {}),
    "custom message": lambda m: (m.ones(2), m.zeros(2), {"msg": "custom"}),
    "booleans": lambda m: (True, False, {}),
    "none": lambda m: (None, None, {}),
    "none and a number": lambda m: (None, 1, {}),
    "int and float": lambda m: (1, 1.0, {}),
    "float16": lambda m: (m.ones(2, dtype=m.float16), m.ones(2, dtype=m.float16) * 1.01, {}),
}


def _outcome(m, name: str) -> tuple[str, str]:
    actual, expected, options = CASES[name](m)
    try:
        m.testing.assert_close(actual, expected, **options)
    except (AssertionError, TypeError, ValueError) as err:
        return type(err).__name__, str(err)
    return "passed", ""


@pytest.mark.parametrize("name", list(CASES))
def test_assert_close_reports_as_torch(torch, name: str) -> None:
    assert _outcome(gg, name) == _outcome(torch, name)


def test_dtype_and_type_mismatches_name_both(torch) -> None:
    ours = _message(gg, lambda m: m.testing.assert_close(m.ones(2), m.ones(2, dtype=m.float64)))
    theirs = _message(torch, lambda m: m.testing.assert_close(m.ones(2), m.ones(2, dtype=m.float64)))
    assert ours == theirs.replace("torch.", "")  # glassgrad's dtypes print without the module name
    ours = _message(gg, lambda m: m.testing.assert_close(m.ones(2), [1.0, 1.0]))
    assert ours.startswith("No comparison pair was able to handle inputs of type") and "list" in ours
    with pytest.raises(ValueError, match="Both 'rtol' and 'atol'"):
        gg.testing.assert_close(gg.ones(2), gg.ones(2), rtol=1e-3)
    with pytest.raises(AssertionError, match="^Xcustom$"):
        gg.testing.assert_close(gg.ones(2), gg.zeros(2), msg=lambda report: "Xcustom")


def _message(m, call) -> str:
    try:
        call(m)
    except (AssertionError, TypeError) as err:
        return str(err)
    return ""


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8", "bool"])
def test_make_tensor_draws_in_torchs_default_ranges(torch, dtype: str) -> None:
    ours = gg.testing.make_tensor(200, 5, dtype=getattr(gg, dtype), device="cpu")
    theirs = torch.testing.make_tensor(200, 5, dtype=getattr(torch, dtype), device="cpu")
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    values, reference = ours.numpy().astype(float), theirs.numpy().astype(float)
    assert reference.min() >= values.min() - 1 and values.max() <= reference.max() + 1  # the same range
    assert len(np.unique(values)) > 1


def test_make_tensor_options_match_torch(torch) -> None:
    for m in (gg, torch):
        m.manual_seed(0)
    kwargs = {"dtype": "float32", "device": "cpu"}
    ours = gg.testing.make_tensor((2, 3), **kwargs, noncontiguous=True, requires_grad=True)
    theirs = torch.testing.make_tensor((2, 3), dtype=torch.float32, device="cpu", noncontiguous=True,
                                       requires_grad=True)
    assert ours.stride() == tuple(theirs.stride()) and ours.is_contiguous() == theirs.is_contiguous()
    assert ours.is_leaf and ours.requires_grad and ours.storage_offset() == theirs.storage_offset()
    bounded = gg.testing.make_tensor(1000, **kwargs, low=0.5, high=0.75, exclude_zero=True)
    assert 0.5 <= float(bounded.min()) and float(bounded.max()) <= 0.75
    integers = gg.testing.make_tensor(1000, dtype=gg.int64, device="cpu", low=1.5, high=3.5)
    assert set(integers.tolist()) == set(torch.testing.make_tensor(1000, dtype=torch.int64, device="cpu",
                                                                    low=1.5, high=3.5).tolist())
    assert 0 not in gg.testing.make_tensor(1000, dtype=gg.int64, device="cpu", low=0, high=2,
                                           exclude_zero=True).tolist()
    with pytest.raises(ValueError, match="`low` must be less than `high`"):
        gg.testing.make_tensor(2, dtype=gg.int64, device="cpu", low=1, high=1)
