"""The ``tv`` fixture: (torch, torchvision) as recorded oracles (see tests/helpers/torchvision_oracle.py)."""

from __future__ import annotations

import pytest

from tests.helpers.torch_oracle import oracle_mode
from tests.helpers.torch_proxy import torch_submodule
from tests.helpers.torchvision_oracle import import_torchvision


@pytest.fixture
def tv(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """``(torch, torchvision)``: live and recorded where torchvision imports, else replayed."""
    if oracle_mode() in ("check", "record", "live") and import_torchvision() is None:
        if oracle_mode() == "record":
            pytest.skip("recording torchvision oracles needs torchvision installed")
        monkeypatch.setenv("GLASSGRAD_ORACLE", "replay")
    torch = request.getfixturevalue("torch")
    return torch, torch_submodule(torch, "torchvision")
