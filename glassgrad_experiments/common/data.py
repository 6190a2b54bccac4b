"""Where the experiments find their data, and the data sets they share.

The data root is one setting, looked up in this order:

1. ``--data-dir DIR`` (the ``data_dir`` field of an experiment's Config);
2. the environment variable ``$GLASSGRAD_DATA``;
3. the user cache, ``~/.cache/glassgrad`` (``$GLASSGRAD_CACHE`` or ``$XDG_CACHE_HOME`` move it).

Image sets sit in ``<root>/mnist/`` and ``<root>/fashion-mnist/`` (or directly in the root),
as the classic IDX files (Fashion-MNIST also in Debian's ``/usr/share/datasets/fashion-mnist``);
text files in ``<root>/text/``. A set found in none of these places
is downloaded into the cache, checksum checked, with a progress bar, unless ``--no-download``;
when it cannot be had, the run stops with one line saying where to put the files.

``--dataset synthetic`` (every experiment that reads data has it) uses generated data
instead: seven-segment digits for the image sets, sentences over a small vocabulary or
made-up names for the text sets. The smoke runs use it, so they need no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from glassgrad.data import synthetic, transforms
from glassgrad.data.download import DownloadError, cache_dir, data_root, download_dataset, fetch
from glassgrad.data.mnist import find_files, load_mnist

SYNTHETIC = "synthetic"
IMAGE_SETS = {"mnist": "mnist", "fashion": "fashion-mnist"}  # --dataset value: folder (and library) name
IMAGE_STATS = {"mnist": (transforms.MNIST_MEAN, transforms.MNIST_STD),
               "fashion": (transforms.FASHION_MNIST_MEAN, transforms.FASHION_MNIST_STD)}
IDX_FILES = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, " \
            "t10k-labels-idx1-ubyte.gz"
DATA_DIR_HELP = "data root (default: $GLASSGRAD_DATA, else ~/.cache/glassgrad)"
DOWNLOAD_HELP = "fetch a missing data set into the cache (--no-download: never)"


@dataclass
class DataConfig:
    """The fields every experiment that reads a data set has; its Config subclasses this one
    (and may give ``dataset`` another default: an image set or a text corpus name)."""

    dataset: str = field(default="mnist", metadata={"help": "mnist | fashion | synthetic (generated data)"})
    data_dir: str = field(default="", metadata={"help": DATA_DIR_HELP})
    download: bool = field(default=True, metadata={"help": DOWNLOAD_HELP})
    seed: int = 0


@dataclass
class ImageDataConfig(DataConfig):
    """DataConfig with how many images to use."""

    n_train: int = field(default=0, metadata={"help": "training images (0 = all)"})
    n_test: int = field(default=0, metadata={"help": "test images (0 = all)"})


@dataclass(frozen=True)
class TextFile:
    """A text corpus: its file name under ``<root>/text/`` and, when it can be downloaded, where from."""

    filename: str
    urls: tuple[str, ...] = ()
    sha256: str | None = None


TEXT_SETS = {
    "tinyshakespeare": TextFile(
        "tinyshakespeare.txt",
        ("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",),
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"),
    "dinos": TextFile("dinos.txt"),  # one dinosaur name per line; no mirror we can vouch for
}


class DataNotFoundError(FileNotFoundError):
    """A data set is neither on disk nor downloadable; the message is one line saying where to put it."""


def _where(data_dir: str) -> str:
    """How the user named the data root, for error messages."""
    if data_dir:
        return f"--data-dir {data_dir}"
    return "$GLASSGRAD_DATA" if data_root(None) != cache_dir() else "the cache"


def _missing(what: str, folder: Path, files: str, data_dir: str, reason: str) -> DataNotFoundError:
    them = "them" if ", " in files else "it"
    return DataNotFoundError(f"{what} not found in {folder} ({_where(data_dir)}) and {reason}: put {files} in "
                             f"{folder}, or point --data-dir (or $GLASSGRAD_DATA) at the folder that holds {them}")


def _reason(err: DownloadError) -> str:
    """The last attempt's failure, one line: 'URLError: <urlopen error ...>'."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[-1].split(": ", 1)[-1] if lines else "unknown error"


# ----- image sets -----------------------------------------------------------------------------
def ensure_image_set(dataset: str, data_dir: str = "", download: bool = True) -> Path | None:
    """Make sure both splits of ``dataset`` ("mnist" or "fashion") can be read; returns the root to pass
    to ``load_mnist`` (None = the default search: $GLASSGRAD_DATA, then the cache).

    Downloads into the cache when the files are missing and ``download`` is on.
    """
    name = IMAGE_SETS[dataset]
    root = Path(data_dir).expanduser() if data_dir else None
    if all(find_files(name, train, root) is not None for train in (True, False)):
        return root
    folder = data_root(root) / name
    if not download:
        raise _missing(name, folder, IDX_FILES, data_dir, "--no-download forbids fetching them")
    print(f"{name}: not found in {folder}; downloading into {cache_dir() / name}")
    try:
        download_dataset(name, progress=True)
    except DownloadError as err:
        raise _missing(name, folder, IDX_FILES, data_dir, f"the download failed ({_reason(err)})") from err
    return root


