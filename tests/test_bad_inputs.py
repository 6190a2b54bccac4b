"""Every public entry point refuses bad input with one clear error that names its cause.

One table, one row per wrong call: the call, the exception type, and a regex the message
must match (it names the op or argument and what was wrong). Areas: tensors and ops,
layers, losses, optimisers and schedulers, data sets and loaders, the training loop,
IDX files, checkpoints; the command line has its own table below (exit code 2, one line).

A row's call takes ``tmp`` (a fresh folder) so that file rows can write what they read.
"""

from __future__ import annotations

import gzip
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import glassgrad as gg
import glassgrad.nn as nn
import glassgrad.nn.functional as F
import glassgrad.optim as optim
from glassgrad import cli
from glassgrad.data import DataLoader, TensorDataset, random_split, read_idx, write_idx
from glassgrad.serialization import CheckpointError
from glassgrad.train import Model, fit
from glassgrad.vision import transforms as vision_transforms
from glassgrad.vision import utils as vision_utils
from tests.test_serialization import crafted_entry

NAN = float("nan")


def t(*shape: int) -> gg.Tensor:
    return gg.tensor(np.random.default_rng(0).standard_normal(shape), dtype=gg.float32)


def param(n: int = 2) -> list[nn.Parameter]:
    return [nn.Parameter(gg.ones(n))]


def row(area: str, name: str, call: Callable[[Path], Any], error: type[BaseException], pattern: str) -> Any:
    return pytest.param(call, error, pattern, id=f"{area}: {name}")


# ----- helpers that make the files and objects some rows need -----------------------------------------
def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def idx_header(code: int, dims: tuple[int, ...]) -> bytes:
    return struct.pack(">HBB", 0, code, len(dims)) + struct.pack(f">{len(dims)}I", *dims)


def saved_checkpoint(tmp: Path) -> bytes:
    gg.save(nn.Linear(2, 2).state_dict(), tmp / "good.pt")
    return (tmp / "good.pt").read_bytes()


def load_saved(tmp: Path, **options: Any) -> Any:
    saved_checkpoint(tmp)
    return gg.load(tmp / "good.pt", **options)


def unknown_compression(tmp: Path) -> Path:
    """A checkpoint whose first central-directory entry claims compression method 99."""
    data = bytearray(saved_checkpoint(tmp))
    entry = data.find(b"PK\x01\x02")
    data[entry + 10:entry + 12] = (99).to_bytes(2, "little")
    return write(tmp, "method.pt", bytes(data))


def mnist_folder(tmp: Path, n_images: int, n_labels: int) -> Path:
    folder = tmp / "mnist"
    folder.mkdir()
    write_idx(folder / "train-images-idx3-ubyte", np.zeros((n_images, 28, 28), np.uint8))
    write_idx(folder / "train-labels-idx1-ubyte", np.zeros(n_labels, np.uint8))
    return tmp


def adam_state(n: int) -> dict[str, Any]:
    """An Adam state_dict over one parameter of ``n`` elements, after one step."""
    params = param(n)
    opt = optim.Adam(params)
    params[0].grad = gg.ones(n)
    opt.step()
    return opt.state_dict()


def momentum_state(n: int) -> dict[str, Any]:
    """An SGD(momentum=0.9) state_dict over one parameter of ``n`` elements, after one step."""
    params = param(n)
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    params[0].grad = gg.ones(n)
    opt.step()
    return opt.state_dict()


def stepped_scheduler(make: Callable[[optim.Optimizer], Any]) -> None:
    opt = optim.SGD(param(), lr=0.1)
    scheduler = make(opt)
    opt.step()
    scheduler.step()


def run_fit(**changes: Any) -> Any:
    model = nn.Linear(2, 2)
    x = np.random.default_rng(0).standard_normal((8, 2)).astype(np.float32)
    y = np.arange(8) % 2
    args: dict[str, Any] = {"x": x, "y": y, "loss_fn": nn.CrossEntropyLoss(),
                            "optimizer": optim.SGD(model.parameters(), lr=0.1), "verbose": False}
    args.update(changes)
    return fit(model, args.pop("x"), args.pop("y"), **args)


