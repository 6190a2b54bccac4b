"""glassgrad sweep on Ray: a local instance with 2 CPUs gives exactly the serial results.

Skipped only when Ray is absent (``pip install 'glassgrad[ray]'``). Ray takes seconds to start,
so one local instance serves the whole module and the tests are few.
"""

from __future__ import annotations

import json

import pytest

import glassgrad_experiments as experiments
from glassgrad_experiments.sweep import run_sweep
from tests.experiments import sweep_toy
from tests.experiments.test_sweep import comparable

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray instance (2 CPUs) for the module; the sweep engine uses it as it is."""
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_gives_exactly_the_serial_results(local_ray, tmp_path):
    grid, seeds = {"lr": ["0.05", "0.1"]}, [0, 1]
    serial = run_sweep(sweep_toy, grid, seeds, out=tmp_path / "serial", in_process=True)
    on_ray = run_sweep(sweep_toy, grid, seeds, out=tmp_path / "ray", jobs=2, use_ray=True)
    assert all(o.ok for o in serial + on_ray)
    assert comparable(tmp_path / "serial") == comparable(tmp_path / "ray")
    for name in ("results.md", "lr=0.05__seed=1/weight.txt"):  # the files the tasks wrote came back
        assert (tmp_path / "serial" / name).read_text() == (tmp_path / "ray" / name).read_text()
    assert "final loss" in (tmp_path / "ray" / "lr=0.05__seed=1" / "run.log").read_text()
    # results.json names the run's own folder, not the scratch folder the Ray task wrote in
    record = json.loads((tmp_path / "ray" / "lr=0.1__seed=0" / "results.json").read_text())
    assert record["command"].endswith(f"--out {tmp_path / 'ray' / 'lr=0.1__seed=0'}")


def test_demo_on_ray_matches_the_serial_run(local_ray, tmp_path):
    demo, settings = experiments.find("demo"), ["--smoke", "--epochs", "3", "--target-ratio", "1.0"]
    run_sweep(demo, {"hidden": ["8"]}, [0], settings, out=tmp_path / "serial", jobs=1)
    run_sweep(demo, {"hidden": ["8"]}, [0], settings, out=tmp_path / "ray", jobs=2, use_ray=True)
    assert comparable(tmp_path / "serial") == comparable(tmp_path / "ray")
    assert (tmp_path / "ray" / "hidden=8__seed=0" / "regions.png").read_bytes()[:4] == b"\x89PNG"


def test_a_failing_ray_task_is_reported_and_the_others_finish(local_ray, tmp_path, capsys):
    outcomes = run_sweep(sweep_toy, {"lr": ["0.1"]}, [0, 1, 2], ["--fail-seeds", "2"], out=tmp_path / "ray",
                         use_ray=True)
    assert [o.ok for o in outcomes] == [True, True, False]
    assert "run lr=0.1__seed=2 FAILED: RuntimeError: toy failure for seed 2" in capsys.readouterr().err
    assert "toy failure" in (tmp_path / "ray" / "lr=0.1__seed=2" / "error.txt").read_text()
