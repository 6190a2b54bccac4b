"""Fetching data files: checksums, retries, mirrors, atomic writes, injectable opener.

``fetch(urls, dest, sha256=..., md5=...)`` downloads one file:

1. if ``dest`` already exists and its checksum matches, nothing is fetched (cache hit);
2. otherwise each mirror is tried in turn, ``retries`` rounds, with a short
   back-off between rounds; bytes stream into a temporary file next to ``dest``;
3. the checksum (SHA-256 where known, else MD5 where known) is verified, and
   an optional ``validate(path)`` hook checks the content (e.g. IDX structure);
4. only then is the temporary file renamed onto ``dest`` (``os.replace`` is
   atomic), so an interrupted or bad download never leaves a partial file
   (a killed one's leftover ``.part`` file is removed by the next fetch of it).

Where no checksum is published for a file, the content check is the guard and
the SHA-256 computed on first download is recorded beside it
(``<file>.sha256``) and checked on later cache hits.

``opener(url, timeout)`` returns a readable binary stream; it defaults to
``default_opener`` (``urllib.request.urlopen``), looked up at call time, and
tests pass (or monkeypatch in) a fake one, so tests never touch the network.
``progress=True`` draws a one-line progress bar on stderr while a file streams in.

Where data lives: :func:`data_root` is the one folder a user puts data sets in
(an explicit ``root``, else ``$GLASSGRAD_DATA``, else the user cache
:func:`cache_dir`); downloads land in the cache.
"""

from __future__ import annotations

import glob
import hashlib
import os
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Opener = Callable[[str, float], Any]


class DownloadError(RuntimeError):
    """Every mirror and retry failed; the message lists each attempt."""


@dataclass(frozen=True)
class RemoteFile:
    """One published file: its name and the checksums we know (None = not known)."""

    name: str
    md5: str | None = None
    sha256: str | None = None


