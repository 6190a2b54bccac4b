"""MLP training epoch: glassgrad vs PyTorch, same model, same data, same threads.

The model is the 784-256-128-10 ReLU MLP of ``mnist-mlp`` with cross-entropy
and Adam (lr 1e-3), float32. One timed run = one epoch over the MNIST
``train24k`` subset (and the first 24k Fashion-MNIST training images when
that data set is installed), reshuffled each epoch. glassgrad trains with
``glassgrad.train.fit`` (its DataLoader, no metrics); torch with the
equivalent hand loop over index arrays (torch's per-sample DataLoader would be
slower and unfair to torch). Both start from the same weights.

    python benchmarks/mlp.py [--batch-sizes 64,128] [--repeats 3] [--datasets mnist,fashion]
                             [--n-train 24000] [--profile]

Prints seconds per epoch (median of the repeats, runs alternating) and the
ratio glassgrad / torch; ``--profile`` prints a cProfile of one glassgrad epoch.
"""

from __future__ import annotations

import common  # first: pins the BLAS threads before NumPy loads

# isort: split
import argparse
import cProfile
import pstats
from pathlib import Path

import numpy as np

DATA = {"mnist": ("mnist", common.REPO.parent / "shared" / "data" / "mnist"), "fashion": ("fashion-mnist", None)}


def load(dataset: str, n_train: int) -> tuple[np.ndarray, np.ndarray] | None:
    from glassgrad.data import load_mnist, transforms

    name, root = DATA[dataset]
    try:
        x, y = load_mnist(root if root and Path(root).exists() else None, train=True, name=name, limit=n_train)
    except FileNotFoundError:
        return None
    return transforms.normalize(transforms.flatten(x), x.mean(), x.std()), y


def glassgrad_epoch(x: np.ndarray, y: np.ndarray, batch_size: int, init_state: dict) -> tuple:
    from glassgrad import nn

    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return common.glassgrad_trainer(model, init_state, x, y, batch_size), model


def torch_epoch(torch, x: np.ndarray, y: np.ndarray, batch_size: int, init_state: dict) -> tuple:
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                torch.nn.ReLU(), torch.nn.Linear(128, 10))
    model.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in init_state.items()})
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    gen = torch.Generator().manual_seed(0)

    def epoch() -> float:
        model.train()
        total, n = 0.0, len(xt)
        order = torch.randperm(n, generator=gen)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            xb, yb = xt[idx], yt[idx]
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        return total / n

    return epoch, model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-sizes", default="64,128")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--datasets", default="mnist,fashion")
    parser.add_argument("--n-train", type=int, default=24000)
    parser.add_argument("--profile", action="store_true", help="cProfile one glassgrad epoch at the last batch size")
    args = parser.parse_args()

    import torch

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    import glassgrad as gg
    from glassgrad import nn

    gg.manual_seed(0)
    init_model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    init_state = init_model.state_dict()
    lines = []
    for dataset in [d for d in args.datasets.split(",") if d]:
        data = load(dataset, args.n_train)
        if data is None:
            print(f"{dataset}: not installed, skipped")
            continue
        x, y = data
        for bs in [int(b) for b in args.batch_sizes.split(",")]:
            gg_fn, _ = glassgrad_epoch(x, y, bs, init_state)
            th_fn, _ = torch_epoch(torch, x, y, bs, init_state)
            print(f"{dataset} {len(x)} samples, batch {bs}:", flush=True)
            times = common.alternate({"glassgrad": gg_fn, "torch": th_fn}, repeats=args.repeats)
            line = common.ratio_line(f"{dataset} batch {bs} (s/epoch)", times, "glassgrad", "torch")
            print(line, flush=True)
            print(common.result_line(f"MLP 784-256-128-10 epoch, {dataset}, batch {bs}, {common.THREADS} threads",
                                     common.round_ratios(times)), flush=True)
            lines.append(line)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            gg_fn()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
    print("\nsummary (median of", args.repeats, "alternating runs each):")
    for line in lines:
        print(" ", line)


if __name__ == "__main__":
    main()
