"""Char-GPT training step: glassgrad vs torch, same model, same weights, same batches, same threads.

One step = the char-gpt recipe's: token + position embedding -> 4 pre-norm blocks
(causal self-attention with 4 heads over 128 dims, GELU MLP) -> LayerNorm -> tied
output head; cross-entropy over every position, backward, gradient clipping at 1.0,
AdamW with decay / no-decay groups; batch 12 x context 64 over a 65-character vocabulary.
The glassgrad model is the library's (glassgrad.models.GPT, which the char-gpt experiment
trains), at the experiment's default settings (``Settings``); the torch model is its twin
below (same module names), started from the same weights.

Method (benchmarks/common.py): 2 BLAS / torch threads, a fresh random batch every step,
the libraries alternating in blocks with a pause before each, the median step of each.

    python benchmarks/gpt.py [--steps 10] [--rounds 5] [--profile]
"""

from __future__ import annotations

import common  # first: pins the BLAS threads before NumPy loads

# isort: split
import argparse
import math
import statistics
from dataclasses import dataclass

import numpy as np

import glassgrad as gg
from glassgrad import optim
from glassgrad.models import GPT
from glassgrad.nn import functional as F

VOCAB = 65


@dataclass(frozen=True)
class Settings:
    """The model and optimiser settings timed: the char-gpt experiment's defaults."""

    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    block_size: int = 64
    batch_size: int = 12
    dropout: float = 0.0
    bias: bool = False
    lr: float = 1e-3
    beta1: float = 0.9
    beta2: float = 0.99
    weight_decay: float = 0.1
    grad_clip: float = 1.0


CFG = Settings()


def torch_model(torch):
    """The torch twin of glassgrad.models.GPT (same names, so state_dicts match)."""
    nn, tf = torch.nn, torch.nn.functional

    class CausalSelfAttention(nn.Module):
        def __init__(self, c: Settings) -> None:
            super().__init__()
            self.n_head, self.n_embd = c.n_head, c.n_embd
            self.c_attn = nn.Linear(c.n_embd, 3 * c.n_embd, bias=c.bias)
            self.c_proj = nn.Linear(c.n_embd, c.n_embd, bias=c.bias)
            self.resid_dropout = nn.Dropout(c.dropout)

        def forward(self, x):
            b, t, c = x.shape
            q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
            q, k, v = (z.view(b, t, self.n_head, c // self.n_head).transpose(1, 2) for z in (q, k, v))
            y = tf.scaled_dot_product_attention(q, k, v, dropout_p=0.0, is_causal=True)
            return self.resid_dropout(self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c)))

    class MLP(nn.Module):
        def __init__(self, c: Settings) -> None:
            super().__init__()
            self.c_fc = nn.Linear(c.n_embd, 4 * c.n_embd, bias=c.bias)
            self.c_proj = nn.Linear(4 * c.n_embd, c.n_embd, bias=c.bias)
            self.dropout = nn.Dropout(c.dropout)

        def forward(self, x):
            return self.dropout(self.c_proj(tf.gelu(self.c_fc(x))))

    class Block(nn.Module):
        def __init__(self, c: Settings) -> None:
            super().__init__()
            self.ln_1 = nn.LayerNorm(c.n_embd, bias=c.bias)
            self.attn = CausalSelfAttention(c)
            self.ln_2 = nn.LayerNorm(c.n_embd, bias=c.bias)
            self.mlp = MLP(c)

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))

    class TorchGPT(nn.Module):
        def __init__(self, c: Settings) -> None:
            super().__init__()
            self.wte = nn.Embedding(VOCAB, c.n_embd)
            self.wpe = nn.Embedding(c.block_size, c.n_embd)
            self.drop = nn.Dropout(c.dropout)
            self.h = nn.ModuleList([Block(c) for _ in range(c.n_layer)])
            self.ln_f = nn.LayerNorm(c.n_embd, bias=c.bias)
            self.lm_head = nn.Linear(c.n_embd, VOCAB, bias=False)
            self.wte.weight = self.lm_head.weight

        def forward(self, ids):
            pos = torch.arange(0, ids.shape[1], dtype=torch.long)
            x = self.drop(self.wte(ids) + self.wpe(pos))
            for block in self.h:
                x = block(x)
            return self.lm_head(self.ln_f(x))

    return TorchGPT(CFG)


