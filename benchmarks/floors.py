"""The floor under glassgrad's time: what NumPy alone needs for the same work, against torch.

glassgrad computes with NumPy, so no glassgrad call can be quicker than the NumPy calls that do its
arithmetic. This benchmark times, for the calls where glassgrad is furthest behind torch, the bare
NumPy statements that compute the same values (no Tensor, no graph, no checks) beside torch and
glassgrad, in one process, alternating, CPU time, one thread. Two ratios per case:

    floor      NumPy's time over torch's: above 1, torch's time is out of reach of any NumPy program
    glassgrad  glassgrad's time over torch's (the issue's ratio); glassgrad over NumPy is the
               bookkeeping (Python calls, the Tensor, the graph) on top of the floor

    python benchmarks/floors.py [--rounds 7] [--only "randn;gelu"]
"""

from __future__ import annotations

import os

os.environ.setdefault("GLASSGRAD_BENCH_THREADS", "1")

import common  # noqa: E402  (after the thread default: pins the BLAS threads before NumPy loads)

# isort: split
import argparse  # noqa: E402
import math  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402


def small_calls(torch: Any, gg: Any, calls: int) -> dict[str, dict[str, Callable[[], None]]]:
    """Per-op calls on tiny tensors (the shapes of benchmarks/per_op.py)."""
    rng = np.random.default_rng(0)
    table = rng.standard_normal((27, 10)).astype(np.float32)
    vector = rng.standard_normal(30).astype(np.float32)
    batch = np.array([1, 2, 3, 5, 8, 13, 21, 3])
    loss, lr = np.asarray(np.float32(2.5)), np.asarray(np.float32(0.1))
    ix = np.asarray(3)
    libs = {"torch": torch, "glassgrad": gg}
    made = {name: dict(table=lib.tensor(table), vector=lib.tensor(vector), batch=lib.tensor(batch),
                       loss=lib.tensor(2.5), lr=lib.tensor(0.1), ix=lib.tensor(3),
                       counts=lib.zeros((27, 27), dtype=lib.int32)) for name, lib in libs.items()}
    counts = np.zeros((27, 27), np.int32)

    def per_library(statement: Callable[[dict[str, Any]], Any], floor: Callable[[], Any]) -> dict:
        runs = {"numpy": common.repeated(floor, calls)}
        for name in libs:
            runs[name] = common.repeated(lambda held=made[name]: statement(held), calls)
        return runs

    def add_one(held: dict[str, Any]) -> None:
        held["counts"][3, 4] += 1

    def numpy_add_one() -> None:
        counts[3, 4] += 1

    return {
        "0-d + 0-d": per_library(lambda t: t["loss"] + t["lr"], lambda: np.asarray(loss + lr)),
        "x[3]": per_library(lambda t: t["vector"][3], lambda: vector[3:4].reshape(())),
        "C[ix] (0-d index tensor)": per_library(lambda t: t["table"][t["ix"]], lambda: table[int(ix)]),
        "C[2:5]": per_library(lambda t: t["table"][2:5], lambda: table[2:5]),
        "C[idx] (8 indices)": per_library(lambda t: t["table"][t["batch"]], lambda: table[batch]),
        "N[i, j] += 1": per_library(add_one, numpy_add_one),
    }


def big_calls(torch: Any, gg: Any) -> dict[str, dict[str, Callable[[], None]]]:
    """Element-wise work on large float32 tensors, where NumPy's own kernels set the floor."""
    n = 200_000 * 50
    x = np.random.default_rng(0).standard_normal(n).astype(np.float32)
    tx, gx = torch.from_numpy(x.copy()), gg.tensor(x)
    buffer = np.empty(n, np.float32)
    fastest = np.random.Generator(np.random.SFC64(0))

    def numpy_gelu() -> None:  # the least any exact GELU needs: one exp per element (erf needs one)
        np.exp(x, out=buffer)

    return {
        f"randn({n}) float32": {
            "numpy": lambda: fastest.standard_normal(out=buffer, dtype=np.float32),  # NumPy's quickest normals
            "torch": lambda: torch.randn(n),
            "glassgrad": lambda: gg.randn(n),
        },
        f"GELU forward, {n} float32": {
            "numpy": numpy_gelu,
            "torch": lambda: torch.nn.functional.gelu(tx),
            "glassgrad": lambda: gg.nn.functional.gelu(gx),
        },
    }


def report(label: str, times: dict[str, list[float]], per_call: float) -> None:
    medians = {name: common.median(v) * per_call for name, v in times.items()}
    print(f"{label}: numpy {medians['numpy']:.3f}, torch {medians['torch']:.3f}, glassgrad {medians['glassgrad']:.3f} "
          f"({'us' if per_call > 1 else 's'} per call)")
    floor = [a / b for a, b in zip(times["numpy"], times["torch"])]
    print(common.result_line(f"floor: {label} (numpy/torch)", floor))
    print(common.result_line(f"floor: {label} (glassgrad/torch)", common.round_ratios(times)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=2000, help="calls per timed block of the small cases")
    parser.add_argument("--only", default="", help="';'-separated parts of case names (default: all)")
    args = parser.parse_args()

    import torch

    import glassgrad as gg

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    wanted = [part for part in args.only.split(";") if part]
    for label, runs in small_calls(torch, gg, args.calls).items():
        if not wanted or any(part in label for part in wanted):
            report(label, common.alternate_cpu(runs, args.rounds), 1e6 / args.calls)
    for label, runs in big_calls(torch, gg).items():
        if not wanted or any(part in label for part in wanted):
            report(label, common.alternate_cpu(runs, max(3, math.ceil(args.rounds / 2))), 1.0)


if __name__ == "__main__":
    main()
