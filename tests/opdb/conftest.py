"""The op database tests' summary: entries that newly pass every sample (see summary.py)."""

from __future__ import annotations

import pytest

from tests.opdb.summary import summary_lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = summary_lines()
    if lines:
        terminalreporter.section("torch's op database")
        for line in lines:
            terminalreporter.write_line(line)
