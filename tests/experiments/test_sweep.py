"""glassgrad sweep: grid parsing, serial == worker processes, resuming, failures, the results files.

Most tests sweep ``tests/experiments/sweep_toy.py`` (least squares, milliseconds per run); the
Ray backend is tested in test_sweep_ray.py.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

import glassgrad_experiments as experiments
from glassgrad import cli
from glassgrad_experiments.sweep import parse_grid, parse_seeds, run_sweep
from glassgrad_experiments.sweep.plan import plan_runs
from glassgrad_experiments.sweep.report import flatten, metrics
from tests.experiments import sweep_toy


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def comparable(out: Path) -> dict[str, dict]:
    """Every run's results.json without its timings, its folder named relative to the sweep."""
    found = {}
    for path in sorted(out.glob("*/results.json")):
        record = json.loads(path.read_text())
        record.pop("seconds")
        record["results"].pop("train_seconds", None)
        record["command"] = record["command"].replace(str(out), "OUT")
        found[path.parent.name] = record
    return found


@pytest.fixture
def toy_registered(monkeypatch):
    """``experiments.find("sweep-toy")`` returns the toy, so the command line can sweep it."""
    real_find = experiments.find
    monkeypatch.setattr(experiments, "find", lambda name: sweep_toy if name == sweep_toy.NAME else real_find(name))


def test_parse_grid_and_seeds():
    grid = parse_grid(["lr=0.1,0.01", "fail-seeds=1"], sweep_toy)
    assert grid == {"lr": ["0.1", "0.01"], "fail_seeds": ["1"]}
    assert parse_seeds("0, 1,2") == [0, 1, 2]
    planned = plan_runs(sweep_toy, grid, [3], ["--steps", "4"], smoke=True)
    assert [run.name for run in planned] == ["lr=0.1__fail_seeds=1__seed=3", "lr=0.01__fail_seeds=1__seed=3"]
    assert planned[1].argv == ("--smoke", "--steps", "4", "--lr", "0.01", "--fail-seeds", "1", "--seed", "3")
    assert planned[1].config == {"lr": 0.01, "steps": 4, "features": 8, "fail_seeds": "1", "seed": 3,
                                 "target_loss": 0.0, "fail_late": False}


