"""The ``torch`` fixture: live torch, a recording of it, or a replay of that recording.

Modes (environment variable ``GLASSGRAD_ORACLE``; by default "check" when torch imports and
"replay" when it does not):

* ``check``: tests run against live torch through a recording proxy; when a test passes, its
  recording must equal the stored one (to a float tolerance), else the fixtures are stale;
* ``record``: the same, and the recordings of passing tests are written to
  ``tests/fixtures/torch_oracle/<test module>.npz`` at the end of the run (``make fixtures``);
* ``replay``: no torch at all; each test gets its stored answers (skipped if it has none);
* ``live``: the bare torch module, nothing recorded or checked.

The files hold, per test (keyed by the rest of its pytest node id), the JSON list of events
and stored values and, next to it, the arrays (one flat buffer per dtype): no pickle.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import glassgrad
from tests.helpers.oracle_codec import ArrayStore, decode, same
from tests.helpers.torch_proxy import OracleMismatch, Session

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "torch_oracle"
MODES = ("check", "record", "replay", "live")
SESSION_KEY = pytest.StashKey[Session]()


_DEFAULT_MODE = ""  # "": check when torch imports, else replay


def oracle_mode() -> str:
    mode = os.environ.get("GLASSGRAD_ORACLE", _DEFAULT_MODE) or ("check" if _real_torch() is not None else "replay")
    if mode not in MODES:
        raise pytest.UsageError(f"GLASSGRAD_ORACLE={mode!r}: expected one of {', '.join(MODES)}")
    return mode


_torch_module: list[Any] = []


def _real_torch() -> Any:
    if not _torch_module:
        try:
            import torch
        except ImportError:
            torch = None
        else:
            torch.set_num_threads(1)
        _torch_module.append(torch)
    return _torch_module[0]


# ----- the fixture files ------------------------------------------------------------------------------
def _split(nodeid: str) -> tuple[str, str]:
    module, _, test = nodeid.partition("::")
    return module, test


def fixture_path(module: str) -> Path:
    """tests/nn/test_conv.py -> tests/fixtures/torch_oracle/nn/test_conv.npz"""
    parts = Path(module).with_suffix(".npz").parts
    return FIXTURES.joinpath(*parts[1:] if parts[0] == "tests" else parts)


class OracleFiles:
    """The stored recordings, read lazily per test module, and the new ones of a record run."""

    def __init__(self) -> None:
        self.loaded: dict[str, tuple[dict[str, Any], ArrayStore]] = {}
        self.new: dict[str, dict[str, tuple[dict[str, Any], ArrayStore]]] = {}
        self.collected: dict[str, set[str]] = {}

    def load(self, module: str) -> tuple[dict[str, Any], ArrayStore]:
        if module not in self.loaded:
            path = fixture_path(module)
            if path.exists():
                with np.load(path, allow_pickle=False) as npz:
                    index = json.loads(npz["index"].tobytes().decode())
                    buffers = {key[4:]: npz[key] for key in npz.files if key.startswith("buf_")}
                self.loaded[module] = (index, ArrayStore(buffers))
            else:
                self.loaded[module] = ({}, ArrayStore())
        return self.loaded[module]

    def entry(self, nodeid: str) -> tuple[dict[str, Any] | None, ArrayStore]:
        module, test = _split(nodeid)
        index, store = self.load(module)
        return index.get(test), store

    def add(self, session: Session) -> None:
        module, test = _split(session.nodeid)
        session.store.flush()
        self.new.setdefault(module, {})[test] = ({"events": session.events, "values": session.values}, session.store)

    def write(self) -> list[Path]:
        """Write every module recorded in this run, keeping the stored tests that were not re-run
        and dropping the stored tests of a collected module that no longer exist."""
        written = []
        for module, fresh in sorted(self.new.items()):
            index, store = self.load(module)
            entries = {test: (entry, store) for test, entry in index.items()
                       if test in self.collected.get(module, {test})}
            entries.update(fresh)
            merged_index: dict[str, Any] = {}
            merged = ArrayStore()
            for test in sorted(entries):
                entry, source = entries[test]
                merged_index[test] = _transfer(entry, source, merged)
            merged.flush()
            path = fixture_path(module)
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(merged_index, separators=(",", ":"), sort_keys=True).encode()
            buffers = {f"buf_{key}": buf for key, buf in sorted(merged.buffers.items())}
            np.savez_compressed(path, index=np.frombuffer(text, np.uint8), **buffers)
            written.append(path)
        return written


def _transfer(data: Any, source: ArrayStore, target: ArrayStore) -> Any:
    """Copy encoded data, moving its arrays from one store to another."""
    if isinstance(data, list):
        return [_transfer(v, source, target) for v in data]
    if isinstance(data, dict):
        if set(data) == {"a"}:
            return {"a": target.put(source.get(data["a"]))}
        return {k: _transfer(v, source, target) for k, v in data.items()}
    return data


FILES = OracleFiles()


# ----- comparing a live recording with the stored one ------------------------------------------------
class _Stand:
    def __init__(self, tag: str, ident: int) -> None:
        self.ident = ident if tag == "ref" else (tag, ident)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Stand) and other.ident == self.ident

    def __repr__(self) -> str:
        return f"<torch object #{self.ident}>"


def _answer(data: Any, store: ArrayStore) -> Any:
    if isinstance(data, dict) and "raise" in data:
        return ("raises", data["raise"][0])
    return decode(data, store, _Stand)


def difference(session: Session, stored: dict[str, Any], stored_store: ArrayStore) -> str | None:
    """Where a live recording departs from the stored one (None when it does not)."""
    for name, encoded in session.values.items():
        if not same(decode(stored.get("values", {}).get(name), stored_store), decode(encoded, session.store)):
            return f"stored value {name!r} differs"
    old, new = stored["events"], session.events
    for k, (was, now) in enumerate(zip(old, new)):
        if was[:2] != now[:2]:
            return f"event {k}: the test now does {now[0]} {now[1]!r}, the recording {was[0]} {was[1]!r}"
        if not same(was[2], now[2]):
            return f"event {k} ({now[0]} {now[1]!r}): arguments {now[2]}, recorded {was[2]}"
        if was[4:] != now[4:]:
            return f"event {k} ({now[0]} {now[1]!r}): torch now warns {now[4:]}, recorded {was[4:]}"
        if now[0] == "hash":
            continue
        before, after = _answer(was[3], stored_store), _answer(now[3], session.store)
        if isinstance(after, str) and " at 0x" in after:
            continue
        if not same(before, after):
            return f"event {k} ({now[0]} {now[1]!r}): torch now answers {after!r}, recorded {before!r}"
    if len(old) != len(new):
        return f"the test now makes {len(new)} torch calls, the recording {len(old)}"
    return None


# ----- pytest glue (called from tests/conftest.py) -------------------------------------------------
def torch_fixture(request: pytest.FixtureRequest) -> Any:
    """The value of the ``torch`` fixture for this test, in the current mode."""
    mode = oracle_mode()
    nodeid = request.node.nodeid
    glassgrad.manual_seed(0)  # inputs drawn from glassgrad's generator must not depend on the tests run before
    if mode == "live" or request.node.get_closest_marker("torch_live"):
        torch = _real_torch()
        if torch is None:
            pytest.skip("needs torch (this test cannot be replayed from a recording)")
        return torch
    stored, store = FILES.entry(nodeid)
    if mode == "replay":
        if stored is None:
            pytest.skip("no recorded torch oracle for this test (run `make fixtures` with torch installed)")
        session = Session("replay", nodeid, stored, store)
    else:
        torch = _real_torch()
        if torch is None:
            raise pytest.UsageError(f"GLASSGRAD_ORACLE={mode} needs torch installed")
        torch.manual_seed(0)  # layers' random initial weights must be the recorded ones
        session = Session("record", nodeid, stored if mode == "check" else None,
                          store if mode == "check" else None, real_torch=torch)
        session.check = mode == "check"
    request.node.stash[SESSION_KEY] = session
    return session.root


def after_passing_call(item: pytest.Item) -> None:
    """A test passed: store its recording (record mode) or check it against the stored one."""
    session = item.stash.get(SESSION_KEY, None)
    if session is None or session.mode == "replay":
        return
    if not session.check:
        FILES.add(session)
        return
    stored, store = FILES.entry(item.nodeid)
    if stored is None:
        raise OracleMismatch(f"{item.nodeid}: no recorded torch oracle for this test: "
                             "regenerate the fixtures with `make fixtures`")
    problem = difference(session, stored, store)
    if problem:
        raise OracleMismatch(f"{item.nodeid}: the recorded torch oracle is stale: {problem}. "
                             "Regenerate the fixtures with `make fixtures`.")


def note_collected(items: list[pytest.Item]) -> None:
    for item in items:
        module, test = _split(item.nodeid)
        FILES.collected.setdefault(module, set()).add(test)


def finish() -> list[Path]:
    return FILES.write() if FILES.new else []
