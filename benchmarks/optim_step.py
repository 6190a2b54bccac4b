"""Optimizer step time: ``opt.step()`` alone, over the parameters of an MLP, glassgrad vs PyTorch.

The parameters are those of the 784-256-128-10 MLP of ``mnist-mlp`` (float32,
235k numbers in six tensors); every gradient is a fixed random array, so a
timed block is nothing but ``steps`` calls of ``opt.step()``. Each optimizer
runs in glassgrad's two kernel modes (``fast``, ``reference``) and in torch
(its default single-tensor or foreach path), the contenders alternating. ``--params many-small``
(100 parameters of 8 numbers) measures the per-parameter bookkeeping instead of the arithmetic.

    python benchmarks/optim_step.py [--optimizers Adam,SGD] [--params mlp|many-small] [--steps 200]
                                    [--repeats 7] [--no-torch]

Prints microseconds per step (median of the repeats, range in brackets).
"""

from __future__ import annotations

import common  # first: pins the BLAS threads before NumPy loads

# isort: split
import argparse
from collections.abc import Callable
from typing import Any

import numpy as np

SHAPES = {"mlp": [(256, 784), (256,), (128, 256), (128,), (10, 128), (10,)], "many-small": [(8,)] * 100}
OPTIONS = {"Adam": {"lr": 1e-3}, "AdamW": {"lr": 1e-3}, "SGD": {"lr": 0.01, "momentum": 0.9},
           "RMSprop": {"lr": 1e-3}, "Adagrad": {"lr": 1e-2}, "NAdam": {}, "RAdam": {}, "Adamax": {}, "Adadelta": {}}


def arrays(params: str, seed: int = 0) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Starting values and fixed gradients, one pair per parameter (float32)."""
    rng = np.random.default_rng(seed)
    values = [rng.standard_normal(shape).astype(np.float32) * 0.05 for shape in SHAPES[params]]
    grads = [rng.standard_normal(shape).astype(np.float32) * 1e-3 for shape in SHAPES[params]]
    return values, grads


def glassgrad_steps(name: str, params: str, steps: int, mode: str) -> Callable[[], None]:
    """A block of ``steps`` glassgrad ``opt.step()`` calls in kernel ``mode``."""
    from glassgrad import kernels, nn, optim

    values, grads = arrays(params)
    tensors = [nn.Parameter(v) for v in values]
    for p, g in zip(tensors, grads):
        p.grad = g
    opt = getattr(optim, name)(tensors, **OPTIONS[name])

    def run() -> None:
        with kernels.use(mode):
            for _ in range(steps):
                opt.step()

    return run


def torch_steps(torch: Any, name: str, params: str, steps: int) -> Callable[[], None]:
    """The same block with ``torch.optim.<name>``."""
    values, grads = arrays(params)
    tensors = [torch.nn.Parameter(torch.from_numpy(v)) for v in values]
    for p, g in zip(tensors, grads):
        p.grad = torch.from_numpy(g)
    opt = getattr(torch.optim, name)(tensors, **OPTIONS[name])

    def run() -> None:
        for _ in range(steps):
            opt.step()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--optimizers", default="Adam,SGD")
    parser.add_argument("--params", choices=sorted(SHAPES), default="mlp")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args()
    torch = None
    if not args.no_torch:
        try:
            import torch

            common.torch_threads(torch)
        except ImportError:
            pass
    print(common.describe_machine(torch))
    for name in args.optimizers.split(","):
        contenders = {f"glassgrad-{mode}": glassgrad_steps(name, args.params, args.steps, mode)
                      for mode in ("fast", "reference")}
        if torch is not None:
            contenders["torch"] = torch_steps(torch, name, args.params, args.steps)
        times = common.alternate(contenders, repeats=args.repeats, log=False)
        per_step = {label: [t / args.steps * 1e6 for t in values] for label, values in times.items()}
        cells = ", ".join(f"{label} {common.median(v):.0f} us [{min(v):.0f}-{max(v):.0f}]"
                          for label, v in per_step.items())
        print(f"{name} ({OPTIONS[name]}, {args.params}): {cells}")


if __name__ == "__main__":
    main()