DATASET = TensorDataset(gg.zeros(5, 2), gg.arange(5))
READ_ONLY = np.ones(3, np.float32)
READ_ONLY.flags.writeable = False

ROWS = [
    # tensors and creation
    row("tensor", "None as data", lambda tmp: gg.tensor(None), TypeError, r"NoneType"),
    row("tensor", "a string", lambda tmp: gg.tensor("abc"), TypeError, r"str 'abc'"),
    row("tensor", "negative size", lambda tmp: gg.zeros(-1), RuntimeError, r"zeros.*negative dimension"),
    row("tensor", "float size", lambda tmp: gg.ones(2.5), TypeError, r"ones.*size must be ints.*2\.5"),
    row("tensor", "zero arange step", lambda tmp: gg.arange(0, 10, 0), RuntimeError, r"arange.*step must be nonzero"),
    row("tensor", "NaN arange end", lambda tmp: gg.arange(0, NAN), RuntimeError, r"arange.*finite.*end=nan"),
    row("tensor", "negative linspace steps", lambda tmp: gg.linspace(0, 1, -1), RuntimeError, r"linspace.*-1"),
    row("tensor", "unknown dtype", lambda tmp: gg.tensor([1.0], dtype="float33"), TypeError, r"float33"),
    row("tensor", "misspelt device", lambda tmp: gg.zeros(2, device="cdua"), RuntimeError, r"cdua"),
    row("tensor", "device index not a number", lambda tmp: gg.zeros(2, device="cuda:x"), RuntimeError,
        r"Invalid device string.*cuda:x"),
    row("tensor", "integer tensor requiring grad", lambda tmp: gg.tensor([1, 2], requires_grad=True),
        RuntimeError, r"floating point.*int64"),
    row("tensor", "string seed", lambda tmp: gg.manual_seed("a"), TypeError, r"manual_seed.*'a'"),
    row("tensor", "randint low >= high", lambda tmp: gg.randint(5, 2, (3,)), RuntimeError, r"randint.*low=5.*high=2"),
    # ops
    row("ops", "None operand", lambda tmp: t(2) + None, TypeError, r"NoneType"),
    row("ops", "dim out of range", lambda tmp: t(2, 3).sum(dim=5), IndexError, r"sum.*range.*got 5"),
    row("ops", "float dim", lambda tmp: t(2, 3).sum(dim=1.5), TypeError, r"sum: dim must be an int.*1\.5"),
    row("ops", "index out of bounds", lambda tmp: t(3)[10], IndexError, r"index 10.*size 3"),
    row("ops", "string index", lambda tmp: t(3)["a"], IndexError, r"got str"),
    row("ops", "reshape to a wrong count", lambda tmp: t(2, 3).reshape(5), ValueError, r"reshape.*\(2, 3\).*\(5,\)"),
    row("ops", "cat of nothing", lambda tmp: gg.cat([]), ValueError, r"cat.*non-empty"),
    row("ops", "matmul shapes", lambda tmp: t(2, 3) @ t(4, 5), ValueError, r"matmul.*\(2, 3\).*\(4, 5\)"),
    row("ops", "softmax dim out of range", lambda tmp: gg.softmax(t(2, 3), dim=3), IndexError,
        r"softmax.*Dimension out of range.*got 3"),
    row("ops", "clamp with a number beside a tensor bound", lambda tmp: t(3).clamp(gg.ones(3), 0), TypeError,
        r"clamp.*both be numbers or both be tensors"),
    row("ops", "one_hot label too big", lambda tmp: F.one_hot(gg.tensor([5, 0]), 3), ValueError, r"label 5.*3 classes"),
    row("ops", "gather with float index", lambda tmp: t(2, 3).gather(1, gg.tensor([[0.0], [1.0]])), TypeError,
        r"gather.*int64.*float32"),
    row("ops", "in-place result broadcasts bigger", lambda tmp: gg.zeros(3).add_(gg.ones(2, 3)), RuntimeError,
        r"add_.*\(3,\).*\(2, 3\)"),
    row("ops", "in-place on a graph broadcasts bigger",
        lambda tmp: (t(3).requires_grad_() * 1).mul_(gg.ones(2, 3)), RuntimeError, r"mul_.*\(3,\).*\(2, 3\)"),
    row("ops", "backward of a vector", lambda tmp: (t(3).requires_grad_() * 2).backward(), RuntimeError,
        r"scalar outputs.*\(3,\)"),
    row("ops", "item of three values", lambda tmp: t(3).item(), RuntimeError, r"3 elements"),
    # layers
    row("layers", "negative Linear size", lambda tmp: nn.Linear(-1, 2), ValueError, r"Linear: in_features.*-1"),
    row("layers", "float Linear size", lambda tmp: nn.Linear(2, 2.5), ValueError, r"Linear: out_features.*2\.5"),
    row("layers", "Linear input width", lambda tmp: nn.Linear(3, 2)(t(4, 5)), ValueError, r"Linear\(3, 2\).*\(4, 5\)"),
    row("layers", "Linear on None", lambda tmp: nn.Linear(3, 2)(None), TypeError, r"Linear\(3, 2\).*NoneType"),
    row("layers", "Conv2d channels", lambda tmp: nn.Conv2d(3, 2, 3)(t(1, 1, 5, 5)), ValueError,
        r"Conv2d.*3 input channels.*1"),
    row("layers", "Conv2d on None", lambda tmp: nn.Conv2d(1, 2, 3)(None), TypeError, r"NoneType"),
    row("layers", "Conv1d on None", lambda tmp: nn.Conv1d(1, 2, 3)(None), TypeError, r"NoneType"),
    row("layers", "Conv2d zero stride", lambda tmp: nn.Conv2d(1, 2, 3, stride=0)(t(1, 1, 5, 5)), ValueError,
        r"stride \(0, 0\)"),
    row("layers", "Conv2d padding word", lambda tmp: nn.Conv2d(1, 2, 3, padding="bogus"), ValueError,
        r"padding.*'bogus'"),
    row("layers", "MaxPool2d zero kernel", lambda tmp: nn.MaxPool2d(0)(t(1, 1, 4, 4)), ValueError,
        r"max_pool2d: kernel \(0, 0\)"),
    row("layers", "BatchNorm1d channels", lambda tmp: nn.BatchNorm1d(3)(t(4, 5)), ValueError, r"BatchNorm1d.*5"),
    row("layers", "BatchNorm2d on None", lambda tmp: nn.BatchNorm2d(2)(None), TypeError, r"NoneType"),
    row("layers", "GroupNorm on None", lambda tmp: nn.GroupNorm(1, 2)(None), TypeError, r"NoneType"),
    row("layers", "Flatten on None", lambda tmp: nn.Flatten()(None), TypeError, r"NoneType"),
    row("layers", "LayerNorm shape", lambda tmp: nn.LayerNorm(4)(t(2, 3)), ValueError, r"layer_norm.*\(2, 3\).*\(4,\)"),
    row("layers", "Embedding index too big", lambda tmp: nn.Embedding(5, 3)(gg.tensor([7])), IndexError,
        r"embedding.*\[0, 5\).*7"),
    row("layers", "Embedding float index", lambda tmp: nn.Embedding(5, 3)(gg.tensor([1.0])), TypeError,
        r"embedding.*int64 or int32.*float32"),
    row("layers", "Dropout p > 1", lambda tmp: nn.Dropout(1.5), ValueError, r"dropout probability.*1\.5"),
    row("layers", "Dropout p NaN", lambda tmp: nn.Dropout(NAN), ValueError, r"dropout probability.*nan"),
    row("layers", "LSTM features", lambda tmp: nn.LSTM(4, 3)(t(2, 5, 6)), ValueError, r"LSTM.*6 features.*4"),
    row("layers", "heads do not divide", lambda tmp: nn.MultiheadAttention(5, 2), ValueError, r"5.*divisible.*2"),
    row("layers", "Sequential of an int", lambda tmp: nn.Sequential(nn.Linear(2, 2), 3), TypeError,
        r"Sequential.*argument 1 is int"),
    row("layers", "uniform_ with a > b", lambda tmp: nn.init.uniform_(gg.empty(3), 1.0, 0.0), ValueError,
        r"uniform_.*a=1\.0, b=0\.0"),
    row("layers", "normal_ with a negative std", lambda tmp: nn.init.normal_(gg.empty(3), 0.0, -1.0), ValueError,
        r"normal_.*std=-1\.0"),
    row("layers", "normal_ with a NaN mean", lambda tmp: nn.init.normal_(gg.empty(3), NAN, 1.0), ValueError,
        r"normal_.*mean=nan"),
    row("layers", "state_dict shape", lambda tmp: nn.Linear(2, 2).load_state_dict(
        {"weight": gg.zeros(3, 2), "bias": gg.zeros(2)}), RuntimeError, r"size mismatch for weight.*\(2, 2\)"),
    row("layers", "state_dict missing key", lambda tmp: nn.Linear(2, 2).load_state_dict({"weight": gg.zeros(2, 2)}),
        RuntimeError, r"Missing key.*bias"),
    row("layers", "state_dict not a dict", lambda tmp: nn.Linear(2, 2).load_state_dict([1, 2]), TypeError,
        r"dict-like.*list"),
    # losses
    row("losses", "mse shapes", lambda tmp: F.mse_loss(t(3, 2), t(3)), ValueError, r"mse_loss.*\(3, 2\).*\(3,\)"),
    row("losses", "reduction name", lambda tmp: F.mse_loss(t(3), t(3), reduction="avg"), ValueError,
        r"mse_loss: reduction.*'avg'"),
    row("losses", "None target", lambda tmp: F.mse_loss(t(3), None), TypeError, r"NoneType"),
    row("losses", "class index too big", lambda tmp: F.cross_entropy(t(3, 4), gg.tensor([0, 1, 4])), ValueError,
        r"cross_entropy: target 4.*4 classes"),
    row("losses", "too few targets", lambda tmp: F.cross_entropy(t(3, 4), gg.tensor([0, 1])), ValueError,
        r"cross_entropy.*\(2,\).*\(3, 4\)"),
    row("losses", "label smoothing > 1", lambda tmp: F.cross_entropy(t(3, 4), gg.tensor([0, 1, 2]),
                                                                     label_smoothing=2.0), ValueError,
        r"label_smoothing.*2\.0"),
    row("losses", "class weight length", lambda tmp: F.cross_entropy(t(3, 4), gg.tensor([0, 1, 2]),
                                                                     weight=gg.ones(3)), ValueError,
        r"weight.*\(4,\).*\(3,\)"),
    row("losses", "module reduction", lambda tmp: nn.CrossEntropyLoss(reduction="bad"), ValueError,
        r"CrossEntropyLoss: reduction.*'bad'"),
    row("losses", "BCE input above 1", lambda tmp: F.binary_cross_entropy(gg.tensor([1.5]), gg.tensor([1.0])),
        ValueError, r"binary_cross_entropy.*\[0, 1\]"),
    row("losses", "BCE target shape", lambda tmp: F.binary_cross_entropy(gg.sigmoid(t(3)), gg.ones(4)), ValueError,
        r"binary_cross_entropy.*\(4,\).*\(3,\)"),
    row("losses", "nll float target", lambda tmp: F.nll_loss(t(3, 4), t(3)), ValueError, r"nll_loss.*integer targets"),
    row("losses", "huber negative delta", lambda tmp: F.huber_loss(t(3), t(3), delta=-1.0), ValueError,
        r"huber_loss.*delta.*-1\.0"),
    # optimisers and schedulers
    row("optim", "negative lr", lambda tmp: optim.SGD(param(), lr=-1), ValueError, r"Invalid learning rate: -1"),
    row("optim", "NaN lr", lambda tmp: optim.SGD(param(), lr=NAN), ValueError, r"Invalid learning rate: nan"),
    row("optim", "string lr", lambda tmp: optim.SGD(param(), lr="a"), TypeError, r"learning rate.*'a'"),
    row("optim", "None params", lambda tmp: optim.SGD(None, lr=0.1), TypeError, r"SGD: params.*NoneType"),
    row("optim", "a Module as params", lambda tmp: optim.SGD(nn.Linear(2, 2), lr=0.1), TypeError,
        r"SGD: params.*Linear.*parameters\(\)"),
    row("optim", "empty params", lambda tmp: optim.SGD([], lr=0.1), ValueError, r"empty parameter list"),
    row("optim", "ints as params", lambda tmp: optim.SGD([1, 2], lr=0.1), TypeError, r"SGD can only optimize Tensors"),
    row("optim", "beta of 1", lambda tmp: optim.Adam(param(), betas=(1.0, 0.9)), ValueError, r"beta.*index 0: 1\.0"),
    row("optim", "one beta", lambda tmp: optim.Adam(param(), betas=(0.9,)), ValueError, r"betas.*two.*\(0\.9,\)"),
    row("optim", "NaN eps", lambda tmp: optim.Adam(param(), eps=NAN), ValueError, r"Invalid epsilon value: nan"),
    row("optim", "group without params", lambda tmp: optim.Adam([{"lr": 0.1}]), ValueError,
        r"param group.*'params'"),
    row("optim", "added group with NaN lr", lambda tmp: optim.SGD(param(), lr=0.1).add_param_group(
        {"params": param(), "lr": NAN}), ValueError, r"Invalid learning rate: nan"),
    row("optim", "read-only parameter", lambda tmp: optim.SGD([gg.from_numpy(READ_ONLY).requires_grad_()], lr=0.1),
        ValueError, r"SGD.*read-only.*\(3,\)"),
    row("optim", "state_dict without groups", lambda tmp: optim.Adam(param()).load_state_dict({"foo": 1}),
        ValueError, r"load_state_dict.*'param_groups'"),
    row("optim", "state_dict None", lambda tmp: optim.Adam(param()).load_state_dict(None), TypeError,
        r"load_state_dict.*NoneType"),
    row("optim", "Adam state of another shape", lambda tmp: optim.Adam(param(2)).load_state_dict(adam_state(3)),
        ValueError, r"Adam.load_state_dict.*exp_avg.*\(3,\).*\(2,\)"),
    row("optim", "Adam's state into SGD", lambda tmp: optim.SGD(param(), lr=0.1, momentum=0.9).load_state_dict(
        adam_state(2)), ValueError, r"SGD.load_state_dict.*state of Adam.*missing 'momentum_buffer'.*unexpected"),
    row("optim", "SGD's state into Adam", lambda tmp: optim.Adam(param()).load_state_dict(momentum_state(2)),
        ValueError, r"Adam.load_state_dict.*state of SGD.*missing 'exp_avg'.*unexpected 'momentum_buffer'"),
    row("optim", "NaN max_norm", lambda tmp: nn.utils.clip_grad_norm_(param(), NAN), ValueError,
        r"clip_grad_norm_: max_norm.*nan"),
    row("optim", "negative clip value", lambda tmp: nn.utils.clip_grad_value_(param(), -1.0), ValueError,
        r"clip_grad_value_: clip_value.*-1"),
    row("optim", "norm_type word", lambda tmp: nn.utils.clip_grad_norm_(param(), 1.0, norm_type="x"), TypeError,
        r"norm_type.*'x'"),
    row("optim", "NaN gamma", lambda tmp: stepped_scheduler(lambda o: optim.lr_scheduler.ExponentialLR(o, NAN)),
        ValueError, r"ExponentialLR.*learning rate to nan"),
    row("optim", "negative gamma", lambda tmp: stepped_scheduler(lambda o: optim.lr_scheduler.ExponentialLR(o, -1.0)),
        ValueError, r"ExponentialLR.*learning rate to -0\.1"),
    row("optim", "zero T_max", lambda tmp: optim.lr_scheduler.CosineAnnealingLR(optim.SGD(param(), lr=0.1), 0),
        ValueError, r"CosineAnnealingLR: T_max.*0"),
    row("optim", "zero step_size", lambda tmp: optim.lr_scheduler.StepLR(optim.SGD(param(), lr=0.1), 0), ValueError,
        r"StepLR: step_size.*0"),
    # data sets and loaders
    row("data", "tensors of different lengths", lambda tmp: TensorDataset(gg.zeros(5, 2), gg.arange(4)), ValueError,
        r"TensorDataset: size mismatch.*\(5, 2\).*\(4,\)"),
    row("data", "None in a TensorDataset", lambda tmp: TensorDataset(None), TypeError, r"TensorDataset.*None"),
    row("data", "sample index too big", lambda tmp: DATASET[10], IndexError, r"TensorDataset.*10.*5 samples"),
    row("data", "zero batch size", lambda tmp: DataLoader(DATASET, batch_size=0), ValueError, r"batch_size=0"),
    row("data", "None data set", lambda tmp: DataLoader(None), TypeError, r"DataLoader: dataset is None"),
    row("data", "negative workers", lambda tmp: DataLoader(DATASET, num_workers=-1), ValueError, r"num_workers"),
    row("data", "split lengths", lambda tmp: random_split(DATASET, [3, 3]), ValueError, r"random_split.*\[3, 3\].*5"),
    row("data", "ragged samples", lambda tmp: list(DataLoader([np.ones(2), np.ones(3)], batch_size=2)), RuntimeError,
        r"equal size.*\(2,\).*\(3,\)"),
    row("data", "Normalize with too many means", lambda tmp: vision_transforms.Normalize((0.5, 0.5), (1.0, 1.0))(
        gg.zeros(3, 4, 4)), ValueError, r"normalize: mean has 2 values but the image has 3 channels"),
    row("data", "Normalize with a NaN mean", lambda tmp: vision_transforms.Normalize((NAN,), (1.0,))(gg.zeros(1, 2, 2)),
        ValueError, r"normalize: mean \[nan\].*finite"),
    row("data", "make_grid of nothing", lambda tmp: vision_utils.make_grid([]), ValueError, r"make_grid.*empty"),
    # the training loop
    row("fit", "no targets", lambda tmp: run_fit(y=None), ValueError, r"fit: y \(the targets\) is missing"),
    row("fit", "no optimizer", lambda tmp: run_fit(optimizer=None), TypeError, r"fit: optimizer.*NoneType"),
    row("fit", "no loss", lambda tmp: run_fit(loss_fn=None), TypeError, r"fit: loss_fn.*NoneType"),
    row("fit", "an int as callback", lambda tmp: run_fit(callbacks=[3]), TypeError, r"fit: callbacks.*int"),
    row("fit", "negative initial epoch", lambda tmp: run_fit(initial_epoch=-1), ValueError, r"initial_epoch.*-1"),
    row("fit", "validation data of one array", lambda tmp: run_fit(validation_data=(np.zeros((2, 2)),)), ValueError,
        r"validation_data.*length 1"),
    row("fit", "zero batches", lambda tmp: run_fit(x=np.zeros((0, 2), np.float32), y=np.zeros(0, np.int64)),
        ValueError, r"fit: the training data gives no batch"),
    row("fit", "mismatched x and y", lambda tmp: run_fit(y=np.zeros(5, np.int64)), ValueError, r"\(8, 2\).*\(5,\)"),
    row("fit", "Model of None", lambda tmp: Model(None), TypeError, r"Model: expected a Module.*NoneType"),
    row("fit", "compile with None", lambda tmp: Model(nn.Linear(2, 2)).compile(optimizer=None), TypeError,
        r"Model.compile: optimizer.*NoneType"),
    # IDX files
    row("idx", "empty file", lambda tmp: read_idx(write(tmp, "e.idx", b"")), ValueError, r"e\.idx.*too short"),
    row("idx", "bad magic", lambda tmp: read_idx(write(tmp, "m.idx", b"\x01\x02\x08\x01" + bytes(8))), ValueError,
        r"m\.idx: bad magic"),
    row("idx", "dims overflow", lambda tmp: read_idx(write(tmp, "o.idx", idx_header(8, (2**32 - 1,) * 3))),
        ValueError, r"o\.idx: header dims.*overflow"),
    row("idx", "dims wrap to zero", lambda tmp: read_idx(write(tmp, "w.idx", idx_header(8, (2**16,) * 4))),
        ValueError, r"w\.idx: header dims.*overflow"),
    row("idx", "truncated data", lambda tmp: read_idx(write(tmp, "t.idx", idx_header(8, (10,)) + bytes(5))),
        ValueError, r"t\.idx: truncated.*10.*5"),
    row("idx", "corrupt gzip", lambda tmp: read_idx(write(tmp, "g.idx.gz", gzip.compress(bytes(40))[:-12])),
        ValueError, r"g\.idx\.gz: corrupt or truncated gzip"),
    row("idx", "int64 array", lambda tmp: write_idx(tmp / "x.idx", np.array([1], dtype=np.int64)), TypeError,
        r"idx_bytes: dtype int64"),
    row("idx", "dim too big for the header", lambda tmp: write_idx(tmp / "x.idx", np.zeros((0, 2**32), np.uint8)),
        ValueError, r"idx_bytes.*2\*\*32"),
    row("idx", "missing MNIST folder", lambda tmp: gg.data.MNIST(root=tmp / "nothing"), FileNotFoundError,
        r"mnist train files not found in: .*nothing"),
    row("idx", "images and labels disagree", lambda tmp: gg.data.MNIST(root=mnist_folder(tmp, 3, 2)), ValueError,
        r"3 images.*2 labels"),
    # checkpoints
    row("checkpoint", "save to a folder", lambda tmp: gg.save({}, tmp), IsADirectoryError, r"is a folder"),
    row("checkpoint", "save under a file", lambda tmp: gg.save({}, write(tmp, "f", b"") / "x.pt"),
        NotADirectoryError, r"save: cannot write .*x\.pt: .*f is a file"),
    row("checkpoint", "save a lambda", lambda tmp: gg.save({"f": lambda: 1}, tmp / "l.pt"), TypeError,
        r"save: cannot store function at f"),
    row("checkpoint", "missing file", lambda tmp: gg.load(tmp / "missing.pt"), FileNotFoundError, r"missing\.pt"),
    row("checkpoint", "empty file", lambda tmp: gg.load(write(tmp, "empty.pt", b"")), CheckpointError,
        r"empty\.pt is neither"),
    row("checkpoint", "truncated file", lambda tmp: gg.load(write(tmp, "cut.pt", saved_checkpoint(tmp)[:300])),
        CheckpointError, r"cut\.pt is not a readable checkpoint"),
    row("checkpoint", "unknown compression", lambda tmp: gg.load(unknown_compression(tmp)), CheckpointError,
        r"method\.pt is not a readable checkpoint"),
    row("checkpoint", "a tensor of strings", lambda tmp: gg.load(crafted_entry(tmp, "<U2", (2,), bytes(16))),
        CheckpointError, r"crafted\.pt is not a valid checkpoint: entry 'w' holds strings"),
    row("checkpoint", "a tensor of datetimes", lambda tmp: gg.load(crafted_entry(tmp, "<M8[D]", (2,), bytes(16))),
        CheckpointError, r"crafted\.pt is not a valid checkpoint: entry 'w' holds datetimes"),
    row("checkpoint", "2**40 elements over 16 bytes", lambda tmp: gg.load(crafted_entry(tmp, "<f8", (2**40,),
                                                                                        bytes(16))),
        CheckpointError, r"crafted\.pt.*entry 'w' declares shape \(1099511627776,\) of float64.*holds 16 bytes"),
    row("checkpoint", "bad map_location", lambda tmp: load_saved(tmp, map_location="gpu"), RuntimeError, r"gpu"),
]


