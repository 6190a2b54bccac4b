"""Every op against PyTorch: forward values and input gradients under a random
upstream gradient, in float64 (to 1e-6) and float32 (to 1e-4 relative);
generated from the op table. Skipped when torch is not installed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.oracle import compare_with_torch
from tests.ops.op_table import OPS, OpSpec


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_matches_torch(spec: OpSpec, dtype: type, data: st.DataObject, torch) -> None:
    case = data.draw(spec.cases, label="case")
    compare_with_torch(
        lambda *xs: spec.gg(*xs, **case.params),
        lambda *xs: spec.ref(torch, *xs, **case.params),
        case.arrays,
        torch,
        dtype=dtype,
    )
