"""The tour's code blocks run, in order, against the current code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TOUR = Path(__file__).resolve().parents[2] / "docs" / "tour.md"


@pytest.mark.slow
def test_tour_snippets_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # snippets that write files write here
    blocks = re.findall(r"```python\n(.*?)```", TOUR.read_text(), re.S)
    assert len(blocks) >= 5
    namespace: dict = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"docs/tour.md block {i}", "exec"), namespace)  # noqa: S102
