"""Every op against PyTorch: forward values and input gradients under a random
upstream gradient, in float64 (to 1e-6) and float32 (to 1e-4 relative);
generated from the op table.

Each op is checked on a few fixed cases drawn once (deterministically) by hypothesis and
stored with torch's answers in tests/fixtures/torch_oracle, so the check runs without
torch too; with torch installed, hypothesis also draws fresh cases against live torch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.helpers.oracle import compare_with_torch
from tests.helpers.torch_proxy import session_of
from tests.ops.op_table import OPS, OpSpec
from tests.ops.strategies import Case

RECORDED_CASES = 3


def draw_cases(strategy: st.SearchStrategy[Case], count: int) -> list[Case]:
    """``count`` cases, the same on every run (hypothesis with a fixed seed)."""
    drawn: list[Case] = []

    @settings(max_examples=count, derandomize=True, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(case: Case) -> None:
        drawn.append(case)

    collect()
    return drawn[:count]


def check_case(spec: OpSpec, case: Case, torch: Any, dtype: type) -> None:
    compare_with_torch(
        lambda *xs: spec.gg(*xs, **case.params),
        lambda *xs: spec.ref(torch, *xs, **case.params),
        case.arrays,
        torch,
        dtype=dtype,
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
def test_matches_torch(spec: OpSpec, dtype: type, torch) -> None:
    session = session_of(torch)
    if session is None:  # live torch, nothing recorded: fresh cases only
        check_fresh_cases(spec, dtype, torch)
        return
    for case in session.value("cases", lambda: draw_cases(spec.cases, RECORDED_CASES)):
        check_case(spec, case, torch, dtype)
    if session.mode != "replay":
        with session.unrecorded():
            check_fresh_cases(spec, dtype, torch)


def check_fresh_cases(spec: OpSpec, dtype: type, torch: Any) -> None:
    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def fresh(data: st.DataObject) -> None:
        check_case(spec, data.draw(spec.cases, label="case"), torch, dtype)

    fresh()
