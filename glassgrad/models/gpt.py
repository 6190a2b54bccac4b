"""A GPT-style decoder (the shape of nanoGPT / GPT-2) for character or token language models.

Token + position embeddings; ``n_layer`` pre-norm blocks, each
``x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))`` with causal multi-head
self-attention (one ``scaled_dot_product_attention`` call for all heads) and a
4x-wide GELU MLP; a final LayerNorm; an output head whose weight IS the token
embedding (weight tying: one Parameter in two modules). Module names follow
nanoGPT's, so a torch twin with the same names loads the same state_dict.
``configure_optimizers`` gives nanoGPT's AdamW with decay on the matrices only.
"""

from __future__ import annotations

import math

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.nn import functional as F


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention where position t sees positions 0..t only."""

    def __init__(self, n_embd: int, n_head: int, dropout: float, bias: bool) -> None:
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd {n_embd} must be divisible by n_head {n_head}")
        self.n_head, self.n_embd, self.dropout = n_head, n_embd, dropout
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=bias)  # q, k, v for all heads in one product
        self.c_proj = nn.Linear(n_embd, n_embd, bias=bias)
        self.resid_dropout = nn.Dropout(dropout)

    def heads(self, x: gg.Tensor) -> tuple[gg.Tensor, gg.Tensor, gg.Tensor]:
        """q, k, v, each (B, n_head, T, head_size)."""
        b, t, c = x.shape
        q, k, v = gg.split(self.c_attn(x), self.n_embd, 2)  # each (B, T, C)
        return tuple(z.view(b, t, self.n_head, c // self.n_head).transpose(1, 2) for z in (q, k, v))

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        b, t, c = x.shape
        q, k, v = self.heads(x)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0,
                                           is_causal=True)  # (B, nh, T, hs)
        y = y.transpose(1, 2).reshape(b, t, c)  # the heads side by side again
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, n_embd: int, dropout: float, bias: bool) -> None:
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=bias)
        self.c_proj = nn.Linear(4 * n_embd, n_embd, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x))))


class Block(nn.Module):
    """Pre-norm residual block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, n_embd: int, n_head: int, dropout: float, bias: bool) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd, bias=bias)
        self.attn = CausalSelfAttention(n_embd, n_head, dropout, bias)
        self.ln_2 = nn.LayerNorm(n_embd, bias=bias)
        self.mlp = MLP(n_embd, dropout, bias)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """ids (B, T) -> logits (B, T, vocab)."""

    def __init__(self, vocab_size: int, block_size: int, n_layer: int, n_head: int, n_embd: int,
                 dropout: float = 0.0, bias: bool = False, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.block_size = block_size
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.drop = nn.Dropout(dropout)
        self.h = nn.ModuleList([Block(n_embd, n_head, dropout, bias) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd, bias=bias)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.wte.weight = self.lm_head.weight  # weight tying: the same Parameter in both modules
        # GPT-2's initialisation: N(0, 0.02) everywhere, residual projections scaled by 1/sqrt(2 n_layer)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * n_layer), rng=rng)
            elif p.ndim == 2:
                nn.init.normal_(p, 0.0, 0.02, rng=rng)
            elif name.endswith("bias") and "ln" not in name:
                nn.init.zeros_(p)

    def forward(self, ids: gg.Tensor) -> gg.Tensor:
        b, t = ids.shape
        if t > self.block_size:
            raise ValueError(f"GPT: sequence of length {t} is longer than block_size {self.block_size}")
        pos = gg.arange(0, t, dtype=gg.long)  # (T,)
        x = self.drop(self.wte(ids) + self.wpe(pos))  # (B, T, C)
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))  # (B, T, vocab)

    def configure_optimizers(self, weight_decay: float, learning_rate: float,
                             betas: tuple[float, float] = (0.9, 0.99)) -> optim.AdamW:
        """AdamW with two parameter groups: the matrices (dim >= 2: embeddings, linear weights) decay,
        the vectors (biases, LayerNorm weights) do not."""
        params = list(self.parameters())
        groups = [{"params": [p for p in params if p.ndim >= 2], "weight_decay": weight_decay},
                  {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0}]
        return optim.AdamW(groups, lr=learning_rate, betas=betas)

    def generate(self, ids: np.ndarray, n_new: int, temperature: float, top_k: int,
                 rng: np.random.Generator) -> np.ndarray:
        """Extend (B, T) ids by n_new sampled characters (temperature, then the top_k likeliest only)."""
        with gg.no_grad():
            for _ in range(n_new):
                logits = self(gg.tensor(ids[:, -self.block_size:])).numpy()[:, -1, :] / temperature  # (B, V)
                if top_k:
                    kth = np.sort(logits, axis=-1)[:, -min(top_k, logits.shape[-1])][:, None]
                    logits = np.where(logits < kth, -np.inf, logits)
                probs = np.exp(logits - logits.max(axis=-1, keepdims=True))
                probs /= probs.sum(axis=-1, keepdims=True)
                nxt = [rng.choice(len(p), p=p) for p in probs]
                ids = np.concatenate([ids, np.array(nxt, dtype=np.int64)[:, None]], axis=1)
        return ids
