"""Shared fixtures: a seeded generator, the torch oracle (live, recorded or replayed), hypothesis settings."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import torch_oracle

# --record-kernel-tests / --only-kernel-tests: the reference-kernel pass of `make test` (see the module)
pytest_plugins = ["tests.helpers.kernel_relevance"]

# "ci" (the default): the same examples on every run (derandomize), so a run's result never depends
# on luck; HYPOTHESIS_PROFILE=thorough draws 300 fresh random examples per property instead
settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "torch_live: needs live torch; cannot be replayed from a recorded oracle (see tests/helpers)"
    )


@pytest.fixture
def rng() -> np.random.Generator:
    """A generator seeded per test, so failures reproduce."""
    return np.random.default_rng(1234)


@pytest.fixture
def torch(request: pytest.FixtureRequest):
    """The torch module as the test's oracle: live torch, recorded (torch installed: the recording
    must match tests/fixtures/torch_oracle) or replayed from that recording (torch absent).
    See tests/helpers/torch_oracle.py; GLASSGRAD_ORACLE=live|check|record|replay picks the mode."""
    return torch_oracle.torch_fixture(request)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    torch_oracle.note_collected(items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield
    torch_oracle.after_passing_call(item)
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    written = torch_oracle.finish()
    if written:
        print(f"\nwrote {len(written)} torch oracle files under {torch_oracle.FIXTURES}")