@pytest.mark.parametrize(("argv", "message"), [
    (["--grid", "lr"], "expected FIELD=VALUE1,VALUE2"),
    (["--grid", "rate=1,2"], "sweep-toy has no field 'rate'; its fields: lr, steps"),
    (["--grid", "lr=0.1,,0.2"], "an empty value"),
    (["--grid", "lr=0.1,0.1"], "0.1 given more than once"),
    (["--grid", "lr=0.1", "lr=0.2"], "names lr twice"),
    (["--grid", "lr=fast"], "--grid lr=fast: argument --lr: invalid float value: 'fast'"),
    (["--grid", "lr=-1"], "--grid lr=-1: --lr must be positive, got -1.0"),
    (["--grid", "seed=1,2"], "give the seeds with --seeds"),
    (["--seeds", "0,x"], "--seeds 0,x: expected non-negative integers"),
    (["--grid", "lr=0.1,0.2", "--lr", "0.3"], "--lr is swept by --grid lr=...; give it only there"),
    (["--seeds", "0,1", "--seed", "3"], "--seed is swept by --seeds"),
    (["--steps", "0", "--seeds", "0"], "--steps must be at least 1"),
    (["--jobs", "0", "--seeds", "0"], "argument --jobs: expected a positive integer"),
    (["--ray", "--in-process", "--seeds", "0"], "--ray and --in-process exclude each other"),
    ([], "nothing to sweep"),
])
def test_bad_grids_are_one_line_errors(toy_registered, tmp_path, capsys, argv, message):
    code = cli.main(["sweep", "sweep-toy", "--out", str(tmp_path / "out"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("glassgrad: error: ")
    assert message in err
    assert not (tmp_path / "out").exists()  # refused before anything ran


def test_serial_and_worker_processes_give_the_same_results(tmp_path):
    """In this process and in 2 workers (the toy's products are too small for BLAS to use threads)."""
    grid, seeds = {"lr": ["0.05", "0.1"]}, [0, 1]
    serial = run_sweep(sweep_toy, grid, seeds, out=tmp_path / "serial", in_process=True)
    pooled = run_sweep(sweep_toy, grid, seeds, out=tmp_path / "pool", jobs=2)
    assert [o.run.name for o in serial] == ["lr=0.05__seed=0", "lr=0.05__seed=1", "lr=0.1__seed=0", "lr=0.1__seed=1"]
    assert all(o.ok for o in serial + pooled)
    assert comparable(tmp_path / "serial") == comparable(tmp_path / "pool")
    for name in ("results.md", "lr=0.1__seed=1/weight.txt"):
        assert (tmp_path / "serial" / name).read_text() == (tmp_path / "pool" / name).read_text()
    assert (tmp_path / "pool" / "results.png").read_bytes()[:4] == b"\x89PNG"


def test_an_interrupted_sweep_resumes(tmp_path, monkeypatch):
    out, grid, seeds = tmp_path / "sweep", {"lr": ["0.05", "0.1"]}, [0, 1]
    monkeypatch.setenv(sweep_toy.INTERRUPT_AT, "0.1,0")  # the third run is "killed"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep_toy, grid, seeds, out=out, in_process=True)
    finished = sorted(p.parent.name for p in out.glob("*/results.json"))
    assert finished == ["lr=0.05__seed=0", "lr=0.05__seed=1"]
    monkeypatch.delenv(sweep_toy.INTERRUPT_AT)
    (out / "lr=0.05__seed=1" / "results.json").write_text('{"experiment": "sweep-toy", "con')  # cut off mid-write
    before = (out / "lr=0.05__seed=0" / "results.json").stat().st_mtime_ns
    outcomes = run_sweep(sweep_toy, grid, seeds, out=out, in_process=True)
    assert all(o.ok for o in outcomes)
    assert (out / "lr=0.05__seed=0" / "results.json").stat().st_mtime_ns == before  # skipped: finished
    assert len(comparable(out)) == 4
    # a finished run whose settings differ (here --steps) is not "finished": it runs again
    changed = run_sweep(sweep_toy, grid, seeds, ["--steps", "3"], out=out, in_process=True)
    assert all(o.record["config"]["steps"] == 3 for o in changed)


@pytest.mark.parametrize("backend", ["in_process", "processes"])
def test_ctrl_c_stops_dispatching_and_keeps_the_running_run(tmp_path, monkeypatch, capsys, backend):
    """The first Ctrl-C (during the second of four runs): that run finishes, the last two never start."""
    out, grid = tmp_path / "sweep", {"lr": ["0.05", "0.1"]}
    monkeypatch.setenv(sweep_toy.CTRL_C_AT, f"0.05,1,1,{os.getpid()}")
    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep_toy, grid, [0, 1], out=out, jobs=1, in_process=backend == "in_process")
    err = capsys.readouterr().err
    assert "Ctrl-C: no new runs will start; the running runs finish and are kept (press Ctrl-C again" in err
    assert "interrupted: 2 of 4 runs finished" in err and "the same command runs the rest" in err
    assert sorted(p.parent.name for p in out.glob("*/results.json")) == ["lr=0.05__seed=0", "lr=0.05__seed=1"]
    assert not (out / "lr=0.1__seed=0").exists()  # never started
    rows = read_csv(out / "results.csv")  # the reports say what finished
    assert [row["status"] for row in rows] == ["ok", "ok", "failed", "failed"]
    assert rows[2]["error"] == "not finished: the sweep was interrupted (Ctrl-C)"
    monkeypatch.delenv(sweep_toy.CTRL_C_AT)
    assert all(o.ok for o in run_sweep(sweep_toy, grid, [0, 1], out=out, in_process=True))  # resumes


def test_a_second_ctrl_c_stops_the_running_runs(tmp_path, monkeypatch, capsys):
    out = tmp_path / "sweep"
    monkeypatch.setenv(sweep_toy.CTRL_C_AT, f"0.05,0,2,{os.getpid()}")  # the first run: Ctrl-C twice, then waits
    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep_toy, {"lr": ["0.05", "0.1"]}, [0], out=out, jobs=1)
    err = capsys.readouterr().err
    assert "sweep: stopping the 1 running run" in err and "interrupted: 0 of 2 runs finished" in err
    assert not list(out.glob("*/results.json"))  # stopped in its 60 s wait, the second never started
    assert not (out / "lr=0.1__seed=0").exists()


def test_a_failing_run_is_reported_and_the_others_finish(toy_registered, tmp_path, capsys):
    out = tmp_path / "sweep"
    code = cli.main(["sweep", "sweep-toy", "--grid", "lr=0.05,0.1", "--seeds", "0,1,2", "--fail-seeds", "1",
                     "--in-process", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "run lr=0.05__seed=1 FAILED: RuntimeError: toy failure for seed 1" in err
    assert "4 of 6 runs finished, 2 failed" in err
    assert "toy failure for seed 1" in (out / "lr=0.1__seed=1" / "error.txt").read_text()
    assert not (out / "lr=0.1__seed=1" / "results.json").exists()
    assert len(list(out.glob("*/results.json"))) == 4
    table = (out / "results.md").read_text()
    assert "- `lr=0.1__seed=1`: RuntimeError: toy failure for seed 1" in table
    rows = read_csv(out / "results.csv")
    assert [row["status"] for row in rows] == ["ok", "failed", "ok"] * 2
    assert rows[1]["error"] == "RuntimeError: toy failure for seed 1" and rows[1]["results.final_loss"] == ""


def test_runs_that_miss_their_target_are_results_kept_and_not_rerun(toy_registered, tmp_path, capsys):
    """A missed target is a result: every number in results.csv and results.md, and a resume skips the run."""
    out = tmp_path / "sweep"
    argv = ["sweep", "sweep-toy", "--grid", "lr=0.01,0.1", "--seeds", "0,1", "--target-loss", "0.01",
            "--in-process", "--out", str(out)]
    assert cli.main(argv) == 0  # nothing failed
    err = capsys.readouterr().err
    assert "4 of 4 runs finished (2 missed their target" in err and "FAILED" not in err
    rows = read_csv(out / "results.csv")
    assert [row["status"] for row in rows] == ["missed target"] * 2 + ["ok"] * 2
    assert [row["results.target_met"] for row in rows] == ["0", "0", "1", "1"]
    records = [json.loads((out / row["run"] / "results.json").read_text()) for row in rows]
    for row, record in zip(rows, records):
        assert float(row["results.final_loss"]) == record["results"]["final_loss"]
        assert row["results.losses.len"] == "30" and row["error"] == ""
    assert "final loss" in records[0]["missed_target"] and "missed_target" not in records[2]
    table = (out / "results.md").read_text()
    assert "4 runs, 4 finished (2 missed their target: target_met = 0), 0 failed." in table
    import statistics

    slow = [record["results"]["final_loss"] for record in records[:2]]
    assert f"| 0.01 | 2 | {statistics.fmean(slow):.4g} ± {statistics.stdev(slow):.2g} |" in table
    stamps = {row["run"]: (out / row["run"] / "results.json").stat().st_mtime_ns for row in rows}
    assert cli.main(argv) == 0
    assert "4 runs (4 finished before: skipped); running 0" in capsys.readouterr().err
    assert stamps == {row["run"]: (out / row["run"] / "results.json").stat().st_mtime_ns for row in rows}


def test_a_failed_run_keeps_what_it_measured_and_runs_again(tmp_path, capsys):
    out, grid = tmp_path / "sweep", {"lr": ["0.1"]}
    outcomes = run_sweep(sweep_toy, grid, [0, 1], ["--fail-seeds", "1", "--fail-late", "true"], out=out,
                         in_process=True)
    assert [o.ok for o in outcomes] == [True, False]
    assert outcomes[1].error == "RuntimeError: toy failure for seed 1 after training"
    rows = read_csv(out / "results.csv")
    assert rows[1]["status"] == "failed" and rows[1]["error"] == outcomes[1].error
    assert float(rows[1]["results.final_loss"]) == outcomes[1].record["results"]["final_loss"]
    capsys.readouterr()
    again = run_sweep(sweep_toy, grid, [0, 1], ["--fail-seeds", "1", "--fail-late", "true"], out=out,
                      in_process=True)
    assert "(1 finished before: skipped); running 1" in capsys.readouterr().err  # not taken as finished
    assert not again[1].ok and again[1].record is not None


def test_results_csv_and_markdown(tmp_path):
    out = tmp_path / "sweep"
    outcomes = run_sweep(sweep_toy, {"lr": ["0.05", "0.1"]}, [0, 1, 2], ["--steps", "25"], out=out, in_process=True)
    rows = read_csv(out / "results.csv")
    assert list(rows[0])[:6] == ["lr", "seed", "run", "status", "smoke", "seconds"]
    assert [(row["lr"], row["seed"]) for row in rows] == [(lr, s) for lr in ("0.05", "0.1") for s in "012"]
    # every number of results.json, flattened; a list longer than 20 numbers gives its last value and length
    for key in ("config.steps", "results.final_loss", "results.converged", "results.first.loss",
                "results.losses.last", "results.losses.len", "results.train_seconds"):
        assert key in rows[0], key
    assert rows[0]["results.losses.len"] == "25" and rows[0]["config.steps"] == "25"
    finals = [o.record["results"]["final_loss"] for o in outcomes]
    assert [float(row["results.final_loss"]) for row in rows] == finals
    table = (out / "results.md").read_text()
    assert "| lr | n | final_loss | converged | first.loss | first.step |" in table  # no timings, no lists
    import statistics

    mean, std = statistics.fmean(finals[:3]), statistics.stdev(finals[:3])
    assert f"| 0.05 | 3 | {mean:.4g} ± {std:.2g} |" in table


def test_flatten_and_metrics():
    record = {"seconds": 1.5, "smoke": True, "command": "x", "results": {"a": 1, "b": [1.0, 2.0], "c": {"d": None},
                                                                        "e": {"f": 2.5}, "g_seconds": 3}}
    assert flatten(record) == {"seconds": 1.5, "smoke": 1, "results.a": 1, "results.b.0": 1.0, "results.b.1": 2.0,
                               "results.e.f": 2.5, "results.g_seconds": 3}
    assert metrics(record["results"]) == {"a": 1, "e.f": 2.5}


def test_demo_through_the_command_line(tmp_path, capsys):
    out = tmp_path / "demo"
    assert cli.main(["sweep", "demo", "--smoke", "--grid", "hidden=8", "--seeds", "0", "--epochs", "2",
                     "--target-ratio", "1.0", "--jobs", "1", "--out", str(out)]) == 0
    record = json.loads((out / "hidden=8__seed=0" / "results.json").read_text())
    assert record["config"]["hidden"] == 8 and record["config"]["epochs"] == 2 and record["smoke"] is True
    assert "| hidden | n | first_loss |" in (out / "results.md").read_text()


def test_demo_that_misses_its_target_still_writes_its_results(tmp_path, capsys):
    out = tmp_path / "demo"
    code = cli.main(["run", "demo", "--smoke", "--epochs", "1", "--target-ratio", "1000", "--out", str(out)])
    assert code == 2 and "the loss fell only" in capsys.readouterr().err  # the command still says so
    record = json.loads((out / "results.json").read_text())
    assert record["results"]["target_met"] is False and record["results"]["target_ratio"] == 1000
    assert record["results"]["final_loss"] > 0 and "target 1000" in record["missed_target"]


def test_init_optim_grid_is_a_sweep(tmp_path, capsys):
    """`glassgrad run init-optim-grid` and `glassgrad sweep init-optim-grid` make the same grid and summary."""
    settings = ["--smoke", "--inits", "zeros,he", "--optimizers", "sgd", "--n-train", "64", "--n-test", "32"]
    assert cli.main(["run", "init-optim-grid", *settings, "--out", str(tmp_path / "run")]) == 0
    assert cli.main(["sweep", "init-optim-grid", *settings, "--jobs", "1", "--out", str(tmp_path / "sweep")]) == 0
    for name in ("summary.md", "results.md"):
        assert (tmp_path / "run" / name).read_text() == (tmp_path / "sweep" / name).read_text()
    assert "| init | sgd |" in (tmp_path / "sweep" / "summary.md").read_text()
    assert comparable(tmp_path / "run").keys() == {"inits=zeros__optimizers=sgd", "inits=he__optimizers=sgd"}
    assert (tmp_path / "sweep" / "weights" / "he_sgd.png").exists()
