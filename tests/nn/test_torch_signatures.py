"""Every layer, functional, optimiser and scheduler takes torch's parameters: the same names in the
same positional order, the same defaults, torch's keyword-only parameters too.

torch's signatures come from tests/fixtures/torch_signatures.json (recorded by
tests/helpers/torch_signatures.py), so the comparison runs without torch; with torch installed,
``test_recording_is_up_to_date`` checks the recording against torch itself. glassgrad may add
parameters of its own (``rng``, a NumPy-style alias) only as keyword-only ones, after torch's.
"""

from __future__ import annotations

import importlib

import pytest

from tests.helpers.torch_signatures import NO_DEFAULT, Parameter, describe, load, parse, record

RECORDING = load()
POSITIONAL = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")


def _ours(space: str, name: str):
    return getattr(importlib.import_module(f"glassgrad.{space}"), name, None)


CASES = [(space, name) for space in ("nn", "nn.functional", "optim", "optim.lr_scheduler")
         for name in RECORDING[space] if callable(_ours(space, name))]


def _same_default(theirs: object, ours: object) -> bool:
    if isinstance(theirs, bool) or isinstance(ours, bool):
        return type(theirs) is type(ours) and theirs == ours
    if isinstance(theirs, list) and isinstance(ours, list):
        return len(theirs) == len(ours) and all(_same_default(a, b) for a, b in zip(theirs, ours))
    return theirs == ours


def differences(theirs: list[Parameter], ours: list[Parameter]) -> list[str]:
    """How ``ours`` departs from torch's parameters (empty when it takes every call torch takes, alike)."""
    if all(kind.startswith("VAR") for _, kind, _ in theirs):
        return [] if theirs[:1] != [("args", "VAR_POSITIONAL", NO_DEFAULT)] or len(theirs) > 1 or any(
            kind == "VAR_POSITIONAL" for _, kind, _ in ours) else ["torch takes *args, ours does not"]
    found = []
    their_order = [name for name, kind, _ in theirs if kind in POSITIONAL]
    our_order = [name for name, kind, _ in ours if kind in POSITIONAL]
    if their_order != our_order:
        found.append(f"positional parameters: torch ({', '.join(their_order)}), ours ({', '.join(our_order)})")
    by_name = {name: (kind, default) for name, kind, default in ours}
    for name, kind, default in theirs:
        if kind.startswith("VAR"):
            if not any(k == kind for _, k, _ in ours):
                found.append(f"torch takes {'*' if kind == 'VAR_POSITIONAL' else '**'}{name}, ours does not")
            continue
        if name not in by_name:
            found.append(f"missing parameter {name}")
            continue
        our_kind, our_default = by_name[name]
        if our_kind == "POSITIONAL_ONLY" and kind != "POSITIONAL_ONLY":
            found.append(f"{name} is positional-only in ours, torch also takes it by keyword")
        if (default is NO_DEFAULT) != (our_default is NO_DEFAULT):
            found.append(f"{name}: torch's default {'none' if default is NO_DEFAULT else repr(default)}, "
                         f"ours {'none' if our_default is NO_DEFAULT else repr(our_default)}")
        elif default is not NO_DEFAULT and not _same_default(default, our_default):
            found.append(f"{name}: default {our_default!r}, torch's {default!r}")
    return found


@pytest.mark.parametrize("space,name", CASES, ids=[f"{s}.{n}" for s, n in CASES])
def test_parameters_match_torch(space, name):
    ours = describe(_ours(space, name))
    assert ours is not None, f"{space}.{name}: no readable signature"
    found = differences(parse(RECORDING[space][name]), ours)
    assert not found, f"{space}.{name}: " + "; ".join(found)


def test_the_comparison_sees_every_kind_of_difference():
    torch_form = parse("input, weight, bias=None, *, eps=1e-05")
    assert differences(torch_form, parse("input, weight, bias=None, *, eps=1e-05, rng=None")) == []
    assert differences(torch_form, parse("input, weight, eps=1e-05, bias=None")) != []  # order
    assert differences(torch_form, parse("x, weight, bias=None, *, eps=1e-05")) != []  # a name
    assert differences(torch_form, parse("input, weight, bias=0, *, eps=1e-05")) != []  # a default
    assert differences(torch_form, parse("input, weight, bias=None, *, eps=False")) != []
    assert differences(torch_form, parse("input, weight, bias=None")) != []  # a missing keyword
    assert differences(torch_form, parse("input, weight, bias=None, rng=None, *, eps=1e-05")) != []  # extra
    assert differences(parse("*args"), parse("")) != []
    assert len(CASES) > 150, "the comparison found too few glassgrad names"


def test_recording_is_up_to_date():
    torch = pytest.importorskip("torch")
    fresh = record(torch)
    if fresh["torch"] != RECORDING["torch"]:
        pytest.skip(f"recorded with torch {RECORDING['torch']}, installed {fresh['torch']}: "
                    "re-record with python -m tests.helpers.torch_signatures")
    assert fresh == RECORDING, "stale: re-record with python -m tests.helpers.torch_signatures"
