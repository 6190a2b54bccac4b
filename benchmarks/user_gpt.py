"""A GPT written the way users write one, run under ``import torch`` and ``import glassgrad as torch``.

benchmarks/gpt.py times the model zoo's GPT (glassgrad.models.GPT), written with glassgrad in
mind. This benchmark times the same architecture as a user writes it for PyTorch, one program
for both libraries (``build(torch)`` receives the module): q, k and v split from one ``c_attn``
Linear with ``.split(n_embd, dim=2)``, each ``.view(B, T, nh, hs).transpose(1, 2)``,
``F.scaled_dot_product_attention(q, k, v, dropout_p=..., is_causal=True)``, the heads joined with
``.transpose(1, 2).contiguous().view(B, T, C)``; ``nn.Dropout(0.0)`` modules left in, a hand-made
LayerNorm module with an optional bias over ``F.layer_norm``, ``nn.GELU``, the modules kept in an
``nn.ModuleDict``, weight tying ``wte.weight = lm_head.weight``, the loss computed in ``forward``
(``ignore_index=-1``), AdamW over decay / no-decay groups built from ``named_parameters`` (the
``fused`` argument looked up with ``inspect.signature``), ``clip_grad_norm_`` and
``zero_grad(set_to_none=True)``. Sizes as benchmarks/gpt.py: 4 layers x 4 heads x 128 dims,
context 64, batch 12, a 65-token vocabulary.

Method (benchmarks/common.py): 2 BLAS / torch threads, the same initial weights (torch's,
loaded into glassgrad), a fresh random batch every step, glassgrad / torch / the zoo's GPT
alternating in blocks with a pause before each; medians of steps. Besides glassgrad / torch it
prints the user model's time over the zoo model's within glassgrad (the same library both sides,
so less sensitive to machine load).

    python benchmarks/user_gpt.py [--steps 10] [--rounds 5] [--bias] [--vocab 50304] [--profile cprofile|ops [--zoo]]
"""

from __future__ import annotations

import common  # first: pins the BLAS threads before NumPy loads

# isort: split
import argparse
import inspect
import math
import statistics
from dataclasses import dataclass

import gpt as zoo  # benchmarks/gpt.py: the zoo model's stepper
import numpy as np

VOCAB = 65


@dataclass
class Config:
    block_size: int = 64
    vocab_size: int = VOCAB
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    dropout: float = 0.0
    bias: bool = False


