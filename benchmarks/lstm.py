"""Char-LSTM training step: glassgrad vs torch.nn.LSTM, same model, same threads.

One step = embedding (or one-hot) -> 2-layer LSTM (hidden 256) -> linear head,
cross-entropy over every position, backward, Adam update; batch 32 x seq 100
over a 65-character vocabulary, the state carried (detached) from step to step.

Fairness and traps:
* both use 2 BLAS threads (OPENBLAS_NUM_THREADS / torch.set_num_threads);
* every step sees a FRESH random batch: repeating one batch drives values
  towards denormals, which slow float32 arithmetic on x86 by an order of magnitude;
* the two libraries alternate in blocks, with a pause before each block so the
  other's spinning BLAS threads go idle; we report the median step of each.

    python benchmarks/lstm.py [--steps 10] [--rounds 5] [--threads 2] [--input embedding|onehot] [--profile]
"""

from __future__ import annotations

import argparse
import os
import sys

THREADS = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "2"  # before NumPy loads BLAS
os.environ["OPENBLAS_NUM_THREADS"] = THREADS
os.environ["OMP_NUM_THREADS"] = THREADS
os.environ["GLASSGRAD_BENCH_THREADS"] = THREADS  # common.py pins the same number

import common  # noqa: E402  (before NumPy: the BLAS thread settings above stay in force)

# isort: split
import statistics  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import glassgrad as gg  # noqa: E402
from glassgrad import nn, optim  # noqa: E402
from glassgrad.nn import functional as F  # noqa: E402

VOCAB, HIDDEN, LAYERS, SEQ, BATCH, EMBED = 65, 256, 2, 100, 32, 64


class GGModel(nn.Module):
    def __init__(self, onehot: bool) -> None:
        super().__init__()
        self.onehot = onehot
        self.embed = None if onehot else nn.Embedding(VOCAB, EMBED)
        self.lstm = nn.LSTM(VOCAB if onehot else EMBED, HIDDEN, LAYERS, batch_first=True)
        self.head = nn.Linear(HIDDEN, VOCAB)

    def forward(self, ids, state):
        x = gg.one_hot(ids, VOCAB, dtype=np.float32) if self.onehot else self.embed(ids)
        out, state = self.lstm(x, state)
        return self.head(out), state


def glassgrad_stepper(onehot: bool):
    model = GGModel(onehot)
    opt = optim.Adam(model.parameters(), lr=2e-3)
    state = [None]

    def step(x: np.ndarray, y: np.ndarray) -> float:
        if state[0] is not None:
            state[0] = tuple(s.detach() for s in state[0])
        logits, state[0] = model(gg.Tensor(x), state[0])
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), gg.Tensor(y.reshape(-1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    return step


def torch_stepper(onehot: bool):
    import torch

    torch.set_num_threads(int(THREADS))

    class TModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = None if onehot else torch.nn.Embedding(VOCAB, EMBED)
            self.lstm = torch.nn.LSTM(VOCAB if onehot else EMBED, HIDDEN, LAYERS, batch_first=True)
            self.head = torch.nn.Linear(HIDDEN, VOCAB)

        def forward(self, ids, state):
            x = torch.nn.functional.one_hot(ids, VOCAB).float() if onehot else self.embed(ids)
            out, state = self.lstm(x, state)
            return self.head(out), state

    model = TModel()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    state = [None]

    def step(x: np.ndarray, y: np.ndarray) -> float:
        if state[0] is not None:
            state[0] = tuple(s.detach() for s in state[0])
        logits, state[0] = model(torch.from_numpy(x), state[0])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), torch.from_numpy(y.reshape(-1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    return step


def blas_threads() -> str:
    """Which BLAS and how many threads are in force (threadpoolctl, when installed)."""
    core = os.environ.get("OPENBLAS_CORETYPE", "not set (auto-detected)")
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return f"{THREADS} BLAS threads via environment variables; OPENBLAS_CORETYPE {core}"
    pools = ", ".join(f"{p.get('internal_api')} {p.get('num_threads')} threads ({p.get('architecture', '?')})"
                      for p in threadpool_info())
    return f"threadpoolctl: {pools}; OPENBLAS_CORETYPE {core}"


def time_block(step, rng: np.random.Generator, steps: int, pause: float) -> list[float]:
    return common.time_token_steps(step, rng, steps, pause, VOCAB, (BATCH, SEQ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="steps per timed block")
    parser.add_argument("--rounds", type=int, default=5, help="alternating glassgrad/torch blocks")
    parser.add_argument("--pause", type=float, default=0.5)
    parser.add_argument("--threads", type=int, default=2, help="BLAS / torch threads for both")
    parser.add_argument("--input", choices=["embedding", "onehot"], default="embedding")
    parser.add_argument("--profile", action="store_true", help="cProfile the glassgrad steps instead")
    args = parser.parse_args()
    onehot = args.input == "onehot"
    rng = np.random.default_rng(0)
    gg.manual_seed(0)
    g_step = glassgrad_stepper(onehot)
    if args.profile:
        import cProfile
        import pstats

        time_block(g_step, rng, 3, 0.0)
        prof = cProfile.Profile()
        prof.enable()
        time_block(g_step, rng, args.steps, 0.0)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    t_step = torch_stepper(onehot)
    print(blas_threads())
    time_block(g_step, rng, 2, 0.0)  # warm-up
    time_block(t_step, rng, 2, 0.0)
    g_times, t_times, ratios = [], [], []
    for r in range(args.rounds):
        g_block = time_block(g_step, rng, args.steps, args.pause)
        t_block = time_block(t_step, rng, args.steps, args.pause)
        g_times += g_block
        t_times += t_block
        ratios.append(statistics.median(g_block) / statistics.median(t_block))
        print(f"round {r}: glassgrad {1e3 * statistics.median(g_times):.1f} ms/step, "
              f"torch {1e3 * statistics.median(t_times):.1f} ms/step", flush=True)
    g, t = statistics.median(g_times), statistics.median(t_times)
    chars = BATCH * SEQ
    print(f"\nchar-LSTM step (2x{HIDDEN} LSTM, batch {BATCH} x seq {SEQ}, vocab {VOCAB}, {args.input} input, Adam, "
          f"{THREADS} threads)")
    print(f"glassgrad: {1e3 * g:.1f} ms/step  {chars / g:,.0f} chars/s")
    print(f"torch:     {1e3 * t:.1f} ms/step  {chars / t:,.0f} chars/s")
    print(f"ratio glassgrad/torch time: {g / t:.2f}")
    print(f"RESULT | char-LSTM step 2x{HIDDEN}, seq {SEQ}, batch {BATCH}, {THREADS} threads | "
          f"{statistics.median(ratios):.2f} | {min(ratios):.2f}-{max(ratios):.2f}")


if __name__ == "__main__":
    main()
