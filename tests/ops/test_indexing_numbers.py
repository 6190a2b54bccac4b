"""A Python number written into a tensor (``x[i] = v``) is converted as torch converts it
(glassgrad/ops/indexing_numbers.py): the same values, and torch's errors where the dtype cannot hold it,
for every index kind and both paths (no graph: written in place; a graph: the index_put op)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import glassgrad as gg
from glassgrad.ops.indexing_numbers import written_number

VALUES = [0, 5, 200, -1, -129, -255, -256, 2**31, 2**40, 2**63, -2**63, 2.5, -0.5, -1.0, 255.9, 65510.0, 1e5,
          2147483647.5, 3.4028235e38, 1e300, -1e300, math.inf, -math.inf, math.nan, True, False, 3 + 0j, 1 + 2j,
          1e300 + 0j]
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64",
          "complex64", "complex128"]


def outcome(lib, dtype: str, value, where: str):
    """The tensor after ``t[where] = value`` (as float64/complex128 values), or the error's type name."""
    t = lib.zeros(3, dtype=getattr(lib, dtype))
    index = {"int": 0, "slice": slice(0, 2), "tensor": lib.tensor([0, 2]), "mask": lib.tensor([True, False, True])}
    try:
        t[index[where]] = value
    except Exception as err:  # noqa: BLE001  (the error type is the answer)
        return type(err).__name__
    wide = lib.view_as_real(t.to(lib.complex128)) if dtype.startswith("complex") else t.to(lib.float64)
    return wide.nan_to_num(nan=-12345.0).tolist()  # (no NaN in an answer: the recording compares with ==)


def same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return np.array_equal(np.array(a), np.array(b))


@pytest.mark.parametrize("where", ["int", "slice", "tensor", "mask"])
def test_a_number_written_into_a_tensor_matches_torch(torch, where: str) -> None:
    for dtype in DTYPES:
        for value in VALUES:
            want, got = outcome(torch, dtype, value, where), outcome(gg, dtype, value, where)
            assert same(got, want), (dtype, value, got, want)


def test_a_number_written_while_recording_matches_the_number_written_without() -> None:
    """The index_put op (a graph recorded) converts as the in-place write does."""
    for value in [2.5, 1e300, -1e300, 1 + 2j, 3 + 0j, True, 2**63, math.nan, 70000.0]:
        for dtype in ["float16", "float32", "float64"]:
            plain = outcome(gg, dtype, value, "int")
            w = gg.ones(3, dtype=getattr(gg, dtype), requires_grad=True)
            y = w * 0
            try:
                y[0] = value
                recorded = y.detach().to(gg.float64).nan_to_num(nan=-12345.0).tolist()
            except Exception as err:  # noqa: BLE001
                recorded = type(err).__name__
            assert same(recorded, plain), (dtype, value, recorded, plain)


def test_the_converted_number_is_a_python_number_numpy_stores_exactly() -> None:
    assert written_number(-1, np.dtype(np.uint8)) == 255 and written_number(2.9, np.dtype(np.int32)) == 2
    assert written_number(-0.5, np.dtype(np.int8)) == 0 and written_number(7, np.dtype(bool)) is True
    with pytest.raises(RuntimeError, match="without overflow"):
        written_number(200, np.dtype(np.int8))
    with pytest.raises(ValueError, match="64-bit"):
        written_number(2**64, np.dtype(np.float64))
