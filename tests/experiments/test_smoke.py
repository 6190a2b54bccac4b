"""Every registered experiment runs end to end with its --smoke config (generated data, seconds)
and learns: its results show the direction, not just the keys.

Parametrised over ``experiments.names()``, so a new experiment is covered as soon as it
exists, and a failure names the experiment in the test id. The direction is read from keys
every experiment reports (at least one of these checks must apply):

- ``first_<m>`` / ``final_<m>``: a loss, error or distance (``m`` ends in loss, mse or distance)
  falls; a return or accuracy rises;
- ``accuracy`` / ``chance``: the accuracy beats guessing.
"""

from __future__ import annotations

import json

import pytest

import glassgrad_experiments as experiments

LOWER_IS_BETTER = ("loss", "mse", "distance")
HIGHER_IS_BETTER = ("return", "accuracy")


def direction_checks(results: dict) -> list[tuple[str, float, float]]:
    """(what, worse, better) pairs: in each, ``better`` must beat ``worse``."""
    checks = []
    for key, first in results.items():
        if not key.startswith("first_") or ("final_" + key[len("first_"):]) not in results:
            continue
        metric = key[len("first_"):]
        final = results["final_" + metric]
        if metric.endswith(LOWER_IS_BETTER):
            checks.append((f"{metric} falls", -first, -final))
        elif metric.endswith(HIGHER_IS_BETTER):
            checks.append((f"{metric} rises", first, final))
    if isinstance(results.get("accuracy"), float) and "chance" in results:
        checks.append(("accuracy beats chance", results["chance"], results["accuracy"]))
    return checks


@pytest.mark.parametrize("name", experiments.names())
def test_smoke_run_learns(name, smoke_record):
    record = smoke_record(name)  # glassgrad run NAME --smoke, through the command line
    assert record["experiment"] == name and record["smoke"] is True
    assert json.loads((record["out"] / "results.json").read_text())["results"] == record["results"]
    checks = direction_checks(record["results"])
    assert checks, f"{name} reports neither first_/final_ pairs nor accuracy and chance"
    for what, worse, better in checks:
        assert better > worse, f"{name}: {what} fails ({worse} -> {better})"


def test_direction_checks_read_the_conventions():
    checks = direction_checks({"first_loss": 2.0, "final_loss": 1.0, "first_return": 0.1, "final_return": 0.9,
                               "accuracy": 0.8, "chance": 0.1, "first_other": 1, "final_other": 2})
    assert [what for what, _, _ in checks] == ["loss falls", "return rises", "accuracy beats chance"]
    assert all(better > worse for _, worse, better in checks)
