"""torch's module database (module_db) as glassgrad's specification: one test per ModuleInfo.

Each test builds glassgrad's module of the same name with torch's constructor arguments, copies torch's
state_dict into it, and compares the forward's output, the buffers after it and, in float64, the
gradients of inputs and parameters with those recorded from torch (judge_modules.py). Expectations
as for the op database (test_op_db.py): wrong fails, expected_passing_modules.txt must keep passing.
"""

from __future__ import annotations

import pytest

import glassgrad
from tests.opdb import fixtures, live
from tests.opdb.expectations import cases, check_verdicts, expected_passing
from tests.opdb.judge_modules import judge_module

INDEX = fixtures.read_index("modules")
EXPECTED = expected_passing("modules")


@pytest.mark.parametrize("key", cases(INDEX))
def test_module_info(key: str) -> None:
    entry = INDEX[key]
    record, store = fixtures.read_samples("modules", key)
    verdicts = judge_module(glassgrad, entry, record, store)
    check_verdicts("modules", key, verdicts, EXPECTED)
    live.check_current("modules", key, (record, store), entry)
