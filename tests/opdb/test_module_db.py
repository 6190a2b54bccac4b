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
from tests.opdb.expectations import KNOWN_WRONG, expected_passing
from tests.opdb.judge import overall
from tests.opdb.judge_modules import judge_module
from tests.opdb.summary import note_outcome

INDEX = fixtures.read_index("modules")
IN_SCOPE = sorted(key for key, entry in INDEX.items() if entry["out_of_scope"] is None)
EXPECTED = expected_passing("modules")


def _case(key: str) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[key])] if key in KNOWN_WRONG else []
    return pytest.param(key, id=key, marks=marks)


@pytest.mark.parametrize("key", [_case(key) for key in IN_SCOPE])
def test_module_info(key: str) -> None:
    entry = INDEX[key]
    record, store = fixtures.read_samples("modules", key)
    verdicts = judge_module(glassgrad, entry, record, store)
    note_outcome("modules", key, overall(verdicts), key in EXPECTED)
    wrong = [f"{v.where}: {v.detail}" for v in verdicts if v.verdict == "wrong"]
    assert not wrong, f"{key}: glassgrad's module differs from torch's:\n  " + "\n  ".join(wrong)
    if key in EXPECTED:
        unsupported = [f"{v.where}: {v.detail}" for v in verdicts if v.verdict == "unsupported"]
        assert not unsupported, (f"{key} is listed in expected_passing_modules.txt but no longer passes every "
                                 "input:\n  " + "\n  ".join(unsupported))
    live.check_current("modules", key, (record, store), entry)


def test_fixtures_cover_the_installed_torch() -> None:
    """With torch: the recorded ModuleInfos are module_db's, recorded with this torch version."""
    database = live.live_database("modules")
    if database is None:
        pytest.skip("torch (with expecttest) not installed: the fixtures are replayed as recorded")
    torch, entries = database
    assert fixtures.read_meta()["modules"]["torch"] == torch.__version__, live.STALE
    assert set(entries) == set(INDEX), live.STALE
    assert len(IN_SCOPE) > 100
