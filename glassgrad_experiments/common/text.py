"""Character models and their training loop (char-lstm, char-rnn, dinos).

``CharModel``: embedding (or one-hot) -> RNN / LSTM / GRU stack -> linear head.
``train_char_model``: text cut into ``batch_size`` contiguous streams; each step trains on
the next ``seq_len`` characters of every stream, starting from the previous step's final
state with the gradient cut (truncated backpropagation through time); gradient clipping,
validation loss in nats per character at chosen minutes of training, samples as it learns.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data.text import CharVocab, SequenceBatcher, train_val_split
from glassgrad.nn import functional as F
from glassgrad.sampling import generate
from glassgrad_experiments.common.data import DataConfig


class CharModel(nn.Module):
    """ids (B, T) -> logits (B, T, V): embedding (or one-hot) -> recurrent stack -> linear.

    Args:
        vocab_size: V.
        hidden_size: H of every recurrent layer.
        num_layers: stacked recurrent layers.
        cell: "lstm", "gru", "rnn" (tanh) or "rnn_relu".
        embed_dim: size of a learned embedding; 0 feeds one-hot vectors instead.
        dropout: between recurrent layers.
    """

    def __init__(self, vocab_size: int, hidden_size: int, num_layers: int = 2, cell: str = "lstm",
                 embed_dim: int = 0, dropout: float = 0.0, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.vocab_size, self.embed_dim = vocab_size, embed_dim
        self.embed = nn.Embedding(vocab_size, embed_dim, rng=rng) if embed_dim else None
        width = embed_dim or vocab_size
        if cell == "lstm":
            self.rnn = nn.LSTM(width, hidden_size, num_layers, batch_first=True, dropout=dropout, rng=rng)
        elif cell == "gru":
            self.rnn = nn.GRU(width, hidden_size, num_layers, batch_first=True, dropout=dropout, rng=rng)
        elif cell in ("rnn", "rnn_relu"):
            self.rnn = nn.RNN(width, hidden_size, num_layers, nonlinearity="relu" if cell == "rnn_relu" else "tanh",
                              batch_first=True, dropout=dropout, rng=rng)
        else:
            raise ValueError(f"CharModel: unknown cell {cell!r}")
        self.head = nn.Linear(hidden_size, vocab_size, rng=rng)

    def forward(self, ids: Any, state: Any = None) -> tuple[gg.Tensor, Any]:
        ids = ids if isinstance(ids, gg.Tensor) else gg.Tensor(np.asarray(ids, dtype=np.int64))
        if self.embed is not None:
            x = self.embed(ids)  # (B, T, E)
        else:
            x = gg.one_hot(ids, self.vocab_size, dtype=self.head.weight.dtype)  # (B, T, V)
        out, state = self.rnn(x, state)  # (B, T, H)
        return self.head(out), state  # (B, T, V)


def detach_state(state: Any) -> Any:
    """Cut the graph behind a recurrent state (a tensor or an (h, c) pair): truncated BPTT."""
    if state is None:
        return None
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def sequence_loss(model: CharModel, x: np.ndarray, y: np.ndarray, state: Any) -> tuple[gg.Tensor, Any]:
    """Mean cross-entropy (nats/char) of next-character prediction over a (B, T) window."""
    logits, state = model(gg.Tensor(x), state)
    v = logits.shape[-1]
    return F.cross_entropy(logits.reshape(-1, v), gg.Tensor(y.reshape(-1))), state


def evaluate(model: CharModel, data: np.ndarray, batch_size: int, seq_len: int) -> float:
    """Validation loss in nats/char over all of ``data``, streams carried across windows."""
    model.eval()
    total, count, state = 0.0, 0, None
    with gg.no_grad():
        for x, y in SequenceBatcher(data, batch_size, seq_len):
            loss, state = sequence_loss(model, x, y, state)
            total += loss.item() * y.size
            count += y.size
    model.train()
    return total / count


@dataclass
class CharTrainingConfig(DataConfig):
    """The settings :func:`train_char_model` reads (a char experiment's Config subclasses this one)."""

    dataset: str = field(default="tinyshakespeare", metadata={"help": "tinyshakespeare | synthetic"})
    seq_len: int = 100
    batch_size: int = 32
    lr: float = 2e-3
    clip: float = field(default=5.0, metadata={"help": "gradient-norm clipping (0 = off)"})
    minutes: float = field(default=5.0, metadata={"help": "training time budget"})
    max_steps: int = field(default=0, metadata={"allow_zero": True, "help": "0: no limit"})
    report_minutes: list[float] = field(default_factory=lambda: [5.0, 15.0],
                                        metadata={"help": "when to report the validation loss"})
    sample_every_s: float = 60.0
    sample_len: int = 400
    temperature: float = 0.8
    val_fraction: float = 0.1


def train_char_model(cfg: CharTrainingConfig, model: CharModel, opt: Any, text: str, scheduler: Any = None,
                     clip_value: float = 0.0) -> dict:
    """Train until cfg.minutes / cfg.max_steps, reporting the val loss at cfg.report_minutes.

    ``clip_value`` > 0 clips each gradient element
    (min-char-rnn's way) instead of the norm. The results hold ``first_loss`` (val loss before
    training) and ``final_loss`` (after), in nats per character, and a sample.
    """
    vocab = CharVocab.from_text(text)
    train_ids, val_ids = train_val_split(vocab.encode(text), cfg.val_fraction)
    batches = SequenceBatcher(train_ids, cfg.batch_size, cfg.seq_len)
    rng = np.random.default_rng(cfg.seed + 1)
    marks = sorted(float(m) for m in cfg.report_minutes)
    results: dict = {"vocab_size": len(vocab), "train_chars": len(train_ids), "val_chars": len(val_ids),
                     "val_loss_at": {}}
    step, train_time, last_sample, state, smooth = 0, 0.0, 0.0, None, math.log(len(vocab))
    print(f"{len(vocab)} characters, {len(train_ids)} train / {len(val_ids)} val; "
          f"{sum(p.numel() for p in model.parameters())} parameters")
    first_val = evaluate(model, val_ids, cfg.batch_size, cfg.seq_len)
    done = False
    while not done:
        for x, y in batches:
            if x.shape[1] < cfg.seq_len:
                continue  # the short tail window of an epoch
            start = time.perf_counter()
            loss, state = sequence_loss(model, x, y, detach_state(state))
            opt.zero_grad()
            loss.backward()
            if clip_value:
                optim.clip_grad_value_(model.parameters(), clip_value)
            elif cfg.clip:
                optim.clip_grad_norm_(model.parameters(), cfg.clip)
            opt.step()
            if scheduler is not None:
                scheduler.step()
            train_time += time.perf_counter() - start
            step += 1
            smooth = 0.98 * smooth + 0.02 * loss.item()
            minutes = train_time / 60
            while marks and minutes >= marks[0]:
                val = evaluate(model, val_ids, cfg.batch_size, cfg.seq_len)
                results["val_loss_at"][f"{marks[0]:g}min"] = round(val, 4)
                print(f"[{marks[0]:g} min of training, step {step}] val loss {val:.4f} nats/char")
                marks.pop(0)
            if train_time - last_sample >= cfg.sample_every_s:
                last_sample = train_time
                text_out = generate(model, vocab, "\n", cfg.sample_len // 4, cfg.temperature, rng=rng)
                print(f"step {step}  {train_time:6.1f}s  train loss {smooth:.3f}  "
                      f"({step * x.size / train_time:.0f} chars/s)\n---\n{text_out.strip()}\n---")
            if (cfg.max_steps and step >= cfg.max_steps) or minutes >= cfg.minutes:
                done = True
                break
        state = None  # a new epoch starts the streams over
    val = evaluate(model, val_ids, cfg.batch_size, cfg.seq_len)
    sample = generate(model, vocab, "\n", cfg.sample_len, cfg.temperature, rng=rng)
    print(f"final: step {step}, {train_time:.0f} s training, val loss {val:.4f} nats/char\n---\n{sample}\n---")
    results.update(steps=step, train_seconds=round(train_time, 1), first_loss=round(first_val, 4),
                   final_loss=round(val, 4), final_val_loss=round(val, 4),
                   train_loss_smoothed=round(smooth, 4), chars_per_second=round(step * cfg.batch_size
                                                                                 * cfg.seq_len / train_time),
                   sample=sample)
    return results
