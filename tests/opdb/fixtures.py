"""The recorded op database: where it lives and how it is read (no torch needed).

tests/fixtures/opdb/
    ops.json              one entry per OpInfo: its name, how torch calls it, family, out-of-scope reason
    ops/<key>.npz         its samples and torch's answers ("index": the JSON, then one array per dtype)
    modules.json, modules/<name>.npz   the same for module_db

Everything is JSON plus flat NumPy buffers (tests/helpers/oracle_codec.ArrayStore): no pickle.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from tests.helpers.oracle_codec import ArrayStore

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "opdb"


def op_key(name: str, variant: str) -> str:
    """The OpInfo's test id: its name, then its variant after a dot ("max.reduction_with_dim")."""
    return f"{name}.{variant}" if variant else name


def read_index(kind: str = "ops") -> dict[str, dict[str, Any]]:
    """ops.json or modules.json: key -> entry (empty when nothing was recorded)."""
    path = ROOT / f"{kind}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def write_index(kind: str, index: dict[str, dict[str, Any]]) -> None:
    ROOT.mkdir(parents=True, exist_ok=True)
    (ROOT / f"{kind}.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")


def write_meta(kind: str, torch_version: str) -> None:
    meta_path = ROOT / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    meta[kind] = {"torch": torch_version}
    meta_path.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")


def read_meta() -> dict[str, Any]:
    meta_path = ROOT / "meta.json"
    return json.loads(meta_path.read_text()) if meta_path.exists() else {}


def read_samples(kind: str, key: str) -> tuple[dict[str, Any], ArrayStore]:
    """The stored samples of one OpInfo / ModuleInfo and the arrays they refer to."""
    with np.load(ROOT / kind / f"{key}.npz", allow_pickle=False) as data:
        index = json.loads(bytes(data["index"]).decode())
        buffers = {name: data[name] for name in data.files if name != "index"}
    return index, ArrayStore(buffers)


def write_samples(kind: str, key: str, record: dict[str, Any], store: ArrayStore) -> Path:
    store.flush()
    path = ROOT / kind / f"{key}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = np.frombuffer(json.dumps(record, sort_keys=True).encode(), dtype=np.uint8)
    np.savez_compressed(path, index=text, **store.buffers)
    return path
