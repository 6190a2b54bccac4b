"""Per-op cost on small tensors, glassgrad against torch: one line per kind of call learners make.

On tensors of fewer than 1,000 elements the arithmetic takes well under a microsecond; what is
timed is each library's bookkeeping per call (parsing the index, promoting dtypes, wrapping the
result, the version counter). Each case is written once for a library ``lib`` (``glassgrad`` or
``torch``) so both run the same statement; grad mode is on, as in a notebook loop. One thread each,
blocks of ``--calls`` calls alternating between the libraries, each RESULT line the median of the
per-round ratios, glassgrad's time over torch's (see docs/kernels.md, "Per-op overhead"), in CPU time
by default (``--clock wall`` for wall time).

    python benchmarks/per_op.py [--calls 5000] [--rounds 5] [--only "N[i, j];item"] [--clock cpu|wall]
"""

from __future__ import annotations

import os

os.environ.setdefault("GLASSGRAD_BENCH_THREADS", "1")

import common  # noqa: E402  (after the thread default: pins the BLAS threads before NumPy loads)

# isort: split
import argparse  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402


def cases(lib: Any) -> dict[str, Callable[[], Any]]:
    """The calls, on the shapes of a course's bigram and MLP notebooks (27 characters, 10-d embeddings)."""
    counts = lib.zeros((27, 27), dtype=lib.int32)
    table, d_table, row = lib.randn(27, 10), lib.zeros((27, 10)), lib.randn(10)
    vector, loss, lr = lib.randn(30), lib.tensor(2.5), lib.tensor(0.1)
    ix, batch = lib.tensor(3), lib.tensor([1, 2, 3, 5, 8, 13, 21, 3])

    def setitem_add() -> None:
        counts[3, 4] += 1

    def setitem_value() -> None:
        counts[3, 4] = 5

    def scatter_row() -> None:
        d_table[ix] += row

    def inplace_mul() -> None:
        row.mul_(1.0)

    return {
        "N[i, j] += 1": setitem_add,
        "N[i, j] = 5": setitem_value,
        "dC[ix] += row (0-d index tensor)": scatter_row,
        "x[3]": lambda: vector[3],
        "C[ix] (0-d index tensor)": lambda: table[ix],
        "C[2:5]": lambda: table[2:5],
        "C[idx] (8 indices)": lambda: table[batch],
        "row.mul_(1.0)": inplace_mul,
        "0-d + 0-d": lambda: loss + lr,
        "0-d * 0.999": lambda: loss * 0.999,
        "0-d > 3.0": lambda: loss > 3.0,
        ".item()": lambda: loss.item(),
        "tensor(3.0)": lambda: lib.tensor(3.0),
        "tensor([1., 2., 3.])": lambda: lib.tensor([1.0, 2.0, 3.0]),
        "zeros((27, 10))": lambda: lib.zeros((27, 10)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000, help="calls per timed block")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="';'-separated parts of case names (default: all)")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                        help="CPU time of this process (default: steadier on a shared machine) or wall time")
    args = parser.parse_args()

    import torch

    import glassgrad as gg

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    mine, theirs = cases(gg), cases(torch)
    wanted = [name for name in mine if not args.only or any(part in name for part in args.only.split(";"))]
    for name in wanted:
        contenders = {"glassgrad": common.repeated(mine[name], args.calls),
                      "torch": common.repeated(theirs[name], args.calls)}
        if args.clock == "cpu":
            times = common.alternate_cpu(contenders, args.rounds)
        else:
            times = common.alternate(contenders, repeats=args.rounds, log=False)
        us = {k: [1e6 * t / args.calls for t in v] for k, v in times.items()}
        print(common.ratio_line(name, us, "glassgrad", "torch", unit="us"))
        print(common.result_line(f"per op: {name}", common.round_ratios(times)), flush=True)


if __name__ == "__main__":
    main()
