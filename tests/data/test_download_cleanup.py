"""A download killed outright (no ``finally`` ran) leaves a ``.part`` file; the next fetch removes it."""

from __future__ import annotations

import hashlib
import io

from glassgrad.data.download import fetch

PAYLOAD = b"some bytes of a data file"
SHA = hashlib.sha256(PAYLOAD).hexdigest()


def _opener(url: str, timeout: float) -> io.BytesIO:
    return io.BytesIO(PAYLOAD)


def _leftovers(tmp_path, name: str = "f") -> list[str]:
    return sorted(p.name for p in tmp_path.glob(f".{name}.*.part"))


def test_a_successful_download_removes_a_killed_one_s_part_file(tmp_path):
    (tmp_path / ".f.k1ll3d.part").write_bytes(PAYLOAD[:5])  # what SIGKILL mid-download leaves
    fetch("http://a/f", tmp_path / "f", sha256=SHA, opener=_opener, sleep=lambda s: None)
    assert (tmp_path / "f").read_bytes() == PAYLOAD
    assert _leftovers(tmp_path) == []


def test_a_cache_hit_also_removes_it_and_other_files_part_files_stay(tmp_path):
    (tmp_path / "f").write_bytes(PAYLOAD)
    (tmp_path / ".f.old.part").write_bytes(b"x")
    (tmp_path / ".g.old.part").write_bytes(b"x")  # another file's download: not ours to delete
    fetch("http://a/f", tmp_path / "f", sha256=SHA, opener=_opener, sleep=lambda s: None)
    assert _leftovers(tmp_path) == []
    assert _leftovers(tmp_path, "g") == [".g.old.part"]


def test_a_name_with_glob_characters_is_matched_literally(tmp_path):
    (tmp_path / ".f[1].x.part").write_bytes(b"x")
    (tmp_path / ".f1.x.part").write_bytes(b"x")  # would match the unescaped pattern .f[1].*.part
    fetch("http://a/f", tmp_path / "f[1]", sha256=SHA, opener=_opener, sleep=lambda s: None)
    assert not (tmp_path / ".f[1].x.part").exists()
    assert (tmp_path / ".f1.x.part").exists()
