"""Where the CNN's step goes, layer by layer: glassgrad against torch in CPU time, at the mnist-cnn shapes.

Each layer of ``benchmarks/cnn.py``'s model alone, forward + backward at batch 64, float32: conv1
(no input gradient, as in training), ReLU, max-pool, conv2, ReLU, max-pool, and the head (Linear,
ReLU, Linear, cross-entropy). Both libraries get the same arrays without a copy (``from_numpy``).
Blocks of ``--calls`` calls alternate between the libraries; each line gives the medians and ranges
over ``--rounds`` rounds and the median of the per-round ratios, in CPU time (``time.process_time``),
which a machine loaded by other work disturbs less than wall time. One thread by default
(``GLASSGRAD_BENCH_THREADS``): with more, CPU time also counts the BLAS threads' waiting.
See docs/kernels.md, "The CNN's element-wise third".

    python benchmarks/cnn_layers.py [--rounds 9] [--calls 10] [--only conv2,relu]
"""

from __future__ import annotations

import os

os.environ.setdefault("GLASSGRAD_BENCH_THREADS", "1")

import common  # noqa: E402  (after the thread default: pins the BLAS threads before NumPy loads)

# isort: split
import argparse  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

BATCH = 64


def layer_cases(gg: Any, torch: Any) -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    """name -> (glassgrad's call, torch's call): one layer's forward + backward on fixed arrays."""
    rng = np.random.default_rng(0)
    cases = {}

    def arr(*shape: int, scale: float = 1.0, relu: bool = False) -> np.ndarray:
        a = (rng.standard_normal(shape) * scale).astype(np.float32)
        return np.maximum(a, 0) if relu else a  # a ReLU's output feeds each pooling: many ties at 0

    def same_call(name: str, inputs: dict[str, np.ndarray], grad_of: set[str], body: Callable[..., Any],
                  dy: np.ndarray) -> None:
        """``body(lib, **tensors)`` on both libraries, then backward(dy); ``grad_of`` needs a gradient."""
        def run(lib: Any) -> Callable[[], Any]:
            arrays = {k: lib.from_numpy(v) for k, v in inputs.items()}
            grad = lib.from_numpy(dy)

            def call() -> None:
                tensors = {k: (t.detach().requires_grad_() if k in grad_of else t) for k, t in arrays.items()}
                body(lib, **tensors).backward(grad)
            return call
        cases[name] = (run(gg), run(torch))

    for name, (c, size, o, need_x) in {"conv1 1->32 @28x28 (no dx)": (1, 28, 32, False),
                                       "conv2 32->64 @14x14": (32, 14, 64, True)}.items():
        same_call(name, {"x": arr(BATCH, c, size, size), "w": arr(o, c, 3, 3, scale=0.1), "b": arr(o)},
                  {"w", "b"} | ({"x"} if need_x else set()),
                  lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=1), arr(BATCH, o, size, size))
    for name, (c, size) in {"(64, 32, 28, 28)": (32, 28), "(64, 64, 14, 14)": (64, 14)}.items():
        same_call(f"relu {name}", {"x": arr(BATCH, c, size, size)}, {"x"},
                  lambda lib, x: lib.nn.functional.relu(x), arr(BATCH, c, size, size))
        same_call(f"max-pool 2x2 {name}", {"x": arr(BATCH, c, size, size, relu=True)}, {"x"},
                  lambda lib, x: lib.nn.functional.max_pool2d(x, 2), arr(BATCH, c, size // 2, size // 2))
    labels = rng.integers(0, 10, BATCH)

    def head(lib: Any, x: Any, w1: Any, w2: Any, y: Any) -> Any:
        functional = lib.nn.functional
        return functional.cross_entropy(functional.linear(functional.relu(functional.linear(x, w1)), w2), y)

    same_call("head: linear, relu, linear, cross-entropy", {"x": arr(BATCH, 3136), "w1": arr(128, 3136, scale=0.02),
                                                             "w2": arr(10, 128, scale=0.1), "y": labels},
              {"x", "w1", "w2"}, head, np.ones((), np.float32))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--calls", type=int, default=10, help="calls per timed block")
    parser.add_argument("--only", default="", help="comma-separated parts of layer names")
    args = parser.parse_args()

    import torch

    import glassgrad as gg

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    print(f"\nmnist-cnn layers, forward + backward, batch {BATCH}, CPU ms per call ({args.calls} calls a block)")
    wanted = [part for part in args.only.split(",") if part]
    for name, (g_call, t_call) in layer_cases(gg, torch).items():
        if wanted and not any(part in name for part in wanted):
            continue
        blocks = {"glassgrad": common.repeated(g_call, args.calls), "torch": common.repeated(t_call, args.calls)}
        seconds = common.alternate_cpu(blocks, args.rounds)
        times = {lib: [1000 * t / args.calls for t in block_times] for lib, block_times in seconds.items()}
        print(common.ratio_line(name, times, "glassgrad", "torch", unit="ms"))
        print(common.result_line(f"CNN layer (CPU time): {name}", common.round_ratios(times)))


if __name__ == "__main__":
    main()