def build(torch, config: Config):
    """The user's model classes over ``torch`` (the real one or glassgrad); returns the GPT class."""
    nn = torch.nn
    F = torch.nn.functional  # noqa: N806 (the name every PyTorch program uses)

    class LayerNorm(nn.Module):
        """LayerNorm whose bias can be switched off."""

        def __init__(self, ndim, bias):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(ndim))
            self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

        def forward(self, x):
            return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)

    class SelfAttention(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.c_attn = nn.Linear(cfg.n_embd, 3 * cfg.n_embd, bias=cfg.bias)
            self.c_proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=cfg.bias)
            self.attn_dropout = nn.Dropout(cfg.dropout)
            self.resid_dropout = nn.Dropout(cfg.dropout)
            self.n_head, self.n_embd, self.dropout = cfg.n_head, cfg.n_embd, cfg.dropout

        def forward(self, x):
            B, T, C = x.size()  # noqa: N806
            q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
            hs = C // self.n_head
            q = q.view(B, T, self.n_head, hs).transpose(1, 2)
            k = k.view(B, T, self.n_head, hs).transpose(1, 2)
            v = v.view(B, T, self.n_head, hs).transpose(1, 2)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=None,
                                               dropout_p=self.dropout if self.training else 0, is_causal=True)
            y = y.transpose(1, 2).contiguous().view(B, T, C)
            return self.resid_dropout(self.c_proj(y))

    class FeedForward(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.c_fc = nn.Linear(cfg.n_embd, 4 * cfg.n_embd, bias=cfg.bias)
            self.gelu = nn.GELU()
            self.c_proj = nn.Linear(4 * cfg.n_embd, cfg.n_embd, bias=cfg.bias)
            self.dropout = nn.Dropout(cfg.dropout)

        def forward(self, x):
            return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))

    class Block(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.ln_1 = LayerNorm(cfg.n_embd, bias=cfg.bias)
            self.attn = SelfAttention(cfg)
            self.ln_2 = LayerNorm(cfg.n_embd, bias=cfg.bias)
            self.mlp = FeedForward(cfg)

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            x = x + self.mlp(self.ln_2(x))
            return x

    class UserGPT(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.config = cfg
            self.transformer = nn.ModuleDict(dict(
                wte=nn.Embedding(cfg.vocab_size, cfg.n_embd),
                wpe=nn.Embedding(cfg.block_size, cfg.n_embd),
                drop=nn.Dropout(cfg.dropout),
                h=nn.ModuleList([Block(cfg) for _ in range(cfg.n_layer)]),
                ln_f=LayerNorm(cfg.n_embd, bias=cfg.bias),
            ))
            self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
            self.transformer.wte.weight = self.lm_head.weight
            self.apply(self._init_weights)
            for name, p in self.named_parameters():
                if name.endswith("c_proj.weight"):
                    torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * cfg.n_layer))

        def _init_weights(self, module):
            if isinstance(module, (nn.Linear, nn.Embedding)):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                torch.nn.init.zeros_(module.bias)

        def forward(self, idx, targets=None):
            b, t = idx.size()
            pos = torch.arange(0, t, dtype=torch.long, device=idx.device)
            x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
            for block in self.transformer.h:
                x = block(x)
            x = self.transformer.ln_f(x)
            logits = self.lm_head(x)
            loss = None
            if targets is not None:
                loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
            return logits, loss

        def configure_optimizers(self, weight_decay, learning_rate, betas, device_type):
            params = {name: p for name, p in self.named_parameters() if p.requires_grad}
            groups = [{"params": [p for p in params.values() if p.dim() >= 2], "weight_decay": weight_decay},
                      {"params": [p for p in params.values() if p.dim() < 2], "weight_decay": 0.0}]
            fused = "fused" in inspect.signature(torch.optim.AdamW).parameters and device_type == "cuda"
            extra = {"fused": True} if fused else {}
            return torch.optim.AdamW(groups, lr=learning_rate, betas=betas, **extra)

    return UserGPT(config)


def stepper(torch, state: dict | None = None, vocab: int = VOCAB):
    """(step, model): the user's GPT over ``torch`` (loaded from ``state`` if given) and its training step."""
    zoo_cfg = zoo.CFG
    model = build(torch, Config(zoo_cfg.block_size, vocab, zoo_cfg.n_layer, zoo_cfg.n_head, zoo_cfg.n_embd,
                                zoo_cfg.dropout, zoo_cfg.bias))
    if state is not None:
        model.load_state_dict(state)
    optimizer = model.configure_optimizers(zoo_cfg.weight_decay, zoo_cfg.lr, (zoo_cfg.beta1, zoo_cfg.beta2), "cpu")

    def step(x: np.ndarray, y: np.ndarray) -> float:
        _, loss = model(torch.from_numpy(x), torch.from_numpy(y))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), zoo_cfg.grad_clip)
        optimizer.step()
        return loss.item()

    return step, model


def time_block(step, rng: np.random.Generator, steps: int, pause: float) -> list[float]:
    return zoo.time_block(step, rng, steps, pause)


