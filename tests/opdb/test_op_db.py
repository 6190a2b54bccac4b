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
from tests.opdb.expectations import KNOWN_WRONG, cases, check_verdicts, expected_passing
from tests.opdb.judge import judge_op

INDEX = fixtures.read_index("ops")
EXPECTED = expected_passing("ops")


@pytest.mark.parametrize("key", cases(INDEX))
def test_op_info(key: str) -> None:
    entry = INDEX[key]
    record, store = fixtures.read_samples("ops", key)
    verdicts = judge_op(glassgrad, entry, record, store)
    check_verdicts("ops", key, verdicts, EXPECTED)
    live.check_current("ops", key, (record, store), entry)


@pytest.mark.parametrize("kind", ["ops", "modules"])
def test_fixtures_cover_the_installed_torch(kind: str) -> None:
    """With torch: the recorded entries are op_db's / module_db's, recorded with this torch version."""
    database = live.live_database(kind)
    if database is None:
        pytest.skip("torch (with expecttest) not installed: the fixtures are replayed as recorded")
    torch, entries = database
    assert fixtures.read_meta()[kind]["torch"] == torch.__version__, live.STALE
    assert set(entries) == set(fixtures.read_index(kind)), live.STALE


def test_every_opinfo_is_accounted_for() -> None:
    """Every OpInfo is either tested or out of scope with one of the reasons docs/pytorch.md gives."""
    from tests.opdb.families import OUT_OF_SCOPE

    assert len(INDEX) > 600
    reasons = {entry["out_of_scope"] for entry in INDEX.values()} - {None}
    assert reasons <= set(OUT_OF_SCOPE), reasons - set(OUT_OF_SCOPE)
    tested = {key for kind in ("ops", "modules") for key, entry in fixtures.read_index(kind).items()
              if entry["out_of_scope"] is None}
    assert not set(KNOWN_WRONG) - tested, "KNOWN_WRONG names an entry that is not tested"
