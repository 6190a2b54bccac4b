"""Code in the style learners write, glassgrad against torch: element loops, a hand-written step,
whole-data-set passes and the first large allocation.

The models in the other benchmarks spend their time in big matrix products. Learners following a
course (a bigram model, then an MLP over character embeddings with a hand-written batch norm) spend
theirs elsewhere: Python loops over single elements, indexing an embedding table, ``.item()`` every
step, and one pass over the whole data set to report its loss. Each part below is that code, written
once for a library ``lib`` (``glassgrad`` or ``torch``) so both run exactly the same program:

(a) element loops: bigram counts ``N[i, j] += 1`` over ``--pairs`` (i, j) pairs of Python ints; the
    manual embedding-gradient scatter ``dC[ix] += demb[k, j]`` over a batch, ``ix`` a 0-d tensor
    taken from the index batch; and ``.item()`` with 0-d arithmetic in a loop;
(b) one training step of the hand-written MLP: ``emb = C[Xb]``, ``emb.view``, ``tanh`` of a
    hand-written batch norm, ``F.cross_entropy``, ``p.grad = None``, ``loss.backward()``,
    ``p.data += -lr * p.grad``, ``lossi.append(loss.log10().item())``;
(c) whole-data-set passes under ``no_grad``: that network's forward and ``F.cross_entropy`` over
    ``--rows`` rows;
(d) the first large allocation in a fresh process (``randn`` of ``--rows`` x 200, as the first
    pass of (c) makes), timed in a new interpreter per library per round, the import not timed.

One thread each (``GLASSGRAD_BENCH_THREADS=1`` by default here: the small ops run on one core in
both libraries, and NumPy's element-wise ufuncs do anyway); blocks alternate between the
libraries, and each RESULT line is the median of the per-round ratios, glassgrad's time over torch's.

    python benchmarks/learner_code.py [--rounds 5] [--pairs 200000] [--rows 200000] [--only a,b,c,d] [--clock cpu]
"""

from __future__ import annotations

import os

os.environ.setdefault("GLASSGRAD_BENCH_THREADS", "1")

import common  # noqa: E402  (after the thread default: pins the BLAS threads before NumPy loads)

# isort: split
import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

VOCAB, BLOCK, EMBED, HIDDEN, BATCH = 27, 3, 10, 200, 32  # makemore's MLP: 27 characters, 3 of context


def bigram_counts(lib: Any, pairs: list[tuple[int, int]]) -> Callable[[], Any]:
    """``N[i, j] += 1`` for every pair, i and j Python ints (as ``stoi[ch]`` gives them)."""

    def run() -> Any:
        counts = lib.zeros((VOCAB, VOCAB), dtype=lib.int32)
        for i, j in pairs:
            counts[i, j] += 1
        return counts

    return run


def embedding_scatter(lib: Any, xb: Any, demb: Any, repeats: int) -> Callable[[], Any]:
    """The manual backward of ``emb = C[Xb]``: ``dC[ix] += demb[k, j]`` over the batch, ``repeats`` times."""

    def run() -> Any:
        for _ in range(repeats):
            d_table = lib.zeros((VOCAB, EMBED))
            for k in range(xb.shape[0]):
                for j in range(xb.shape[1]):
                    ix = xb[k, j]
                    d_table[ix] += demb[k, j]
        return d_table

    return run


def item_loop(lib: Any, steps: int) -> Callable[[], float]:
    """0-d arithmetic and ``.item()`` in a loop: a running loss average and a decaying learning rate."""

    def run() -> float:
        loss = lib.tensor(2.5)
        lr = lib.tensor(0.1)
        total = 0.0
        for step in range(steps):
            loss = loss * 0.999 + 0.001 * (step % 7)
            lr = lr * 0.9999 if step < steps // 2 else lr
            if (loss > 3.0).item():
                lr = lr / 2
            total += loss.item() + lr.item()
        return total

    return run


