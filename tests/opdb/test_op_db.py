"""torch's op database (op_db) as glassgrad's specification: one test per OpInfo.

Each test feeds glassgrad's counterpart of the OpInfo (found by torch's name: glassgrad.X,
glassgrad.nn.functional.X, glassgrad.linalg.X, Tensor methods ...) the samples recorded from torch in
tests/fixtures/opdb, and compares values, dtype and shape, and in float64 the gradients (judge.py).

* a wrong answer fails the test (KNOWN_WRONG in expectations.py: strict xfail, with the reason);
* an OpInfo listed in expected_passing_ops.txt must pass every sample;
* an unsupported sample (glassgrad lacks the op or refuses it clearly) does not fail: it is counted
  by ``python -m tests.opdb.report`` (docs/pytorch.md).

With torch installed, a share of the OpInfos is also re-recorded live and compared with the fixtures.
"""

from __future__ import annotations

import pytest

import glassgrad
from tests.opdb import fixtures, live
from tests.opdb.expectations import KNOWN_WRONG, expected_passing
from tests.opdb.judge import judge_op, overall
from tests.opdb.summary import note_outcome

INDEX = fixtures.read_index("ops")
IN_SCOPE = sorted(key for key, entry in INDEX.items() if entry["out_of_scope"] is None)
EXPECTED = expected_passing("ops")


def _case(key: str) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[key])] if key in KNOWN_WRONG else []
    return pytest.param(key, id=key, marks=marks)


@pytest.mark.parametrize("key", [_case(key) for key in IN_SCOPE])
def test_op_info(key: str) -> None:
    entry = INDEX[key]
    record, store = fixtures.read_samples("ops", key)
    verdicts = judge_op(glassgrad, entry, record, store)
    outcome = overall(verdicts)
    note_outcome("ops", key, outcome, key in EXPECTED)
    wrong = [f"{v.where}: {v.detail}" for v in verdicts if v.verdict == "wrong"]
    assert not wrong, f"{key}: glassgrad's answer differs from torch's:\n  " + "\n  ".join(wrong)
    if key in EXPECTED:
        unsupported = [f"{v.where}: {v.detail}" for v in verdicts if v.verdict == "unsupported"]
        assert not unsupported, (f"{key} is listed in expected_passing_ops.txt but no longer passes every "
                                 "sample:\n  " + "\n  ".join(unsupported))
    live.check_current("ops", key, (record, store), entry)


def test_fixtures_cover_the_installed_torch() -> None:
    """With torch: the recorded OpInfos are op_db's, recorded with this torch version."""
    database = live.live_database("ops")
    if database is None:
        pytest.skip("torch (with expecttest) not installed: the fixtures are replayed as recorded")
    torch, entries = database
    assert fixtures.read_meta()["ops"]["torch"] == torch.__version__, live.STALE
    assert set(entries) == set(INDEX), live.STALE


def test_every_opinfo_is_accounted_for() -> None:
    """Every OpInfo is either tested or out of scope with one of the reasons docs/pytorch.md gives."""
    from tests.opdb.families import OUT_OF_SCOPE

    assert len(INDEX) > 600
    reasons = {entry["out_of_scope"] for entry in INDEX.values()} - {None}
    assert reasons <= set(OUT_OF_SCOPE), reasons - set(OUT_OF_SCOPE)
    assert not set(KNOWN_WRONG) - set(IN_SCOPE), "KNOWN_WRONG names an OpInfo that is not tested"
