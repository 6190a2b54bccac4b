"""xlogy's (and special.xlog1py's) dtypes against torch for int/bool/float tensors of several widths,
0-d tensors and Python numbers on either side: both operands go to torch's result type first (so a
float16 operand beside a float32 one is not computed in float16), integers give the default float
dtype, and two numbers are refused with torch's TypeError."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import glassgrad as gg

OPERANDS = {
    "int64": lambda lib: lib.tensor([0, 1, 2, 3]),
    "int32": lambda lib: lib.tensor([0, 1, 2, 3], dtype=lib.int32),
    "uint8": lambda lib: lib.tensor([0, 1, 2, 3], dtype=lib.uint8),
    "bool": lambda lib: lib.tensor([True, False, True, True]),
    "float32": lambda lib: lib.tensor([0.0, 1.0, 2.0, 3.0]),
    "float64": lambda lib: lib.tensor([0.0, 1.0, 2.0, 3.0], dtype=lib.float64),
    "float16": lambda lib: lib.tensor([0.0, 1.0, 2.0, 3.0], dtype=lib.float16),
    "0-d int": lambda lib: lib.tensor(2),
    "0-d float64": lambda lib: lib.tensor(2.0, dtype=lib.float64),
    "int": lambda lib: 2,
    "float": lambda lib: 2.5,
}
NUMBERS = ("int", "float")
PAIRS = [(a, b) for a, b in itertools.product(OPERANDS, OPERANDS) if not (a in NUMBERS and b in NUMBERS)]


@pytest.mark.parametrize("x, y", PAIRS)
def test_xlogy_dtype_and_values_match_torch(torch, x, y) -> None:
    ours = gg.xlogy(OPERANDS[x](gg), OPERANDS[y](gg))
    theirs = torch.xlogy(OPERANDS[x](torch), OPERANDS[y](torch))
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    tolerance = 1e-3 if "float16" in (x, y) and theirs.dtype == torch.float16 else 1e-6
    np.testing.assert_allclose(ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64), rtol=tolerance)


def test_a_float16_operand_beside_a_float32_one_is_computed_in_float32(torch) -> None:
    ours = gg.xlogy(gg.tensor([2.0, 3.0]), gg.tensor([2.0, 3.0], dtype=gg.float16))
    theirs = torch.xlogy(torch.tensor([2.0, 3.0]), torch.tensor([2.0, 3.0], dtype=torch.float16))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-7)  # float16 logs would be off by 3e-4


def test_gradients_come_back_in_each_input_s_dtype(torch) -> None:
    def run(lib):
        a = lib.tensor([0.0, 1.0, 2.0], requires_grad=True)
        b = lib.tensor([1.0, 0.5, 3.0], dtype=lib.float16, requires_grad=True)
        lib.xlogy(a, b).sum().backward()
        return a.grad, b.grad

    for ours, theirs in zip(run(gg), run(torch)):
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        np.testing.assert_allclose(ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64), rtol=1e-6)


@pytest.mark.parametrize("x, y", [(2, 3), (2.0, 3), (True, 2.5)])
def test_two_numbers_are_refused_as_torch(torch, x, y) -> None:
    with pytest.raises(TypeError):
        torch.xlogy(x, y)
    with pytest.raises(TypeError):
        gg.xlogy(x, y)
    with pytest.raises(TypeError):
        gg.special.xlog1py(x, y)