def make_data(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` contexts of BLOCK character ids and the next character (random: the speed is what counts)."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, VOCAB, (rows, BLOCK)), rng.integers(0, VOCAB, rows)


def make_parameters(lib: Any, seed: int = 0) -> list[Any]:
    """C, W1, b1, W2, b2, bngain, bnbias as makemore builds them (same numbers in both libraries)."""
    rng = np.random.default_rng(seed)
    shapes = [(VOCAB, EMBED), (BLOCK * EMBED, HIDDEN), (HIDDEN,), (HIDDEN, VOCAB), (VOCAB,)]
    scales = [1.0, (5 / 3) / (BLOCK * EMBED) ** 0.5, 0.01, 0.01, 0.0]
    arrays = [(rng.standard_normal(s) * c).astype(np.float32) for s, c in zip(shapes, scales)]
    arrays += [np.ones((1, HIDDEN), np.float32), np.zeros((1, HIDDEN), np.float32)]
    parameters = [lib.tensor(a) for a in arrays]
    for p in parameters:
        p.requires_grad = True
    return parameters


def forward(lib: Any, parameters: list[Any], xb: Any, yb: Any) -> Any:
    """The learner's network: embedding, linear, hand-written batch norm, tanh, linear, cross-entropy."""
    table, w1, b1, w2, b2, bngain, bnbias = parameters
    emb = table[xb]
    embcat = emb.view(emb.shape[0], -1)
    hpreact = embcat @ w1 + b1
    bnmean = hpreact.mean(0, keepdim=True)
    bnstd = hpreact.std(0, keepdim=True)
    hpreact = bngain * (hpreact - bnmean) / bnstd + bnbias
    h = lib.tanh(hpreact)
    logits = h @ w2 + b2
    return lib.nn.functional.cross_entropy(logits, yb)


def training_steps(lib: Any, x: np.ndarray, y: np.ndarray, steps: int) -> Callable[[], list[float]]:
    """``steps`` hand-written SGD steps on minibatches of BATCH rows, as the course writes them."""
    parameters = make_parameters(lib)
    xs, ys = lib.tensor(x), lib.tensor(y)
    rng = np.random.default_rng(1)
    lossi: list[float] = []

    def run() -> list[float]:
        for _ in range(steps):
            ix = lib.tensor(rng.integers(0, x.shape[0], BATCH))
            loss = forward(lib, parameters, xs[ix], ys[ix])
            for p in parameters:
                p.grad = None
            loss.backward()
            for p in parameters:
                p.data += -0.1 * p.grad
            lossi.append(loss.log10().item())
        return lossi

    return run


def whole_data_pass(lib: Any, x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    """The loss over the whole data set at once, under ``no_grad``: forward and ``F.cross_entropy``."""
    parameters = make_parameters(lib)
    xs, ys = lib.tensor(x), lib.tensor(y)

    def run() -> float:
        with lib.no_grad():
            return forward(lib, parameters, xs, ys).item()

    return run


FIRST_ALLOCATION = """
import time, sys
import {lib} as lib
start = time.perf_counter()
x = lib.randn({rows}, 200)
first = time.perf_counter() - start
del x
start = time.perf_counter()
x = lib.randn({rows}, 200)
print(first, time.perf_counter() - start)
"""


def first_allocation(name: str, rows: int) -> Callable[[], tuple[float, float]]:
    """A fresh interpreter imports the library, then times its first and its second large ``randn``."""
    env = dict(os.environ, OMP_NUM_THREADS=str(common.THREADS), OPENBLAS_NUM_THREADS=str(common.THREADS))

    def run() -> tuple[float, float]:
        done = subprocess.run([sys.executable, "-c", FIRST_ALLOCATION.format(lib=name, rows=rows)],
                              capture_output=True, text=True, env=env, check=True, cwd=str(common.REPO))
        first, second = (float(v) for v in done.stdout.split())
        return first, second

    return run


CLOCK = {"name": "wall"}  # main() sets it from --clock


def compare(label: str, contenders: dict[str, Callable[[], Any]], rounds: int, per_call: int = 1,
            unit: str = "us") -> None:
    """Alternate the two contenders, print the medians (per call) and the RESULT line (``--clock cpu``:
    this process's CPU time, steadier on a shared machine, as ``common.alternate_cpu`` measures)."""
    if CLOCK["name"] == "cpu":
        times = common.alternate_cpu(contenders, rounds)
    else:
        times = common.alternate(contenders, repeats=rounds)
    scale = 1e6 / per_call if unit == "us" else 1.0
    scaled = {k: [scale * t for t in v] for k, v in times.items()}
    print(common.ratio_line(label, scaled, "glassgrad", "torch", unit=unit))
    print(common.result_line(label, common.round_ratios(times)), flush=True)


def part_a(torch: Any, gg: Any, args: argparse.Namespace) -> None:
    rng = np.random.default_rng(0)
    pairs = [(int(i), int(j)) for i, j in rng.integers(0, VOCAB, (args.pairs, 2))]
    compare(f"bigram counts N[i, j] += 1, per update ({args.pairs} pairs)",
            {"glassgrad": bigram_counts(gg, pairs), "torch": bigram_counts(torch, pairs)}, args.rounds, args.pairs)
    xb = rng.integers(0, VOCAB, (BATCH, BLOCK))
    demb = rng.standard_normal((BATCH, BLOCK, EMBED)).astype(np.float32)
    repeats = 20
    compare(f"embedding scatter dC[ix] += demb[k, j], per update (batch {BATCH}x{BLOCK})",
            {"glassgrad": embedding_scatter(gg, gg.tensor(xb), gg.tensor(demb), repeats),
             "torch": embedding_scatter(torch, torch.tensor(xb), torch.tensor(demb), repeats)},
            args.rounds, repeats * BATCH * BLOCK)
    steps = 20_000
    compare("0-d arithmetic and .item() loop, per iteration",
            {"glassgrad": item_loop(gg, steps), "torch": item_loop(torch, steps)}, args.rounds, steps)


def part_b(torch: Any, gg: Any, args: argparse.Namespace) -> None:
    x, y = make_data(args.rows)
    steps = 200
    compare(f"hand-written MLP training step, batch {BATCH}",
            {"glassgrad": training_steps(gg, x, y, steps), "torch": training_steps(torch, x, y, steps)},
            args.rounds, steps)


def part_c(torch: Any, gg: Any, args: argparse.Namespace) -> None:
    x, y = make_data(args.rows)
    compare(f"whole-data-set forward + F.cross_entropy, {args.rows} rows, no_grad",
            {"glassgrad": whole_data_pass(gg, x, y), "torch": whole_data_pass(torch, x, y)}, args.rounds,
            unit="s")


def part_d(torch: Any, gg: Any, args: argparse.Namespace) -> None:
    runs = {"glassgrad": first_allocation("glassgrad", args.rows), "torch": first_allocation("torch", args.rows)}
    firsts: dict[str, list[float]] = {"glassgrad": [], "torch": []}
    seconds: dict[str, list[float]] = {"glassgrad": [], "torch": []}
    for r in range(args.rounds):
        for name in (list(runs) if r % 2 == 0 else list(reversed(runs))):
            first, second = runs[name]()
            firsts[name].append(first)
            seconds[name].append(second)
    label = f"first large allocation randn({args.rows}, 200) in a fresh process"
    print(common.ratio_line(label, firsts, "glassgrad", "torch"))
    print(common.ratio_line("  the same allocation again in that process", seconds, "glassgrad", "torch"))
    print(common.result_line(label, common.round_ratios(firsts)), flush=True)


PARTS = {"a": part_a, "b": part_b, "c": part_c, "d": part_d}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=200_000, help="bigram pairs counted in part (a)")
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the data set in parts (b)-(d)")
    parser.add_argument("--only", default="a,b,c,d", help="comma-separated parts to run")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="wall time (default) or this process's CPU time, for parts (a)-(c)")
    args = parser.parse_args()
    CLOCK["name"] = args.clock

    import torch

    import glassgrad as gg

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    for part in args.only.split(","):
        PARTS[part](torch, gg, args)


if __name__ == "__main__":
    main()
