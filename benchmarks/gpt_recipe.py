"""The whole char-gpt recipe in glassgrad and in torch: validation loss and wall time, seed by seed.

Where ``gpt.py`` times single steps, this trains the recipe end to end (2000 iterations,
warm-up then cosine learning rate, AdamW, clipping) in both libraries from the SAME initial
weights on the SAME batches, on tiny-Shakespeare split 90/10 as the char-gpt experiment
splits it, and measures the result two ways:

* ``val_full``: the mean loss over the whole validation split, cut into consecutive
  windows of ``block_size`` characters (deterministic: no sampling noise);
* ``val_200``: the mean over 200 random windows batches, as the experiment's final estimate.

Run for several seeds it separates what the library does (glassgrad vs torch on one seed:
the same numbers up to float32 rounding drift) from what the seed does (the spread across
seeds). The libraries run one after the other, each with the same threads.

    python benchmarks/gpt_recipe.py [--seeds 1337,1,2] [--iters 2000] [--data PATH]
"""

from __future__ import annotations

import common  # first: pins the BLAS threads before NumPy loads

# isort: split
import argparse
import math
import statistics
import time
from pathlib import Path

import numpy as np
from gpt import CFG, VOCAB, glassgrad_stepper, initialised_torch_model, torch_stepper

import glassgrad as gg
from glassgrad.nn import functional as F

TEXT = common.REPO.parent / "shared" / "data" / "text" / "tinyshakespeare.txt"
WARMUP, MIN_LR, EVAL_BATCH = 100, 1e-4, 64


def learning_rate(it: int, iters: int) -> float:
    """The recipe's schedule: linear warm-up over WARMUP iterations, cosine decay to MIN_LR at ``iters``."""
    if it < WARMUP:
        return CFG.lr * (it + 1) / (WARMUP + 1)
    progress = min(1.0, (it - WARMUP) / max(1, iters - WARMUP))
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * progress)) * (CFG.lr - MIN_LR)


def windows(data: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inputs data[i:i+T] and next-character targets data[i+1:i+T+1] for each start i."""
    x = np.stack([data[i:i + CFG.block_size] for i in starts])
    y = np.stack([data[i + 1:i + 1 + CFG.block_size] for i in starts])
    return x, y


def validation_losses(logits_of, val: np.ndarray) -> dict[str, float]:
    """Mean cross-entropy (nats/char) over the whole split and over 200 random batches."""
    full_starts = np.arange(0, len(val) - CFG.block_size - 1, CFG.block_size)
    totals, count = 0.0, 0
    for b in range(0, len(full_starts), EVAL_BATCH):
        x, y = windows(val, full_starts[b:b + EVAL_BATCH])
        totals += float(logits_of(x, y)) * y.size
        count += y.size
    rng = np.random.default_rng(0)
    sampled = [float(logits_of(*windows(val, rng.integers(0, len(val) - CFG.block_size, CFG.batch_size))))
               for _ in range(200)]
    return {"val_full": totals / count, "val_200": float(np.mean(sampled))}


def glassgrad_loss(model):
    def loss(x: np.ndarray, y: np.ndarray) -> float:
        with gg.no_grad():
            logits = model(gg.tensor(x))
            return F.cross_entropy(logits.reshape(-1, VOCAB), gg.tensor(y.reshape(-1))).item()

    return loss


def torch_loss(torch, model):
    def loss(x: np.ndarray, y: np.ndarray) -> float:
        with torch.no_grad():
            logits = model(torch.from_numpy(x))
            return torch.nn.functional.cross_entropy(logits.view(-1, VOCAB), torch.from_numpy(y.reshape(-1))).item()

    return loss


def train(step, train_data: np.ndarray, iters: int, seed: int) -> float:
    """Run the recipe's ``iters`` steps on batches drawn from ``seed``; the wall time in seconds."""
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for it in range(iters):
        x, y = windows(train_data, rng.integers(0, len(train_data) - CFG.block_size, CFG.batch_size))
        step(x, y, lr=learning_rate(it, iters))
        if (it + 1) % max(1, iters // 10) == 0:
            print(f"    iteration {it + 1}/{iters} ({time.perf_counter() - start:.0f} s)", flush=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1337", help="comma-separated seeds (initial weights and batches)")
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=TEXT, help="tiny-Shakespeare text file")
    args = parser.parse_args()
    import torch

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    text = args.data.read_text(encoding="utf-8")
    chars = sorted(set(text))
    if len(chars) != VOCAB:
        raise SystemExit(f"{args.data}: {len(chars)} distinct characters, the recipe's model has {VOCAB}")
    to_id = {c: i for i, c in enumerate(chars)}
    data = np.array([to_id[c] for c in text], dtype=np.int64)
    n_train = int(len(data) * 0.9)
    train_data, val_data = data[:n_train], data[n_train:]
    rows = []
    for seed in (int(s) for s in args.seeds.split(",")):
        t_model = initialised_torch_model(torch, seed)
        g_step, g_model = glassgrad_stepper(t_model.state_dict())
        t_step = torch_stepper(torch, t_model)
        for library, step, loss_of in (("glassgrad", g_step, glassgrad_loss(g_model)),
                                       ("torch", t_step, torch_loss(torch, t_model))):
            print(f"seed {seed}, {library}:", flush=True)
            seconds = train(step, train_data, args.iters, seed)
            row = {"seed": seed, "library": library, "seconds": seconds, **validation_losses(loss_of, val_data)}
            print(f"  val (whole split) {row['val_full']:.4f}, val (200 batches) {row['val_200']:.4f}, "
                  f"{seconds:.0f} s", flush=True)
            rows.append(row)
    print(f"\nchar-gpt recipe, {args.iters} iterations, {common.THREADS} threads: validation nats/char")
    print("| seed | library | whole split | 200 batches | seconds |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['seed']} | {r['library']} | {r['val_full']:.4f} | {r['val_200']:.4f} | {r['seconds']:.0f} |")
    for library in ("glassgrad", "torch"):
        mine = [r for r in rows if r["library"] == library]
        print(f"{library}: mean whole-split {statistics.mean(r['val_full'] for r in mine):.4f}, "
              f"median time {statistics.median(r['seconds'] for r in mine):.0f} s")


if __name__ == "__main__":
    main()
