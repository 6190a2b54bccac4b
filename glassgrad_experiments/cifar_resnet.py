"""ResNet-20 on CIFAR-10 (He et al. 2015, section 4.2), fed through DataLoader worker processes.

The CIFAR network: a 3 x 3 stem with 16 channels, three stages of 3 BasicBlocks each (16, 32 and
64 channels; stages 2 and 3 halve the resolution), global average pooling and a 10-way linear
layer: 20 weight layers, 0.27M parameters (:class:`glassgrad.nn.ResNet` ``(3, 3, 3)``; its
shortcuts are 1 x 1 projections where the shape changes, the paper's option B, where the paper's
CIFAR runs use zero-padding, option A).

Data and training as the paper: the images are read by :class:`glassgrad.vision.datasets.CIFAR10`
(PIL images), augmented with 4-pixel padding and random 32 x 32 crops and horizontal flips
(``transforms.RandomCrop(32, padding=4)``, ``RandomHorizontalFlip``), normalised per channel;
``--workers N`` DataLoader processes decode and augment the batches. SGD with momentum 0.9, weight
decay 1e-4, batch 128, learning rate 0.1 divided by 10 at 32k and 48k iterations (epochs 82 and
123 of 391 iterations), 64k iterations (164 epochs). The paper reports 91.25 % test accuracy;
the target is 91 %.

``--dataset cifar10`` (default) reads ``<data root>/cifar-10-batches-py`` (downloading the
archive, MD5-checked, where the host is reachable); ``--dataset synthetic`` (the smoke run)
writes a small generated archive in CIFAR's format into the output folder and downloads it from
there, through the same checked path.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data.download import DownloadError, data_root
from glassgrad.nn import functional as F
from glassgrad.utils.data import DataLoader, Subset
from glassgrad.vision import datasets, transforms
from glassgrad_experiments.common.cifar import MEAN, STD, synthetic_cifar10
from glassgrad_experiments.common.data import DataConfig

NAME = "cifar-resnet"
DESCRIPTION = "ResNet-20 on CIFAR-10 with random crops and flips through DataLoader workers (target >= 91 %)"

HEADLINE = ("test_accuracy", "target_met", "epochs", "workers", "seconds_per_epoch")


@dataclass
class Config(DataConfig):
    dataset: str = field(default="cifar10", metadata={"help": "cifar10 | synthetic (a generated archive, smoke)"})
    blocks: list[int] = field(default_factory=lambda: [3, 3, 3])  # ResNet-20
    widths: list[int] = field(default_factory=lambda: [16, 32, 64])
    epochs: int = 164  # 64k iterations of batch 128
    milestones: list[int] = field(default_factory=lambda: [82, 123])  # 32k and 48k iterations
    batch_size: int = 128
    lr: float = 0.1
    momentum: float = 0.9
    weight_decay: float = 1e-4
    workers: int = field(default=2, metadata={"allow_zero": True,
                                              "help": "DataLoader worker processes that decode and augment"})
    n_train: int = field(default=0, metadata={"help": "training images (0 = all 50k)"})
    n_test: int = field(default=0, metadata={"help": "test images (0 = all 10k)"})
    target: float = 0.91
    max_minutes: float = 0.0  # stop after this long (0 = no limit); reported if it cut the run


def smoke() -> Config:
    return Config(dataset="synthetic", blocks=[1, 1, 1], widths=[4, 8, 16], epochs=3, milestones=[2],
                  batch_size=32, lr=0.05, workers=0, n_train=320, n_test=160)


def load(cfg: Config, out_dir: Path) -> tuple[datasets.CIFAR10, datasets.CIFAR10, str]:
    """(training set with augmentation, test set, where they came from)."""
    normalize = transforms.Normalize(MEAN, STD)
    train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), normalize])
    test_tf = transforms.Compose([transforms.ToTensor(), normalize])
    if cfg.dataset == "synthetic":
        root = out_dir / "synthetic-cifar"
        dataset_class = synthetic_cifar10(root, cfg.n_train or 500, cfg.n_test or 200, cfg.seed)
        download = True
    elif cfg.dataset == "cifar10":
        root, dataset_class, download = data_root(cfg.data_dir or None), datasets.CIFAR10, cfg.download
    else:
        raise ValueError(f"cifar-resnet: unknown dataset {cfg.dataset!r} (cifar10 | synthetic)")
    try:
        train = dataset_class(root, train=True, transform=train_tf, download=download)
    except (DownloadError, RuntimeError) as error:
        if not isinstance(error, DownloadError) and "not found" not in str(error):
            raise
        why = str(error).splitlines()[0] if isinstance(error, DownloadError) else "--no-download"
        raise RuntimeError(f"CIFAR-10 is not in {root}/{datasets.CIFAR10.base_folder} and was not downloaded ({why}):"
                           " unpack cifar-10-python.tar.gz there, or pass --data-dir") from error
    test = dataset_class(root, train=False, transform=test_tf)
    return train, test, f"{dataset_class.__name__} in {root}"


def subset(dataset: datasets.CIFAR10, n: int) -> datasets.CIFAR10 | Subset:
    return Subset(dataset, range(min(n, len(dataset)))) if n else dataset


def evaluate(model: nn.Module, loader: DataLoader) -> float:
    model.eval()
    correct = total = 0
    with gg.no_grad():
        for xb, yb in loader:
            correct += int((model(xb).numpy().argmax(-1) == yb.numpy()).sum())
            total += len(yb)
    model.train()
    return correct / total


def run(cfg: Config, out_dir: Path) -> dict:
    for name in ("blocks", "widths", "milestones"):  # the CLI gives lists of strings
        setattr(cfg, name, [int(v) for v in getattr(cfg, name)])
    gg.manual_seed(cfg.seed)  # the augmentations' generator in this process (each worker seeds its own)
    train_set, test_set, source = load(cfg, out_dir)
    train_set, test_set = subset(train_set, cfg.n_train), subset(test_set, cfg.n_test)
    print(f"{source}: {len(train_set)} training / {len(test_set)} test images, {cfg.workers} workers")
    train_loader = DataLoader(train_set, batch_size=cfg.batch_size, shuffle=True, num_workers=cfg.workers,
                              persistent_workers=cfg.workers > 0, drop_last=len(train_set) >= cfg.batch_size,
                              generator=np.random.default_rng(cfg.seed + 1))
    test_loader = DataLoader(test_set, batch_size=250, num_workers=cfg.workers)
    model = nn.ResNet(cfg.blocks, cfg.widths, in_channels=3, num_classes=10, rng=np.random.default_rng(cfg.seed))
    n_params = sum(p.numel() for p in model.parameters())
    opt = optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
    schedule = optim.lr_scheduler.MultiStepLR(opt, milestones=cfg.milestones, gamma=0.1)
    print(f"ResNet-{2 * sum(cfg.blocks) + 2} {cfg.blocks} x {cfg.widths}: {n_params} parameters, "
          f"{cfg.epochs} epochs of {len(train_loader)} steps")
    losses, epoch_acc, epoch_seconds, start, cut = [], [], [], time.perf_counter(), False
    for epoch in range(cfg.epochs):
        epoch_start = time.perf_counter()
        for xb, yb in train_loader:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        schedule.step()
        epoch_seconds.append(time.perf_counter() - epoch_start)
        epoch_acc.append(evaluate(model, test_loader))
        print(f"  epoch {epoch + 1}: loss {np.mean(losses[-len(train_loader):]):.4f}, test accuracy "
              f"{epoch_acc[-1]:.4f} ({epoch_seconds[-1]:.1f} s)", flush=True)
        if cfg.max_minutes and time.perf_counter() - start > 60 * cfg.max_minutes and epoch + 1 < cfg.epochs:
            print(f"  time budget of {cfg.max_minutes} min reached after epoch {epoch + 1}", flush=True)
            cut = True
            break
    final = epoch_acc[-1]
    print(f"test accuracy {final:.4f} (target {cfg.target:.2f}: {'met' if final >= cfg.target else 'NOT met'})")
    gg.save({"model": model.state_dict()}, out_dir / "resnet20.npz")
    return {"test_accuracy": round(final, 4), "accuracy": final, "chance": 0.1,
            "first_loss": float(np.mean(losses[:2])), "final_loss": float(np.mean(losses[-2:])),
            "epoch_test_accuracy": [round(a, 4) for a in epoch_acc], "epochs": len(epoch_acc),
            "epoch_seconds": [round(s, 2) for s in epoch_seconds],
            "seconds_per_epoch": round(float(np.mean(epoch_seconds)), 2), "workers": cfg.workers,
            "parameters": n_params, "n_train": len(train_set), "source": source, "target": cfg.target,
            "target_met": final >= cfg.target, "cut_by_time_budget": cut,
            "train_seconds": round(time.perf_counter() - start, 1)}
