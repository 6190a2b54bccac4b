"""What the op database tests expect, so that the counts cannot silently regress.

* ``expected_passing_ops.txt`` / ``expected_passing_modules.txt``: the OpInfos / ModuleInfos that pass
  every sample. One of them that stops passing fails its test; one that starts passing is listed at
  the end of the run, to be added with ``python -m tests.opdb.report --update``.
* ``KNOWN_WRONG``: entries that give a wrong answer today, each with its reason. Their tests are strict
  xfails: they fail until the op is fixed, then the entry must go from this list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.opdb.judge import Verdict, overall
from tests.opdb.summary import note_outcome

HERE = Path(__file__).resolve().parent

KNOWN_WRONG: dict[str, str] = {
    "as_strided_scatter": "torch's gradient is the wrong one: its backward misplaces the input's gradient "
                          "(torch.autograd.gradcheck fails on torch's own as_strided_scatter); glassgrad's "
                          "passes finite differences (tests/ops/test_view_scatter.py)",
}


def cases(index: dict[str, dict[str, object]]) -> list[object]:
    """One pytest case per in-scope entry of ``index``, known-wrong ones as strict xfails."""
    keys = sorted(key for key, entry in index.items() if entry["out_of_scope"] is None)
    return [pytest.param(key, id=key, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[key])]
                         if key in KNOWN_WRONG else []) for key in keys]


def expected_file(kind: str) -> Path:
    return HERE / f"expected_passing_{kind}.txt"


def expected_passing(kind: str) -> set[str]:
    path = expected_file(kind)
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


def write_expected_passing(kind: str, keys: set[str]) -> None:
    header = (f"# {kind} of torch's database that pass every recorded sample on glassgrad (tests/opdb).\n"
              "# Regenerate with: python -m tests.opdb.report --update\n")
    expected_file(kind).write_text(header + "".join(f"{key}\n" for key in sorted(keys)))


def check_verdicts(kind: str, key: str, verdicts: list[Verdict], expected: set[str]) -> None:
    """Fail on any wrong sample, and on any sample not passing when ``key`` is expected to pass them all."""
    note_outcome(kind, key, overall(verdicts), key in expected)
    wrong = [f"{v.where}: {v.detail}" for v in verdicts if v.verdict == "wrong"]
    assert not wrong, f"{key}: glassgrad's answer differs from torch's:\n  " + "\n  ".join(wrong)
    if key in expected:
        unsupported = [f"{v.where}: {v.detail}" for v in verdicts if v.verdict == "unsupported"]
        assert not unsupported, (f"{key} is listed in {expected_file(kind).name} but no longer passes every "
                                 "sample:\n  " + "\n  ".join(unsupported))
