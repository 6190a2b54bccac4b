"""The command line: list, run (smoke into a temp folder), unknown names, --field parsing."""

from __future__ import annotations

import json

import pytest

import glassgrad_experiments as experiments
from glassgrad import cli
from glassgrad_experiments import demo
from glassgrad_experiments.common import parse_config


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
    assert cli.main(["run", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no experiment named 'nope'" in err and len(err.strip().splitlines()) == 1


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


# ----- user errors: one line, exit code 2, traceback only with --debug ---------------------------------
@pytest.mark.parametrize("word, expected", [("true", True), ("On", True), ("1", True), ("yes", True),
                                            ("false", False), ("OFF", False), ("0", False), ("no", False)])
def test_booleans_parse_strictly(word, expected):
    from glassgrad_experiments.common import parse_bool

    assert parse_bool(word) is expected


def test_a_misspelt_boolean_and_typed_lists(capsys):
    import dataclasses
    import types

    @dataclasses.dataclass
    class Config:
        plot: bool = True
        sizes: list[int] = dataclasses.field(default_factory=lambda: [1])

    module = types.SimpleNamespace(NAME="fake", DESCRIPTION="fake", Config=Config, smoke=Config)
    cfg, _, _ = parse_config(module, ["--plot", "off", "--sizes", "3,4"])
    assert cfg.plot is False and cfg.sizes == [3, 4]
    with pytest.raises(SystemExit):
        parse_config(module, ["--plot", "Ture"])
    assert "expected true/false" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--epochs", "0"], "--epochs must be at least 1, got 0"),
    (["--hidden", "-3"], "--hidden must be at least 1, got -3"),
    (["--lr", "0"], "--lr must be positive"),
    (["--lr", "nan"], "--lr must be a finite number"),
])
def test_impossible_fields_are_one_line_and_exit_2(tmp_path, capsys, args, message):
    code = cli.main(["run", "demo", "--smoke", "--out", str(tmp_path / "o"), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_out_under_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    code = cli.main(["run", "demo", "--smoke", "--out", str(blocker / "sub")])
    err = capsys.readouterr().err
    assert code == 2 and "lies under" in err and str(blocker) in err


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(ValueError, match="--epochs must be at least 1"):
        cli.main(["run", "demo", "--smoke", "--debug", "--out", str(tmp_path / "o"), "--epochs", "0"])