@dataclass
class ImageData:
    """Train and test images (N, 1, H, W) float32 with labels (N,) int64, and how they were scaled.

    ``mean`` and ``std`` are what was subtracted and divided (0 and 1 when unscaled);
    ``background`` is the value a blank (zero) pixel became.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    mean: float
    std: float
    description: str

    @property
    def background(self) -> float:
        return (0.0 - self.mean) / self.std

    def flat(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(x_train, y_train, x_test, y_test) with every image flattened to one row."""
        return (self.x_train.reshape(len(self.x_train), -1), self.y_train,
                self.x_test.reshape(len(self.x_test), -1), self.y_test)


def load_images(dataset: str, data_dir: str = "", download: bool = True, n_train: int = 0, n_test: int = 0,
                seed: int = 0, standardize: bool = True, synthetic_size: int = 28) -> ImageData:
    """MNIST (``"mnist"``), Fashion-MNIST (``"fashion"``) or generated digits (``"synthetic"``).

    ``n_train`` / ``n_test`` keep the first images (0 = all; generated: 2000 and 500).
    ``standardize`` subtracts the data set's pixel mean and divides by its standard deviation
    (the published MNIST / Fashion-MNIST values; for generated digits, the training set's),
    else pixels stay in [0, 1]. Generated digits are ``synthetic_size`` pixels square.
    """
    if dataset == SYNTHETIC:
        rng = np.random.default_rng(seed)
        x_train, y_train = synthetic.digits(n_train or 2000, size=synthetic_size, rng=rng)
        x_test, y_test = synthetic.digits(n_test or 500, size=synthetic_size, rng=rng)
        mean, std = float(x_train.mean()), float(x_train.std())
        description = "generated seven-segment digits"
    elif dataset in IMAGE_SETS:
        root = ensure_image_set(dataset, data_dir, download)
        name = IMAGE_SETS[dataset]
        x_train, y_train = load_mnist(root, train=True, name=name, limit=n_train or None)
        x_test, y_test = load_mnist(root, train=False, name=name, limit=n_test or None)
        mean, std = IMAGE_STATS[dataset]
        description = name
    else:
        known = ", ".join([*IMAGE_SETS, SYNTHETIC])
        raise ValueError(f"--dataset must be one of {known}, got {dataset!r}")
    if not standardize:
        mean, std = 0.0, 1.0
    x_train, x_test = ((x.astype(np.float32) - np.float32(mean)) / np.float32(std) for x in (x_train, x_test))
    return ImageData(x_train[:, None], y_train.astype(np.int64), x_test[:, None], y_test.astype(np.int64),
                     mean, std, f"{description}: {len(x_train)} train, {len(x_test)} test")


# ----- text sets ------------------------------------------------------------------------------
def synthetic_text(n_chars: int = 6000, seed: int = 0) -> str:
    """Generated sentences over a 12-word vocabulary (``--dataset synthetic`` of the text experiments)."""
    rng = np.random.default_rng(seed)
    words = "the king and queen shall speak of love to thee my lord".split()
    lines: list[str] = []
    while sum(map(len, lines)) < n_chars:
        lines.append(" ".join(rng.choice(words, rng.integers(3, 8))).capitalize() + ".\n")
    return "".join(lines)[:n_chars]


def synthetic_names(n: int = 300, seed: int = 0) -> str:
    """Made-up dinosaur-like names, one a line: syllables and a classic ending."""
    rng = np.random.default_rng(seed)
    syllables = ["ab", "ta", "ro", "ven", "cer", "ky", "mi", "tho", "pa", "gal", "dro", "ne"]
    endings = ["saurus", "don", "raptor", "ops", "mimus"]
    names = {"".join(rng.choice(syllables, rng.integers(1, 4))).capitalize() + rng.choice(endings) for _ in range(n)}
    return "\n".join(sorted(names)) + "\n"


def text_path(name: str, data_dir: str = "", download: bool = True) -> Path:
    """The path of text corpus ``name`` ("tinyshakespeare", "dinos"): ``<root>/text/<file>`` (or the
    root itself, or the cache), downloaded into the cache when missing and a mirror is known."""
    if name not in TEXT_SETS:
        raise ValueError(f"unknown text data set {name!r}; known: {', '.join([*TEXT_SETS, SYNTHETIC])}")
    corpus = TEXT_SETS[name]
    root = data_root(data_dir or None)
    cached = cache_dir() / "text" / corpus.filename
    for path in (root / "text" / corpus.filename, root / corpus.filename, cached):
        if path.is_file():
            return path
    folder = root / "text"
    if not corpus.urls:
        raise _missing(corpus.filename, folder, corpus.filename, data_dir, "it cannot be downloaded")
    if not download:
        raise _missing(corpus.filename, folder, corpus.filename, data_dir, "--no-download forbids fetching it")
    print(f"{corpus.filename}: not found in {folder}; downloading into {cached.parent}")
    try:
        return fetch(list(corpus.urls), cached, sha256=corpus.sha256, progress=True)
    except DownloadError as err:
        raise _missing(corpus.filename, folder, corpus.filename, data_dir,
                       f"the download failed ({_reason(err)})") from err


def load_text(dataset: str, data_dir: str = "", download: bool = True, seed: int = 0) -> str:
    """The text of corpus ``dataset``; ``"synthetic"`` gives generated sentences."""
    if dataset == SYNTHETIC:
        return synthetic_text(seed=seed)
    return text_path(dataset, data_dir, download).read_text(encoding="utf-8")
