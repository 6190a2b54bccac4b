"""Finite differences (float64) against every op's hand-written backward, over
shapes and values drawn by hypothesis; generated from the op table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glassgrad import Tensor, gradcheck
from tests.ops.op_table import OPS, OpSpec


@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
@given(data=st.data())
def test_gradcheck(spec: OpSpec, data: st.DataObject) -> None:
    case = data.draw(spec.cases, label="case")
    inputs = [Tensor(a.copy(), requires_grad=True) for a in case.arrays]
    assert gradcheck(lambda *xs: spec.gg(*xs, **case.params), inputs, **spec.gradcheck_kw)
