"""Which conv2d path should be the default? Whole training steps with the whole-row kernel on and off.

The fast kernel mode runs stride-1 convolutions with windows of at least 64 values through
``glassgrad/kernels/conv.py`` (whole-row windows, batch chunks); its readable twin is the plain
im2col + GEMM path of ``glassgrad/ops/conv.py``. Everything else stays the same between the
contenders: only where the conv kernel serves changes (everywhere it served before the row rule,
only where output rows use at least a given share of each padded row (``--row-use``), or nowhere:
the plain twin), so the other fast kernels (max-pooling, sums, Adam) run in all of them.

Each model trains for whole steps (forward, loss, backward, optimiser step) on random data of its
shapes; the contenders alternate in blocks of steps (A B C C B A ...), after a warm-up,
and each reports the median seconds per step over ``--rounds`` blocks. The machine these numbers
come from is shared, so only medians of alternating rounds are worth comparing, never one block.

    GLASSGRAD_BENCH_THREADS=1 python benchmarks/conv_default.py [--rounds 8] \\
        [--only 'mnist-cnn batch 64,resnet'] [--row-use 0,0.75]
"""

from __future__ import annotations

import common  # first: pins the BLAS threads before NumPy loads

# isort: split
import argparse
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np


def models() -> dict[str, tuple[Callable, int, tuple[int, ...], str, int]]:
    """name -> (build the model, batch, image shape, optimiser, steps per timed block)."""
    from glassgrad import nn
    from glassgrad.models import lenet5, mnist_cnn

    def resnet20() -> nn.Module:
        return nn.ResNet((3, 3, 3), (16, 32, 64))  # the resnet experiment's accuracy network

    def resnet32_narrow() -> nn.Module:
        return nn.ResNet((5, 5, 5), (8, 16, 32))  # the resnet experiment's comparison network

    table = {f"mnist-cnn batch {b}": (mnist_cnn, b, (1, 28, 28), "adam", max(2, 320 // b)) for b in (32, 64, 128)}
    table["lenet5 batch 64"] = (lenet5, 64, (1, 28, 28), "adam", 5)
    table["resnet-20 (16,32,64) batch 32"] = (resnet20, 32, (1, 28, 28), "sgd", 1)
    table["resnet-20 (16,32,64) batch 128"] = (resnet20, 128, (1, 28, 28), "sgd", 1)
    table["resnet-32 (8,16,32) batch 128"] = (resnet32_narrow, 128, (1, 28, 28), "sgd", 1)
    return table


def trainer(build: Callable, batch: int, image: tuple[int, ...], optimiser: str) -> Callable[[int], None]:
    """A function that runs n whole training steps of a freshly built model on fixed random batches."""
    import glassgrad as gg
    from glassgrad import nn, optim

    gg.manual_seed(0)
    model = build()
    model.train()
    if optimiser == "adam":
        opt = optim.Adam(model.parameters(), lr=1e-3)
    else:
        opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)
    batches = [(gg.tensor(rng.standard_normal((batch, *image)).astype(np.float32)),
                gg.tensor(rng.integers(0, 10, batch))) for _ in range(4)]

    def steps(n: int) -> None:
        for k in range(n):
            x, y = batches[k % len(batches)]
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()

    return steps


def compare(name: str, spec: tuple, rounds: int, row_uses: list[float]) -> dict[str, list[float]]:
    """Seconds per step of each contender, one entry per alternating block: the kernel wherever it
    serves rows used at least ``r`` (for each r of ``row_uses``; 0 is everywhere it served before
    the row rule), and the plain twin."""
    from glassgrad.kernels import conv as conv_kernel

    build, batch, image, optimiser, per_block = spec
    real_applies, real_row_use, enabled = conv_kernel.applies, conv_kernel.MIN_ROW_USE, conv_kernel.ENABLED
    conv_kernel.ENABLED = True  # off by default; the "plain twin" contender's applies says no itself
    settings = {f"kernel on rows >= {r:.2f} used": (real_applies, r) for r in row_uses}
    settings["plain twin"] = (lambda weight, geometry: False, real_row_use)
    run = trainer(build, batch, image, optimiser)
    times: dict[str, list[float]] = {k: [] for k in settings}
    try:
        for applies, row_use in settings.values():  # warm-up: one block each
            conv_kernel.applies, conv_kernel.MIN_ROW_USE = applies, row_use
            run(per_block)
        for r in range(rounds):
            order = list(settings) if r % 2 == 0 else list(reversed(settings))
            for label in order:
                conv_kernel.applies, conv_kernel.MIN_ROW_USE = settings[label]
                time.sleep(common.PAUSE)
                start = time.perf_counter()
                run(per_block)
                times[label].append((time.perf_counter() - start) / per_block)
            print(f"  {name} round {r + 1}: " + ", ".join(f"{k} {1000 * v[-1]:.1f} ms" for k, v in times.items()),
                  file=sys.stderr, flush=True)
    finally:
        conv_kernel.applies, conv_kernel.MIN_ROW_USE, conv_kernel.ENABLED = real_applies, real_row_use, enabled
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8, help="alternating blocks per contender")
    parser.add_argument("--only", default="", help="only the models whose name contains one of these (comma-separated)")
    parser.add_argument("--row-use", default="0,0.75", help="kernel contenders: comma-separated MIN_ROW_USE values")
    args = parser.parse_args()
    print(common.describe_machine())
    print(f"\nms per whole training step, medians of {args.rounds} alternating blocks [min-max]")
    for name, spec in models().items():
        if args.only and not any(part in name for part in args.only.split(",")):
            continue
        times = compare(name, spec, args.rounds, [float(r) for r in args.row_use.split(",")])
        plain = statistics.median(times["plain twin"])
        parts = []
        for label, values in times.items():
            ms = 1000 * statistics.median(values)
            parts.append(f"{label} {ms:.1f} [{1000 * min(values):.1f}-{1000 * max(values):.1f}]"
                         + ("" if label == "plain twin" else f" ({ms / 1000 / plain:.2f}x plain)"))
        print(f"{name}: " + ", ".join(parts), flush=True)


if __name__ == "__main__":
    main()
