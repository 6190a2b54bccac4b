"""The learner-facing pages' ```python blocks run, in order, against the current code.

Each page runs in one namespace of its own, as one Python session would run it;
```text blocks are excerpts and are not run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def run_page(name: str) -> int:
    """Execute every ```python block of ``docs/<name>`` in order; return how many ran."""
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / name).read_text(), re.S)
    namespace: dict = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"docs/{name} block {i}", "exec"), namespace)  # noqa: S102
    return len(blocks)


@pytest.mark.slow
def test_tour_snippets_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # snippets that write files write here
    assert run_page("tour.md") >= 8


def test_writing_an_op_snippets_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_page("writing-an-op.md") >= 4
