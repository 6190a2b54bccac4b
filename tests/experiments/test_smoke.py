"""Every registered experiment runs end to end with its --smoke config (generated data, seconds).

Parametrised over ``experiments.names()``, so a new experiment is covered as
soon as it exists, and a failure names the experiment in the test id.
"""

from __future__ import annotations

import json

import pytest

import experiments
from glassgrad import cli


@pytest.mark.parametrize("name", experiments.names())
def test_smoke_run(name, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    out = tmp_path / name
    assert cli.main(["run", name, "--smoke", "--out", str(out)]) == 0
    record = json.loads((out / "results.json").read_text())
    assert record["experiment"] == name and record["smoke"] is True
    assert isinstance(record["results"], dict)
