"""docs/higher-order.md runs, and each number it prints is asserted by the page itself."""

from __future__ import annotations

from tests.docs.test_tour import run_page


def test_higher_order_page_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_page("higher-order.md") >= 7
