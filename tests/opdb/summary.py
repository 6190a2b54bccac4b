"""The op database tests' outcomes, gathered during the run for the summary at its end
(tests/opdb/conftest.py): which entries newly pass every sample and belong in the expectation file."""

from __future__ import annotations

NEWLY_PASSING: dict[str, list[str]] = {"ops": [], "modules": []}


def note_outcome(kind: str, key: str, outcome: str, expected: bool) -> None:
    if outcome == "pass" and not expected:
        NEWLY_PASSING[kind].append(key)


def summary_lines() -> list[str]:
    lines = []
    for kind, keys in NEWLY_PASSING.items():
        if keys:
            lines.append(f"{len(keys)} {kind} of torch's database now pass every sample but are not in "
                         f"tests/opdb/expected_passing_{kind}.txt: {', '.join(sorted(keys)[:20])}"
                         f"{' ...' if len(keys) > 20 else ''}")
    if lines:
        lines.append("add them with: python -m tests.opdb.report --update")
    return lines