# MD5s are the published ones (also used by torchvision); the SHA-256s were computed from
# files whose MD5 matched. Files with neither are checked by content and their hash recorded.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
MNIST_FILES = (
    RemoteFile("train-images-idx3-ubyte.gz", md5="f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    RemoteFile("train-labels-idx1-ubyte.gz", md5="d53e105ee54ea40749a09fcbcd1e9432"),
    RemoteFile("t10k-images-idx3-ubyte.gz", md5="9fb629c4189551a2d022fa330f9573f3",
               sha256="8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    RemoteFile("t10k-labels-idx1-ubyte.gz", md5="ec29112dd5afa0611ce80d1b7f02629c",
               sha256="f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
)
FASHION_MIRRORS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)
FASHION_FILES = (
    RemoteFile("train-images-idx3-ubyte.gz", md5="8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
    RemoteFile("train-labels-idx1-ubyte.gz", md5="25c81989df183df01b3e8a0aad5dffbe"),
    RemoteFile("t10k-images-idx3-ubyte.gz", md5="bef4ecab320f06d8554ea6380940ec79"),
    RemoteFile("t10k-labels-idx1-ubyte.gz", md5="bb300cfdad3c16e7a12a480ee83cd310"),
)
DATASETS = {"mnist": (MNIST_MIRRORS, MNIST_FILES), "fashion-mnist": (FASHION_MIRRORS, FASHION_FILES)}


def cache_dir() -> Path:
    """``$GLASSGRAD_CACHE``, else ``$XDG_CACHE_HOME/glassgrad``, else ``~/.cache/glassgrad``."""
    if os.environ.get("GLASSGRAD_CACHE"):
        return Path(os.environ["GLASSGRAD_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "glassgrad"


def file_digest(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in 1 MiB chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def data_root(root: str | os.PathLike | None = None) -> Path:
    """The folder that holds the data sets: ``root`` when given, else ``$GLASSGRAD_DATA``, else :func:`cache_dir`."""
    if root is not None and str(root) != "":
        return Path(root).expanduser()
    if os.environ.get("GLASSGRAD_DATA"):
        return Path(os.environ["GLASSGRAD_DATA"]).expanduser()
    return cache_dir()


def default_opener(url: str, timeout: float) -> Any:
    """``urllib.request.urlopen(url, timeout=timeout)``: what :func:`fetch` uses when given no opener."""
    return urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 (mirrors are https/http constants)


class ProgressBar:
    """A one-line progress bar on stderr: ``name [#####.....]  45%  4.5/9.9 MB``.

    ``total`` is the expected byte count (None when the server does not say: then only the
    megabytes so far are shown). Redrawn at most ten times a second; ``close`` ends the line.
    """

    WIDTH = 30

    def __init__(self, name: str, total: int | None, stream: Any = None) -> None:
        self.name, self.total, self.done = name, total, 0
        self.stream = stream if stream is not None else sys.stderr
        self._last_draw = 0.0

    def update(self, n_bytes: int) -> None:
        self.done += n_bytes
        now = time.monotonic()
        if now - self._last_draw >= 0.1:
            self._last_draw = now
            self._draw()

    def _draw(self) -> None:
        megabytes = f"{self.done / 1e6:.1f}"
        if self.total:
            fraction = min(self.done / self.total, 1.0)
            filled = int(fraction * self.WIDTH)
            line = (f"{self.name} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:4.0%} "
                    f"{megabytes}/{self.total / 1e6:.1f} MB")
        else:
            line = f"{self.name} {megabytes} MB"
        self.stream.write("\r" + line)
        self.stream.flush()

    def close(self) -> None:
        self._draw()
        self.stream.write("\n")
        self.stream.flush()


def _content_length(response: Any) -> int | None:
    """The byte count the server announced (Content-Length), or None."""
    headers = getattr(response, "headers", None)
    value = headers.get("Content-Length") if headers is not None else None
    return int(value) if value is not None and str(value).isdigit() else None


def _checksum_problem(path: Path, sha256: str | None, md5: str | None) -> str | None:
    """None when the file matches the known checksum(s), else a description."""
    if sha256 is not None:
        got = file_digest(path, "sha256")
        if got != sha256.lower():
            return f"SHA-256 mismatch: expected {sha256}, got {got}"
    elif md5 is not None:
        got = file_digest(path, "md5")
        if got != md5.lower():
            return f"MD5 mismatch: expected {md5}, got {got}"
    return None


def _recorded_sha(dest: Path) -> Path:
    return dest.with_name(dest.name + ".sha256")


def is_cached(dest: Path, sha256: str | None = None, md5: str | None = None) -> bool:
    """True when ``dest`` exists and matches the known (or recorded) checksum."""
    if not dest.is_file():
        return False
    if sha256 is None and md5 is None and _recorded_sha(dest).is_file():
        sha256 = _recorded_sha(dest).read_text().split()[0]
    return _checksum_problem(dest, sha256, md5) is None


def _remove_stale_parts(dest: Path) -> None:
    """Delete ``.<name>.*.part`` files that a killed download of ``dest`` left beside it.

    ``_download_once`` removes its own temporary file on any error, but a process that is
    killed outright (SIGKILL, power loss) runs no cleanup; once ``dest`` is good, such leftovers
    are only litter.
    """
    for leftover in dest.parent.glob(f".{glob.escape(dest.name)}.*.part"):
        try:
            leftover.unlink()
        except OSError:  # already gone (another process cleaned it) or not ours to delete
            pass


def _download_once(url: str, dest: Path, opener: Opener, timeout: float, sha256: str | None, md5: str | None,
                   validate: Callable[[Path], None] | None, progress: bool = False) -> None:
    """One attempt: stream into a temp file, verify, rename. Raises on any problem."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            response = opener(url, timeout)
            bar = ProgressBar(dest.name, _content_length(response)) if progress else None
            try:
                for chunk in iter(lambda: response.read(1 << 16), b""):
                    out.write(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
            finally:
                if bar is not None:
                    bar.close()
                close = getattr(response, "close", None)
                if close is not None:
                    close()
        problem = _checksum_problem(tmp, sha256, md5)
        if problem:
            raise ValueError(problem)
        if validate is not None:
            validate(tmp)
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()


def fetch(urls: str | Sequence[str], dest: str | os.PathLike, *, sha256: str | None = None,
          md5: str | None = None, validate: Callable[[Path], None] | None = None, retries: int = 3,
          opener: Opener | None = None, timeout: float = 30.0, backoff: float = 1.0,
          sleep: Callable[[float], None] | None = None, progress: bool = False) -> Path:
    """Download ``dest`` from the first mirror that works; return its path.

    Args:
        urls: one URL or several mirrors, tried in order each round.
        dest: final path; its folder is created.
        sha256, md5: expected checksums (SHA-256 preferred). With neither, the
            SHA-256 of the first good download is recorded in ``dest.sha256``.
        validate: extra content check ``validate(path)`` that raises on bad content.
        retries: rounds over all mirrors before giving up.
        opener: ``opener(url, timeout) -> binary stream``; default :func:`default_opener` (urllib).
        backoff: seconds slept after a failed round, doubled each round.
        progress: draw a progress bar on stderr while the file streams in.
    """
    dest = Path(dest)
    urls = [urls] if isinstance(urls, str) else list(urls)
    if not urls:
        raise ValueError(f"fetch {dest.name}: no URL given")
    if retries < 1:
        raise ValueError(f"fetch {dest.name}: retries must be >= 1, got {retries}")
    if is_cached(dest, sha256, md5):
        _remove_stale_parts(dest)
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    opener = opener or default_opener
    errors: list[str] = []
    for attempt in range(retries):
        for url in urls:
            try:
                _download_once(url, dest, opener, timeout, sha256, md5, validate, progress)
            except Exception as exc:  # noqa: BLE001 (any failure means: try the next mirror)
                errors.append(f"round {attempt + 1} {url}: {type(exc).__name__}: {exc}")
                continue
            if sha256 is None and md5 is None:
                _recorded_sha(dest).write_text(f"{file_digest(dest)}  {dest.name}\n")
            _remove_stale_parts(dest)
            return dest
        if attempt + 1 < retries:
            (sleep or time.sleep)(backoff * 2**attempt)  # time.sleep looked up now: tests may replace it
    raise DownloadError(f"could not download {dest.name}:\n  " + "\n  ".join(errors))


def download_dataset(name: str, root: str | os.PathLike | None = None, *, names: Sequence[str] | None = None,
                     opener: Opener | None = None, retries: int = 3, mirrors: Sequence[str] | None = None,
                     sleep: Callable[[float], None] | None = None, progress: bool = False) -> Path:
    """Fetch a known data set's files (``"mnist"`` or ``"fashion-mnist"``) into ``root/name``.

    ``root`` defaults to :func:`cache_dir`; ``names`` picks a subset of the files.
    Each file is also checked as IDX; ``progress`` draws a bar per file. Returns the folder.
    """
    from glassgrad.data.idx import read_idx

    if name not in DATASETS:
        raise ValueError(f"download_dataset: unknown data set {name!r}; known: {', '.join(DATASETS)}")
    default_mirrors, files = DATASETS[name]
    folder = Path(root if root is not None else cache_dir()) / name
    for remote in files:
        if names is not None and remote.name not in names:
            continue
        fetch([m + remote.name for m in (mirrors or default_mirrors)], folder / remote.name,
              sha256=remote.sha256, md5=remote.md5, validate=lambda p: read_idx(p), opener=opener,
              retries=retries, sleep=sleep, progress=progress)
    return folder