@pytest.mark.parametrize("call, error, pattern", ROWS)
def test_bad_input_names_its_cause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: Callable[[Path], Any],
                                   error: type[BaseException], pattern: str) -> None:
    monkeypatch.setenv("GLASSGRAD_CACHE", str(tmp_path / "cache"))  # no data set found outside the test
    monkeypatch.delenv("GLASSGRAD_DATA", raising=False)
    with pytest.raises(error) as caught:
        call(tmp_path)
    message = str(caught.value).strip()
    assert type(caught.value) is not KeyError, f"bare KeyError: {message}"
    assert re.search(pattern, message, flags=re.DOTALL), f"{type(caught.value).__name__}: {message!r}"


# ----- the command line: exit code 2 and one line on stderr, no traceback --------------------------------
CLI_ROWS = [
    pytest.param(["run", "demo", "--smoke", "--epochs", "0"], r"--epochs must be at least 1, got 0", id="zero epochs"),
    pytest.param(["run", "demo", "--smoke", "--batch-size", "0"], r"--batch-size must be at least 1", id="batch 0"),
    pytest.param(["run", "demo", "--smoke", "--lr", "nan"], r"--lr must be a finite number, got nan", id="NaN lr"),
    pytest.param(["export", "{tmp}/nothing", "--format", "onnx"], r"not a run folder", id="export no run"),
    pytest.param(["sweep", "demo", "--seeds", "a,b"], r"--seeds a,b: expected non-negative integers", id="bad seeds"),
    pytest.param(["run", "dinos", "--smoke", "--seq-len", "300"], r"give no window of --seq-len 300: lower --seq-len",
                 id="char window longer than the text"),  # it used to loop for ever, never stepping
]


