"""Per-op overhead: the tiny graph relu(x @ W + b).sum(), forward + backward, glassgrad vs torch.

At these sizes the arithmetic takes a few microseconds; what is timed is each library's
bookkeeping per op (wrapping arrays, recording the node, the backward walk, accumulating
leaf gradients). One thread each (``GLASSGRAD_BENCH_THREADS=1`` by default here), blocks of
``--calls`` calls alternating between the libraries, the median of the per-round ratios.

    python benchmarks/tiny.py [--calls 2000] [--rounds 7] [--shape 32,64] [--profile]
"""

from __future__ import annotations

import os

os.environ.setdefault("GLASSGRAD_BENCH_THREADS", "1")

import common  # noqa: E402  (after the thread default: pins the BLAS threads before NumPy loads)

# isort: split
import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402

import numpy as np  # noqa: E402


def contenders(torch, batch: int, features: int, calls: int) -> dict:
    import glassgrad as gg

    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, features)).astype(np.float32)
    w = (rng.standard_normal((features, features)) * 0.1).astype(np.float32)
    b = np.zeros(features, np.float32)
    gx = gg.tensor(x)
    gw, gb = gg.Tensor(w, requires_grad=True), gg.Tensor(b, requires_grad=True)
    tx = torch.from_numpy(x)
    tw, tb = torch.from_numpy(w.copy()).requires_grad_(), torch.from_numpy(b.copy()).requires_grad_()

    def glassgrad_block() -> None:
        for _ in range(calls):
            gw.grad = gb.grad = None
            gg.relu(gx @ gw + gb).sum().backward()

    def torch_block() -> None:
        for _ in range(calls):
            tw.grad = tb.grad = None
            torch.relu(tx @ tw + tb).sum().backward()

    return {"glassgrad": glassgrad_block, "torch": torch_block}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="forward+backward calls per timed block")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--shape", default="32,64", help="batch,features: x (batch, features), W (features, features)")
    parser.add_argument("--profile", action="store_true", help="cProfile one glassgrad block")
    args = parser.parse_args()
    batch, features = (int(v) for v in args.shape.split(","))

    import torch

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    runs = contenders(torch, batch, features, args.calls)
    times = common.alternate(runs, repeats=args.rounds)
    us = {k: [1e6 * t / args.calls for t in v] for k, v in times.items()}
    print(f"\ntiny graph relu(x @ W + b).sum(), x ({batch}, {features}), forward + backward, "
          f"{common.THREADS} thread(s)")
    print(common.ratio_line("microseconds per call", us, "glassgrad", "torch", unit="us"))
    print(common.result_line(f"tiny graph fwd+bwd ({common.THREADS} thread)", common.round_ratios(times)))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        runs["glassgrad"]()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
