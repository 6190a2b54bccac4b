"""glassgrad vs tinygrad on the CPU: the MLP training step and the tiny graph, same sizes.

tinygrad compiles its kernels (its CPU device needs ``clang`` on the PATH) and is meant to
be used with ``TinyJit``, which records one step and replays its compiled kernels; it is
timed both ways, jitted and eager. glassgrad runs as it always does (eager).

* MLP step: 784-256-128-10 ReLU MLP, batch 128, cross-entropy, Adam (lr 1e-3), float32,
  a fresh random batch every step (the ``mlp`` benchmark's model and optimiser);
* tiny graph: relu(x @ W + b).sum() forward + backward, x (32, 64) (the ``tiny`` benchmark's).

Method as the other benchmarks (benchmarks/common.py): the same threads for both, blocks of
steps alternating between the contenders, medians; ratios are tinygrad's time over
glassgrad's (above 1: glassgrad is faster).

    pip install tinygrad          # not a glassgrad dependency; apt-get install clang for its CPU device
    python benchmarks/versus_tinygrad.py [--steps 20] [--rounds 5]
"""

from __future__ import annotations

import os

os.environ.setdefault("DEV", "CPU")  # tinygrad's device, read when tinygrad is imported

import common  # noqa: E402  (before NumPy: pins the BLAS threads)

# isort: split
import argparse  # noqa: E402
import importlib.metadata  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import glassgrad as gg  # noqa: E402
from glassgrad import nn, optim  # noqa: E402
from glassgrad.nn import functional as F  # noqa: E402

BATCH, FEATURES, CLASSES = 128, 784, 10


def glassgrad_mlp_step():
    model = nn.Sequential(nn.Linear(FEATURES, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, CLASSES))
    opt = optim.Adam(model.parameters(), lr=1e-3)

    def step(x: np.ndarray, y: np.ndarray) -> None:
        loss = F.cross_entropy(model(gg.tensor(x)), gg.tensor(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()

    return step


def tinygrad_mlp_steps(tg):
    """(jitted step, eager step) of the same MLP in tinygrad, each with its own weights and Adam."""

    def make():
        layers = [tg.nn.Linear(FEATURES, 256), tg.nn.Linear(256, 128), tg.nn.Linear(128, CLASSES)]
        opt = tg.nn.optim.Adam(tg.nn.state.get_parameters(layers), lr=1e-3)

        def step(x, y):
            h = layers[1](layers[0](x).relu()).relu()
            loss = layers[2](h).sparse_categorical_crossentropy(y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss

        return step

    jitted, eager = tg.TinyJit(make()), make()

    def wrap(step):
        def run(x: np.ndarray, y: np.ndarray) -> None:
            step(tg.Tensor(x), tg.Tensor(y.astype(np.int32))).numpy()

        return run

    return wrap(jitted), wrap(eager)


def tiny_steps(tg):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 64)).astype(np.float32)
    w = (rng.standard_normal((64, 64)) * 0.1).astype(np.float32)
    b = np.zeros(64, np.float32)
    gx, gw, gb = gg.tensor(x), gg.Tensor(w, requires_grad=True), gg.Tensor(b, requires_grad=True)
    tx, tw, tb = tg.Tensor(x), tg.Tensor(w), tg.Tensor(b)

    def glassgrad_step(*_: object) -> None:
        gw.grad = gb.grad = None
        gg.relu(gx @ gw + gb).sum().backward()
        gw.grad.numpy()

    def tinygrad_step(*_: object) -> None:
        loss = (tx @ tw + tb).relu().sum()
        loss.gradient(tw, tb)[0].numpy()

    return glassgrad_step, tinygrad_step


def time_steps(step, steps: int, rng: np.random.Generator) -> float:
    """Median seconds of ``steps`` calls on fresh random MLP batches (drawing not timed)."""
    time.sleep(common.PAUSE)
    times = []
    for _ in range(steps):
        x = rng.standard_normal((BATCH, FEATURES)).astype(np.float32)
        y = rng.integers(0, CLASSES, BATCH)
        start = time.perf_counter()
        step(x, y)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(title: str, contenders: dict, steps: int, rounds: int) -> None:
    rng = np.random.default_rng(0)
    for step in contenders.values():  # warm-up: tinygrad compiles its kernels, TinyJit records
        for _ in range(3):
            step(rng.standard_normal((BATCH, FEATURES)).astype(np.float32), rng.integers(0, CLASSES, BATCH))
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for r in range(rounds):
        for name in (list(contenders) if r % 2 == 0 else list(reversed(contenders))):
            times[name].append(time_steps(contenders[name], steps, rng))
    base = statistics.median(times["glassgrad"])
    print(f"\n{title}, {common.THREADS} thread(s): median ms per step")
    for name, values in times.items():
        print(f"  {name:18s} {1e3 * statistics.median(values):9.3f} ms   x{statistics.median(values) / base:7.1f}")
    for name in contenders:
        if name != "glassgrad":
            ratios = [t / g for t, g in zip(times[name], times["glassgrad"])]
            print(common.result_line(f"{title}: {name} / glassgrad", ratios))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="steps per timed block")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    try:
        import tinygrad as tg
        import tinygrad.nn.optim  # noqa: F401  (tg.nn.optim)
        import tinygrad.nn.state  # noqa: F401
        from tinygrad.helpers import Context
    except ImportError:
        print("tinygrad is not installed: pip install tinygrad (and clang for its CPU device)")
        raise SystemExit(3) from None  # run_all.py's NOT_INSTALLED
    print(common.describe_machine())
    try:
        (tg.Tensor([1.0, 2.0]) * 2).numpy()  # tinygrad compiles its first kernel here
    except (FileNotFoundError, RuntimeError) as err:  # no clang, no usable device
        print(f"tinygrad cannot run on this machine's CPU ({err}); its CPU device needs clang on the PATH")
        raise SystemExit(3) from None  # run_all.py's NOT_INSTALLED
    print(f"tinygrad {importlib.metadata.version('tinygrad')} on {tg.Device.DEFAULT}")
    with Context(TRAINING=1):
        jitted, eager = tinygrad_mlp_steps(tg)
        compare("MLP 784-256-128-10 step, batch 128, Adam",
                {"glassgrad": glassgrad_mlp_step(), "tinygrad (TinyJit)": jitted, "tinygrad (eager)": eager},
                args.steps, args.rounds)
    g_tiny, t_tiny = tiny_steps(tg)
    compare("tiny graph relu(x @ W + b).sum() fwd+bwd", {"glassgrad": g_tiny, "tinygrad (eager)": t_tiny},
            args.steps * 5, args.rounds)


if __name__ == "__main__":
    main()
