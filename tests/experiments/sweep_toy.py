"""A tiny experiment for the sweep tests: least squares by gradient descent in glassgrad (milliseconds).

Not in the registry (it lives under tests/); the tests hand it to the sweep engine directly or
make ``experiments.find`` return it. Worker processes and Ray tasks import it by its module name.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad_experiments.common import TargetMissed

NAME = "sweep-toy"
DESCRIPTION = "least squares by gradient descent (sweep tests)"
INTERRUPT_AT = "SWEEP_TOY_INTERRUPT_AT"  # environment: the run (lr,seed) that raises KeyboardInterrupt
# environment: "LR,SEED,TIMES,PID": that run sends SIGINT (Ctrl-C) TIMES times to the sweep's process PID;
# after two it waits (for the sweep to stop it)
CTRL_C_AT = "SWEEP_TOY_CTRL_C_AT"
# environment: "LR,SEED": that run writes its process id to worker_pid.txt in its folder and then waits (120 s)
LINGER_AT = "SWEEP_TOY_LINGER_AT"


@dataclass
class Config:
    lr: float = 0.1
    steps: int = 30
    features: int = 8
    fail_seeds: str = ""       # comma-separated seeds whose runs raise, to test failure reports
    seed: int = 0
    target_loss: float = 0.0   # > 0: a final loss above it misses the target (a result, not a failure)
    fail_late: bool = False    # the failing seeds raise after training, keeping what they measured


def smoke() -> Config:
    return Config(steps=5)


def press_ctrl_c(pid: int, times: int) -> None:
    """What a user's Ctrl-C does to the sweep's process, ``times`` times; after the second, wait to be stopped."""
    for _ in range(times):
        os.kill(pid, signal.SIGINT)
        time.sleep(0.5)  # two signals sent at once may arrive as one
    if times >= 2:
        time.sleep(60)  # the sweep stops this run long before


def run(cfg: Config, out_dir: Path) -> dict:
    fails = str(cfg.seed) in cfg.fail_seeds.split(",")
    if fails and not cfg.fail_late:
        raise RuntimeError(f"toy failure for seed {cfg.seed}")
    if os.environ.get(INTERRUPT_AT) == f"{cfg.lr},{cfg.seed}":
        raise KeyboardInterrupt
    lr, seed, times, pid = (os.environ.get(CTRL_C_AT) or ",,0,0").split(",")
    if (lr, seed) == (str(cfg.lr), str(cfg.seed)):
        press_ctrl_c(int(pid), int(times))
    if os.environ.get(LINGER_AT) == f"{cfg.lr},{cfg.seed}":
        (out_dir / "worker_pid.txt").write_text(str(os.getpid()))
        time.sleep(120)  # the test kills the sweep meanwhile; the worker must end with it
    rng = np.random.default_rng(cfg.seed)
    x = gg.tensor(rng.standard_normal((64, cfg.features)).astype(np.float32))
    target = x @ gg.tensor(rng.standard_normal((cfg.features, 1)).astype(np.float32))
    weight = gg.zeros(cfg.features, 1, requires_grad=True)
    losses = []
    for _ in range(cfg.steps):
        loss = ((x @ weight - target) ** 2).mean()
        weight.grad = None
        loss.backward()
        with gg.no_grad():
            weight -= cfg.lr * weight.grad
        losses.append(loss.item())
    (out_dir / "weight.txt").write_text(" ".join(f"{v:.9g}" for v in weight.detach().numpy().ravel()) + "\n")
    print(f"final loss {losses[-1]:.6g}")
    results = {"final_loss": losses[-1], "converged": losses[-1] < 1e-3, "losses": losses,
               "first": {"loss": losses[0], "step": 0}, "train_seconds": 0.001}
    if fails:
        err = RuntimeError(f"toy failure for seed {cfg.seed} after training")
        err.results = results  # what the run measured before it failed
        raise err
    if cfg.target_loss > 0:
        results["target_met"] = losses[-1] <= cfg.target_loss
        if not results["target_met"]:
            raise TargetMissed(f"final loss {losses[-1]:.3g} above the target {cfg.target_loss}", results)
    return results
