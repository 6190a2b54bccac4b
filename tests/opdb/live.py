"""With torch installed: are the recorded fixtures still what torch's database gives?

The tests re-record a fixed share of the entries (1 in CHECK_EVERY, chosen by a hash of the key; set
GLASSGRAD_OPDB_CHECK_EVERY=1 to check them all) and compare them with the stored ones; a test of its
own compares the set of entries and the torch version. Without torch (or with
GLASSGRAD_ORACLE=replay) nothing of this runs and the tests replay the fixtures only.
"""

from __future__ import annotations

import functools
import os
import zlib
from typing import Any

from tests.helpers.oracle_codec import ArrayStore, same
from tests.helpers.torch_oracle import oracle_mode
from tests.opdb.codec import ANSWERS, decode

CHECK_EVERY = int(os.environ.get("GLASSGRAD_OPDB_CHECK_EVERY", "16"))
TAGS = {"T", "dtype", "device", "obj", "t", "d", "a", "g", "f", "sl", "e", "b", "c", "dt"}
STALE = "stale fixture (torch's database changed, or the recorder did): run `python -m tests.opdb.record`"


def wanted() -> bool:
    """Whether to check against live torch: torch installed and not forced to replay."""
    return oracle_mode() != "replay"


def checked(key: str) -> bool:
    return zlib.crc32(key.encode()) % CHECK_EVERY == 0


def plain(data: Any, store: ArrayStore) -> Any:
    """A stored record (tagged values nested in plain dicts and lists) with every tagged value decoded."""
    if isinstance(data, list):
        return [plain(item, store) for item in data]
    if isinstance(data, dict):
        if len(data) == 1 and next(iter(data)) in TAGS:
            return decode(data, store, ANSWERS)
        return {key: plain(value, store) for key, value in data.items()}
    return data


def difference(stored: tuple[dict[str, Any], ArrayStore], live: tuple[dict[str, Any], ArrayStore]) -> str | None:
    """Where a live recording differs from the stored one (None when they agree)."""
    a, b = plain(*stored), plain(*live)
    for part in sorted(set(a) | set(b)):
        if not same(a.get(part), b.get(part)):
            return f"{part} differs: {STALE}"
    return None


@functools.cache
def live_database(kind: str) -> tuple[Any, dict[str, Any]] | None:
    """(torch, key -> what the recorder needs for that entry), or None without torch."""
    if not wanted():
        return None
    try:
        if kind == "ops":
            from tests.opdb import record as recorder
        else:
            from tests.opdb import record_modules as recorder
        return recorder.live_entries()
    except ImportError:  # torch without its test extras (expecttest): nothing to check against
        return None


def check_current(kind: str, key: str, stored: tuple[dict[str, Any], ArrayStore], entry: dict[str, Any]) -> None:
    """Re-record ``key`` with live torch (when it is one of the checked share) and compare (AssertionError)."""
    database = live_database(kind)
    if database is None or not checked(key):
        return
    torch, entries = database
    if kind == "ops":
        from tests.opdb import record as recorder
    else:
        from tests.opdb import record_modules as recorder
    live_entry, record, store = recorder.record_entry(torch, entries[key])
    store.flush()
    for field in ("call", "method", "out_of_scope", "samples"):
        assert live_entry.get(field) == entry.get(field), f"{key}: {field} differs: {STALE}"
    problem = difference(stored, (record, store))
    assert problem is None, f"{key}: {problem}"
