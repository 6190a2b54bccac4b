"""A GPT-style character model on tiny-Shakespeare (the nanoGPT "laptop CPU" recipe).

The model (``glassgrad.models.GPT``): token + position embeddings; ``n_layer`` pre-norm blocks, each
``x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))`` with causal multi-head
self-attention (one ``scaled_dot_product_attention`` call for all heads) and a
4x-wide GELU MLP; a final LayerNorm; an output head whose weight IS the token
embedding (weight tying: one Parameter in two modules).

The training: random (batch, block) windows from the first 90 % of the text;
AdamW with two parameter groups (matrices decay, biases / LayerNorm weights /
nothing else does not); a linear warm-up then a cosine decay of the learning
rate to ``min_lr``; gradient-norm clipping. The validation loss (nats/char) is
measured on the last 10 %: every ``eval_interval`` iterations on ``eval_iters`` random
batches (nanoGPT's estimate), and at the end over the whole split in consecutive windows
(``val_loss_whole_split``, the figure free of sampling noise). Outputs: loss curves, samples (temperature and
top-k), and one head's attention pattern on a line of text.

Data as char-lstm (``--dataset tinyshakespeare | synthetic``, ``--data-dir``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad import optim
from glassgrad.models import GPT
from glassgrad.nn import functional as F
from glassgrad_experiments.common.data import DataConfig, load_text

NAME = "char-gpt"
DESCRIPTION = "GPT-style char model (4 layers, 4 heads, 128 dims) on tiny-Shakespeare: val nats/char, samples"

HEADLINE = ("val_loss_whole_split", "final_val_loss", "val_loss_at_last_eval", "train_seconds", "seconds_per_iter")

# ----- the recipe ---------------------------------------------------------------------------------
@dataclass
class Config(DataConfig):
    dataset: str = field(default="tinyshakespeare", metadata={"help": "tinyshakespeare | synthetic"})
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    block_size: int = 64
    batch_size: int = 12
    max_iters: int = 2000
    lr: float = 1e-3
    min_lr: float = 1e-4
    warmup_iters: int = field(default=100, metadata={"allow_zero": True})
    lr_decay_iters: int = 2000
    beta1: float = 0.9
    beta2: float = 0.99
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    dropout: float = 0.0
    bias: bool = False
    eval_interval: int = 250
    eval_iters: int = 20
    final_eval_iters: int = 200
    sample_len: int = 500
    temperature: float = 0.8
    top_k: int = 200
    val_fraction: float = 0.1
    seed: int = 1337


def smoke() -> Config:
    return Config(n_layer=1, n_head=2, n_embd=16, block_size=16, batch_size=4, max_iters=20, warmup_iters=5,
                  lr_decay_iters=20, eval_interval=10, eval_iters=2, final_eval_iters=2, sample_len=40,
                  dataset="synthetic")


def learning_rate(it: int, cfg: Config) -> float:
    """Linear warm-up to cfg.lr over warmup_iters, then cosine decay to min_lr at lr_decay_iters."""
    if it < cfg.warmup_iters:
        return cfg.lr * (it + 1) / (cfg.warmup_iters + 1)
    if it > cfg.lr_decay_iters:
        return cfg.min_lr
    progress = (it - cfg.warmup_iters) / (cfg.lr_decay_iters - cfg.warmup_iters)
    return cfg.min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (cfg.lr - cfg.min_lr)


def get_batch(data: np.ndarray, cfg: Config, rng: np.random.Generator) -> tuple[gg.Tensor, gg.Tensor]:
    """batch_size random windows: inputs data[i:i+T], targets data[i+1:i+T+1]."""
    starts = rng.integers(0, len(data) - cfg.block_size, cfg.batch_size)
    x = np.stack([data[i:i + cfg.block_size] for i in starts])
    y = np.stack([data[i + 1:i + 1 + cfg.block_size] for i in starts])
    return gg.tensor(x), gg.tensor(y)


def lm_loss(model: GPT, x: gg.Tensor, y: gg.Tensor) -> gg.Tensor:
    logits = model(x)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


def estimate_loss(model: GPT, data: np.ndarray, cfg: Config, n_batches: int, rng: np.random.Generator) -> float:
    """Mean loss over n_batches random windows, in evaluation mode without a graph."""
    model.eval()
    with gg.no_grad():
        losses = [lm_loss(model, *get_batch(data, cfg, rng)).item() for _ in range(n_batches)]
    model.train()
    return float(np.mean(losses))


def whole_split_loss(model: GPT, data: np.ndarray, cfg: Config, windows_per_batch: int = 64) -> float:
    """Mean loss (nats/char) over ALL of ``data``, cut into consecutive windows of block_size
    characters: a deterministic figure, free of the sampling noise of ``estimate_loss``."""
    starts = np.arange(0, len(data) - cfg.block_size - 1, cfg.block_size)
    total, count = 0.0, 0
    model.eval()
    with gg.no_grad():
        for first in range(0, len(starts), windows_per_batch):
            chunk = starts[first:first + windows_per_batch]
            x = gg.tensor(np.stack([data[i:i + cfg.block_size] for i in chunk]))
            y = gg.tensor(np.stack([data[i + 1:i + 1 + cfg.block_size] for i in chunk]))
            total += lm_loss(model, x, y).item() * y.numel()
            count += y.numel()
    model.train()
    return total / max(count, 1)


WEIGHTS = "model.npz"  # what run() saves: {"model": state_dict}


def build_model(cfg: Config, results: dict) -> GPT:
    """The network run() trains, untrained (``glassgrad export`` loads the saved weights into it)."""
    return GPT(results["vocab_size"], cfg.block_size, cfg.n_layer, cfg.n_head, cfg.n_embd, 0.0, cfg.bias)


def example_input(cfg: Config, results: dict) -> gg.Tensor:
    return gg.zeros(1, cfg.block_size, dtype=gg.long)  # (N, block_size) character ids


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    text = load_text(cfg.dataset, cfg.data_dir, cfg.download, cfg.seed)
    chars = sorted(set(text))
    to_id = {c: i for i, c in enumerate(chars)}
    data = np.array([to_id[c] for c in text], dtype=np.int64)
    n_train = int(len(data) * (1 - cfg.val_fraction))
    train_data, val_data = data[:n_train], data[n_train:]
    model = GPT(len(chars), cfg.block_size, cfg.n_layer, cfg.n_head, cfg.n_embd, cfg.dropout, cfg.bias, rng=rng)
    opt = model.configure_optimizers(cfg.weight_decay, cfg.lr, (cfg.beta1, cfg.beta2))
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{len(chars)} characters, {len(train_data)} train / {len(val_data)} val; {n_params} parameters")

    train_curve, val_points, train_time = [], [], 0.0
    for it in range(cfg.max_iters + 1):
        if it % cfg.eval_interval == 0 or it == cfg.max_iters:
            train_est = estimate_loss(model, train_data, cfg, cfg.eval_iters, rng)
            val_est = estimate_loss(model, val_data, cfg, cfg.eval_iters, rng)
            val_points.append((it, train_est, val_est))
            print(f"iter {it}: train {train_est:.4f}, val {val_est:.4f} ({train_time:.0f} s training)", flush=True)
        if it == cfg.max_iters:
            break
        start = time.perf_counter()
        for group in opt.param_groups:
            group["lr"] = learning_rate(it, cfg)
        loss = lm_loss(model, *get_batch(train_data, cfg, rng))
        opt.zero_grad()
        loss.backward()
        if cfg.grad_clip:
            optim.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        opt.step()
        train_time += time.perf_counter() - start
        train_curve.append(loss.item())

    final_val = estimate_loss(model, val_data, cfg, cfg.final_eval_iters, np.random.default_rng(0))
    whole_val = whole_split_loss(model, val_data, cfg)
    start_ids = np.array([[to_id["\n"] if "\n" in to_id else 0]], dtype=np.int64)
    sample_ids = model.generate(start_ids, cfg.sample_len, cfg.temperature, cfg.top_k, rng)[0]
    sample = "".join(chars[i] for i in sample_ids)
    print(f"final val loss {whole_val:.4f} nats/char over the whole validation split "
          f"({final_val:.4f} over {cfg.final_eval_iters} random batches); {train_time:.0f} s of training"
          f"\n---\n{sample}\n---")
    (out_dir / "sample.txt").write_text(sample + "\n")
    gg.save({"model": model.state_dict()}, out_dir / WEIGHTS)
    line = text[n_train:][: cfg.block_size * 4].split("\n")
    line = max(line, key=len)[: min(cfg.block_size, 48)] or text[:16]
    figures = _figures(model, cfg, train_curve, val_points, [to_id[c] for c in line], line, out_dir)
    return {"vocab_size": len(chars), "parameters": n_params, "iterations": cfg.max_iters,
            "train_seconds": round(train_time, 1), "seconds_per_iter": round(train_time / max(cfg.max_iters, 1), 4),
            "first_loss": round(val_points[0][2], 4), "final_loss": round(final_val, 4),
            "final_val_loss": round(final_val, 4), "val_loss_at_last_eval": round(val_points[-1][2], 4),
            "val_loss_whole_split": round(whole_val, 4),
            "evals": [{"iter": i, "train": round(a, 4), "val": round(b, 4)} for i, a, b in val_points],
            "sample": sample, "figures": figures}


def attention_pattern(model: GPT, ids: list[int], layer: int, head: int) -> np.ndarray:
    """(T, T) weights of one head on one sequence: softmax(q k^T / sqrt(d)) under the causal mask."""
    with gg.no_grad():
        x = model.wte(gg.tensor([ids])) + model.wpe(gg.arange(0, len(ids), dtype=gg.long))
        for block in model.h[:layer]:
            x = block(x)
        q, k, _ = model.h[layer].attn.heads(model.h[layer].ln_1(x))
    q, k = q.numpy()[0, head], k.numpy()[0, head]  # (T, hs)
    scores = q @ k.T / math.sqrt(q.shape[-1])
    scores[np.triu_indices(len(ids), 1)] = -np.inf
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return weights / weights.sum(axis=-1, keepdims=True)


def _figures(model: GPT, cfg: Config, train_curve: list[float], val_points: list[Any], ids: list[int], line: str,
             out_dir: Path) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError:
        return []
    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot(1, 1, 1)
    window = max(1, min(50, len(train_curve) // 10))
    smooth = np.convolve(train_curve, np.ones(window) / window, mode="valid")
    ax.plot(np.arange(len(smooth)) + window, smooth, label=f"train (batch loss, {window}-iter mean)", alpha=0.8)
    ax.plot([p[0] for p in val_points], [p[2] for p in val_points], "o-", label="validation")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss (nats/char)")
    ax.set_title(f"char-GPT, {cfg.n_layer} layers x {cfg.n_head} heads x {cfg.n_embd}")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.savefig(out_dir / "loss_curves.png", dpi=100)
    layer = cfg.n_layer - 1
    weights = attention_pattern(model, ids, layer, 0)
    fig = Figure(figsize=(8, 8))
    ax = fig.add_subplot(1, 1, 1)
    ax.imshow(weights, cmap="viridis")
    labels = [repr(c)[1:-1] for c in line]
    ax.set_xticks(range(len(line)), labels, fontsize=7, fontfamily="monospace")
    ax.set_yticks(range(len(line)), labels, fontsize=7, fontfamily="monospace")
    ax.set_xlabel("key (attended-to character)")
    ax.set_ylabel("query (predicting the next character)")
    ax.set_title(f"layer {layer}, head 0 attention weights")
    fig.savefig(out_dir / "attention_head.png", dpi=100)
    return ["loss_curves.png", "attention_head.png"]