def initialised_torch_model(torch, seed: int):
    """The torch twin with GPT-2's initialisation, as the experiment's: N(0, 0.02) matrices, residual
    projections N(0, 0.02 / sqrt(2 n_layer)); its state_dict starts the glassgrad model too."""
    torch.manual_seed(seed)
    model = torch_model(torch)
    for name, p in model.named_parameters():
        std = 0.02 / math.sqrt(2 * CFG.n_layer) if name.endswith("c_proj.weight") else 0.02
        if p.dim() == 2:
            torch.nn.init.normal_(p, 0.0, std)
    return model


def glassgrad_stepper(state: dict) -> tuple:
    """(step, model): the glassgrad GPT started from ``state`` and a function taking one training step."""
    model = GPT(VOCAB, CFG.block_size, CFG.n_layer, CFG.n_head, CFG.n_embd, CFG.dropout, CFG.bias)
    model.load_state_dict(state)
    opt = model.configure_optimizers(CFG.weight_decay, CFG.lr, (CFG.beta1, CFG.beta2))

    def step(x: np.ndarray, y: np.ndarray, lr: float | None = None) -> float:
        if lr is not None:
            for group in opt.param_groups:
                group["lr"] = lr
        logits = model(gg.tensor(x))
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), gg.tensor(y.reshape(-1)))
        opt.zero_grad()
        loss.backward()
        optim.clip_grad_norm_(model.parameters(), CFG.grad_clip)
        opt.step()
        return loss.item()

    return step, model


def torch_stepper(torch, model):
    params = list(model.parameters())
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": CFG.weight_decay},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=CFG.lr, betas=(CFG.beta1, CFG.beta2))

    def step(x: np.ndarray, y: np.ndarray, lr: float | None = None) -> float:
        if lr is not None:
            for group in opt.param_groups:
                group["lr"] = lr
        logits = model(torch.from_numpy(x))
        loss = torch.nn.functional.cross_entropy(logits.view(-1, VOCAB), torch.from_numpy(y.reshape(-1)))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CFG.grad_clip)
        opt.step()
        return loss.item()

    return step


def time_block(step, rng: np.random.Generator, steps: int, pause: float) -> list[float]:
    return common.time_token_steps(step, rng, steps, pause, VOCAB, (CFG.batch_size, CFG.block_size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="steps per timed block")
    parser.add_argument("--rounds", type=int, default=5, help="alternating glassgrad/torch blocks")
    parser.add_argument("--pause", type=float, default=0.5)
    parser.add_argument("--profile", action="store_true", help="cProfile the glassgrad steps instead")
    args = parser.parse_args()
    import torch

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    t_model = initialised_torch_model(torch, seed=0)
    g_step, _ = glassgrad_stepper(t_model.state_dict())
    rng = np.random.default_rng(0)
    if args.profile:
        import cProfile
        import pstats

        time_block(g_step, rng, 3, 0.0)
        prof = cProfile.Profile()
        prof.enable()
        time_block(g_step, rng, args.steps, 0.0)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return
    t_step = torch_stepper(torch, t_model)
    time_block(g_step, rng, 3, 0.0)  # warm-up
    time_block(t_step, rng, 3, 0.0)
    g_times, t_times, ratios = [], [], []
    for r in range(args.rounds):
        order = [(g_step, g_times), (t_step, t_times)]
        for step, times in order if r % 2 == 0 else order[::-1]:
            times += time_block(step, rng, args.steps, args.pause)
        ratios.append(statistics.median(g_times[-args.steps:]) / statistics.median(t_times[-args.steps:]))
        print(f"round {r}: glassgrad {1e3 * statistics.median(g_times):.1f} ms/step, "
              f"torch {1e3 * statistics.median(t_times):.1f} ms/step", flush=True)
    g, t = statistics.median(g_times), statistics.median(t_times)
    print(f"\nchar-GPT step ({CFG.n_layer} layers x {CFG.n_head} heads x {CFG.n_embd}, batch {CFG.batch_size} x "
          f"context {CFG.block_size}, vocab {VOCAB}, AdamW + clipping, {common.THREADS} threads)")
    print(f"glassgrad: {1e3 * g:.1f} ms/step")
    print(f"torch:     {1e3 * t:.1f} ms/step")
    print(f"ratio glassgrad/torch time: {g / t:.2f}")
    print(common.result_line(f"char-GPT step {CFG.n_layer}x{CFG.n_embd}, batch {CFG.batch_size} x {CFG.block_size}, "
                             f"{common.THREADS} threads", ratios))


if __name__ == "__main__":
    main()
