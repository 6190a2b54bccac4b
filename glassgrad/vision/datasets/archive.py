"""Unpacking a downloaded ``.tar.gz`` safely: no member may land outside the target folder.

``tarfile``'s "data" filter (Python 3.12's default, backported to 3.11.4) refuses absolute
paths, ``..`` components, links pointing outside the folder and device files; before it runs,
:func:`_check_members` refuses the same (and any link at all), also on Pythons without the filter.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path


def _check_members(archive: tarfile.TarFile, folder: Path) -> None:
    """Refuse members whose path leaves ``folder``, links, and special files."""
    root = folder.resolve()
    for member in archive.getmembers():
        target = (root / member.name).resolve()
        if root != target and root not in target.parents:
            raise tarfile.TarError(f"archive member {member.name!r} would be written outside {folder}")
        if not (member.isfile() or member.isdir()):
            raise tarfile.TarError(f"archive member {member.name!r} is not a plain file or folder")


def extract_archive(path: str | os.PathLike, folder: str | os.PathLike) -> Path:
    """Unpack the tar archive ``path`` (gzip'd or not) into ``folder``; return ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "r:*") as archive:
        _check_members(archive, folder)
        if hasattr(tarfile, "data_filter"):
            archive.extractall(folder, filter="data")
        else:  # Python < 3.11.4: the members were checked above
            archive.extractall(folder)  # noqa: S202
    return folder
