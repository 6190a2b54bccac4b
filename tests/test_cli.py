"""The command line: list, run (smoke into a temp folder), unknown names, --field parsing."""

from __future__ import annotations

import json

import pytest

import experiments
from experiments import demo
from experiments.common import parse_config
from glassgrad import cli


def test_list_shows_every_experiment(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for name in experiments.names():
        assert name in out
    assert "demo" in out


def test_run_demo_smoke_with_field_override(tmp_path, capsys):
    out = tmp_path / "demo"
    assert cli.main(["run", "demo", "--smoke", "--out", str(out), "--epochs", "12", "--lr=0.02",
                     "--target-ratio", "1.5"]) == 0
    record = json.loads((out / "results.json").read_text())
    assert record["config"]["epochs"] == 12 and record["config"]["lr"] == 0.02
    assert record["config"]["points_per_class"] == demo.smoke().points_per_class
    assert record["results"]["final_loss"] < record["results"]["first_loss"]
    assert (out / "curves.png").read_bytes()[:4] == b"\x89PNG"
    assert "run demo --smoke" in record["command"]


def test_unknown_experiment_is_an_error(capsys):
    with pytest.raises(SystemExit, match="no experiment named 'nope'"):
        cli.main(["run", "nope"])


def test_field_parsing_types_and_errors(tmp_path):
    cfg, out_dir, smoke = parse_config(demo, ["--hidden", "7", "--lr", "0.5", "--out", str(tmp_path)])
    assert cfg.hidden == 7 and isinstance(cfg.hidden, int) and cfg.lr == 0.5 and out_dir == tmp_path
    assert not smoke
    with pytest.raises(SystemExit):
        parse_config(demo, ["--hidden", "seven"])
    with pytest.raises(SystemExit):
        parse_config(demo, ["--no-such-field", "1"])


def test_missing_command_is_an_error(capsys):
    with pytest.raises(SystemExit):
        cli.main([])
