"""The op families' name lists (glassgrad/ops/families.py): every declared name reaches its namespace,
is the family's own function, and names one of torch's; a name claimed twice is refused."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import glassgrad
import glassgrad.nn.functional as F
from glassgrad.ops import families

FAMILIES = families.families()
TORCH_FUNCTIONAL = set(json.loads((Path(__file__).parents[1] / "fixtures" / "torch_signatures.json").read_text())
                       ["nn.functional"])


def test_the_converted_families_are_found() -> None:
    names = {family.__name__.rsplit(".", 1)[-1] for family in FAMILIES}
    assert {"bilinear", "inplace_functions", "movement_copies", "sort"} <= names


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__.rsplit(".", 1)[-1])
def test_declared_names_reach_their_namespaces(family: ModuleType) -> None:
    everything, torch_names, functional_names = family.__all__, family.TORCH_NAMES, family.FUNCTIONAL_NAMES
    for names in (everything, torch_names, functional_names):
        assert len(set(names)) == len(names), f"{family.__name__}: a name listed twice in {names}"
    assert set(torch_names) <= set(everything) and set(functional_names) <= set(everything)
    for name in everything:
        function = getattr(family, name)
        assert callable(function), f"{family.__name__}.{name}"
        assert getattr(glassgrad.ops, name) is function, f"glassgrad.ops.{name}"
    for name in torch_names:
        assert getattr(glassgrad, name) is getattr(family, name), f"glassgrad.{name}"
    for name in functional_names:
        assert getattr(F, name) is getattr(family, name), f"glassgrad.nn.functional.{name}"
        assert name in TORCH_FUNCTIONAL, f"torch.nn.functional has no {name}"


def test_a_name_claimed_twice_is_refused() -> None:
    def other(*args: Any) -> None:
        return None

    namespace = {"__name__": "somewhere", "bilinear": other}
    with pytest.raises(ImportError, match=r"glassgrad\.ops\.bilinear\.bilinear is declared in TORCH_NAMES, but "
                                          r"somewhere\.bilinear is already"):
        families.export(namespace, "TORCH_NAMES")