def profile(step, rng: np.random.Generator, steps: int, how: str) -> None:
    """Print where the glassgrad steps' time goes: cProfile's functions or glassgrad.profiler's ops."""
    import glassgrad

    time_block(step, rng, 3, 0.0)
    if how == "ops":
        with glassgrad.profiler.profile() as prof:
            time_block(step, rng, steps, 0.0)
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=40))
        return
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    time_block(step, rng, steps, 0.0)
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="steps per timed block")
    parser.add_argument("--rounds", type=int, default=5, help="alternating glassgrad/torch/zoo blocks")
    parser.add_argument("--pause", type=float, default=0.5)
    parser.add_argument("--profile", choices=("cprofile", "ops"), help="profile the glassgrad user steps instead")
    parser.add_argument("--zoo", action="store_true", help="with --profile: profile the zoo's GPT instead")
    parser.add_argument("--bias", action="store_true", help="biases in the Linear and LayerNorm layers (both models)")
    parser.add_argument("--vocab", type=int, default=VOCAB,
                        help="the user model's vocabulary (nanoGPT pads GPT-2's to 50304); other than 65: no zoo model")
    args = parser.parse_args()
    if args.bias:
        zoo.CFG = zoo.Settings(bias=True)
    import torch

    import glassgrad

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    torch.manual_seed(0)
    t_step, t_user = stepper(torch, None, args.vocab)
    contenders = {}
    if args.vocab == VOCAB:  # both models from the zoo benchmark's torch weights
        t_zoo = zoo.initialised_torch_model(torch, seed=0)
        state = {name: p.detach().clone() for name, p in t_zoo.state_dict().items()}
        # the user model's names: transformer.* for the embeddings, blocks and final norm
        user_state = {("lm_head.weight" if name == "lm_head.weight" else f"transformer.{name}"): value
                      for name, value in state.items()}
        t_user.load_state_dict(user_state, strict=True)
        contenders["zoo"], _ = zoo.glassgrad_stepper(state)
    else:  # the user model's own initialisation, in torch
        user_state = {name: p.detach().clone() for name, p in t_user.state_dict().items()}
    g_step, _ = stepper(glassgrad, user_state, args.vocab)
    rng = np.random.default_rng(0)
    if args.profile:
        profile(contenders["zoo"] if args.zoo else g_step, rng, args.steps, args.profile)
        return
    contenders = {"glassgrad": g_step, "torch": t_step, **contenders}
    for step in contenders.values():  # warm-up
        time_block(step, rng, 3, 0.0)
    times: dict[str, list[float]] = {name: [] for name in contenders}
    ratios, zoo_ratios = [], []
    for r in range(args.rounds):
        order = list(contenders) if r % 2 == 0 else list(reversed(contenders))
        for name in order:
            times[name] += time_block(contenders[name], rng, args.steps, args.pause)
        last = {name: statistics.median(t[-args.steps:]) for name, t in times.items()}
        ratios.append(last["glassgrad"] / last["torch"])
        if "zoo" in last:
            zoo_ratios.append(last["glassgrad"] / last["zoo"])
        print(f"round {r}: " + ", ".join(f"{name} {1e3 * ms:.1f}" for name, ms in last.items()) + " ms/step",
              flush=True)
    g, t = statistics.median(times["glassgrad"]), statistics.median(times["torch"])
    c = zoo.CFG
    print(f"\nuser-written GPT step ({c.n_layer} layers x {c.n_head} heads x {c.n_embd}, batch {c.batch_size} x "
          f"context {c.block_size}, vocab {args.vocab}, AdamW + clipping, {common.THREADS} threads)")
    print(f"glassgrad: {1e3 * g:.1f} ms/step")
    print(f"torch:     {1e3 * t:.1f} ms/step")
    print(f"ratio glassgrad/torch time: {g / t:.2f}")
    if zoo_ratios:
        z = statistics.median(times["zoo"])
        print(f"the zoo's GPT in glassgrad: {1e3 * z:.1f} ms/step; ratio user GPT / zoo GPT within glassgrad: "
              f"{g / z:.2f} (rounds {min(zoo_ratios):.2f}-{max(zoo_ratios):.2f})")
    vocab = "" if args.vocab == VOCAB else f", vocab {args.vocab}"
    print(common.result_line(f"user-written GPT step {c.n_layer}x{c.n_embd}{vocab}, batch {c.batch_size} x "
                             f"{c.block_size}, {common.THREADS} threads", ratios))


if __name__ == "__main__":
    main()