@pytest.mark.parametrize("argv, pattern", CLI_ROWS)
def test_cli_error_is_one_line_with_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               argv: list[str], pattern: str) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if argv[0] == "run":
        argv += ["--out", str(tmp_path / "out")]
    code = cli.main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert re.search(pattern, err), err


def broken_run(tmp: Path, what: str) -> Path:
    """A mnist-mlp run folder as `glassgrad run` leaves it, with one thing wrong."""
    import json

    from glassgrad_experiments import mnist_mlp

    run = tmp / "run"
    run.mkdir()
    record = json.dumps({"experiment": mnist_mlp.NAME, "config": {"dataset": "synthetic"}, "results": {}}, indent=2)
    model = mnist_mlp.build_model(mnist_mlp.Config(dataset="synthetic"), {})
    state = dict(model.state_dict())
    if what == "truncated results.json":
        record = record[:record.index("mnist") + 3]  # cut off mid-write, inside a string
    else:  # weights of another model: a key missing, one unexpected, one of another size
        first, last = list(state)[0], list(state)[-1]
        state[first] = gg.zeros(3, *state[first].shape[1:])
        del state[last]
        state["head.weight"] = gg.zeros(2, 2)
    (run / "results.json").write_text(record)
    gg.save({"model": state}, run / mnist_mlp.WEIGHTS)
    return run


@pytest.mark.parametrize("what, pattern", [
    ("truncated results.json", r"run/results\.json: not readable JSON \(Unterminated string"),
    ("weights of another model", r"run/model\.npz: the weights do not fit mnist-mlp's model .*Missing key\(s\) in "
                                 r"state_dict: .*Unexpected key\(s\) in state_dict: .head\.weight.*size mismatch for"),
])
def test_export_of_a_broken_run_names_the_file_and_every_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                what: str, pattern: str) -> None:
    run = broken_run(tmp_path, what)
    code = cli.main(["export", str(run), "--format", "safetensors", "--out", str(tmp_path / "w.safetensors")])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert re.search(pattern, err), err
    assert not (tmp_path / "w.safetensors").exists()
