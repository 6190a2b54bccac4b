"""Data-parallel training of the MNIST CNN on N processes against 1 (``glassgrad.distributed``).

The training script, with the training loop (``glassgrad_experiments/_ddp_mnist_worker.py``), is a PyTorch
DDP script with its imports changed: ``init_process_group``, ``DistributedSampler``,
``DistributedDataParallel``, started by ``python -m glassgrad.distributed.run --nproc-per-node N``
(torchrun's contract). It is run twice with the same global batch: on 1 process and on ``--nproc``
processes. Each process of the second run computes the gradient of its share of every batch; DDP averages
them during backward, so both runs take the same steps. After one step the weights agree to float32 rounding
(~1e-8); over hundreds of steps training amplifies rounding differences (it is chaotic: two float32 runs on
1 process whose sums are merely ordered differently part the same way), so the final weights differ by more
while the accuracies stay equal within noise. ``--dtype float64`` keeps the runs equal to ~1e-12 throughout.

Reported: seconds per epoch of each run and their ratio (the speed-up), both test accuracies, the
largest weight difference, and the machine's load while it ran (``os.getloadavg``): on a machine busy
with other work the speed-up means little. Each process uses one BLAS thread in both runs, so the
ratio measures data parallelism, not threads. Target: a speed-up >= 1.5 on 2 processes, on a quiet
machine with at least 2 free cores (the run reports whether it was met, and fails only its smoke
check on accuracy).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from glassgrad.distributed import mpi
from glassgrad_experiments.common.data import ImageDataConfig, load_images

NAME = "ddp-mnist"
DESCRIPTION = "MNIST CNN with DistributedDataParallel on --nproc processes vs 1: speed-up, equal weights"
HEADLINE = ("speedup", "seconds_per_epoch_1", "seconds_per_epoch_n", "accuracy", "max_weight_difference")
ROOT = Path(__file__).resolve().parents[1]  # the folder that holds the glassgrad_experiments package


@dataclass
class Config(ImageDataConfig):
    nproc: int = field(default=2, metadata={"help": "processes of the data-parallel run"})
    epochs: int = 1
    batch_size: int = field(default=64, metadata={"help": "the global batch (split over the processes)"})
    lr: float = 0.05
    n_train: int = 12800
    n_test: int = 2000
    dtype: str = field(default="float32", metadata={"help": "float32 | float64 (the runs then agree to ~1e-12)"})


def smoke() -> Config:
    return Config(dataset="synthetic", n_train=256, n_test=128, batch_size=32, epochs=1)


def validate(cfg: Config) -> None:
    if cfg.dtype not in ("float32", "float64"):
        raise ValueError(f"--dtype must be float32 or float64, got {cfg.dtype!r}")
    if cfg.nproc < 1 or cfg.batch_size % cfg.nproc:
        raise ValueError(f"--nproc {cfg.nproc} must be >= 1 and divide --batch-size {cfg.batch_size}")


def _train(cfg: Config, nproc: int, out: Path) -> dict:
    out = out.resolve()
    worker = ["-m", "glassgrad_experiments._ddp_mnist_worker", str(out), "--dataset", cfg.dataset,
              "--data_dir", cfg.data_dir,
              "--n_train", str(cfg.n_train), "--n_test", str(cfg.n_test), "--epochs", str(cfg.epochs),
              "--batch_size", str(cfg.batch_size), "--lr", str(cfg.lr), "--seed", str(cfg.seed),
              "--dtype", cfg.dtype]
    if nproc > 1 or mpi.available():
        command = [sys.executable, "-m", "glassgrad.distributed.run", "--nproc-per-node", str(nproc), *worker]
    else:
        command = [sys.executable, *worker]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    subprocess.run(command, check=True, env=env)
    return json.loads(out.read_text())


def _largest_difference(out_dir: Path, nproc: int, suffix: str) -> float:
    one, many = np.load(out_dir / f"one_process.json{suffix}"), np.load(out_dir / f"{nproc}_processes.json{suffix}")
    return max(float(np.max(np.abs(one[k] - many[k]))) for k in one.files)


def run(cfg: Config, out_dir: Path) -> dict:
    load_images(cfg.dataset, cfg.data_dir, cfg.download, 1, 1, cfg.seed)  # fetch the data once, before the workers
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    one = _train(cfg, 1, out_dir / "one_process.json")
    many = None
    if mpi.available():
        many = _train(cfg, cfg.nproc, out_dir / f"{cfg.nproc}_processes.json")
    else:
        print("mpi4py is not installed: only the 1-process run (pip install -e '.[distributed]')", file=sys.stderr)
    load = max(load, os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"))
    per_epoch_1 = float(np.mean(one["epoch_seconds"]))
    results = {"first_loss": one["first_loss"], "final_loss": one["final_loss"], "accuracy": one["accuracy"],
               "chance": 0.1, "seconds_per_epoch_1": round(per_epoch_1, 3), "nproc": cfg.nproc,
               "cpu_count": os.cpu_count(), "load_average": round(load, 2)}
    if many is not None:
        per_epoch_n = float(np.mean(many["epoch_seconds"]))
        first, difference = (_largest_difference(out_dir, cfg.nproc, suffix) for suffix in (".step1.npz", ".npz"))
        results.update(seconds_per_epoch_n=round(per_epoch_n, 3), speedup=round(per_epoch_1 / per_epoch_n, 3),
                       accuracy_n=many["accuracy"], final_loss_n=many["final_loss"],
                       weight_difference_after_step_1=first, max_weight_difference=difference,
                       speedup_target_met=per_epoch_1 / per_epoch_n >= 1.5)
        print(f"1 process: {per_epoch_1:.2f} s/epoch, accuracy {one['accuracy']:.4f}; {cfg.nproc} processes: "
              f"{per_epoch_n:.2f} s/epoch, accuracy {many['accuracy']:.4f}; speed-up {per_epoch_1 / per_epoch_n:.2f}x; "
              f"largest weight difference {first:.2e} after one step, {difference:.2e} at the end; "
              f"load average {load:.2f} on {os.cpu_count()} cores")
    return results
