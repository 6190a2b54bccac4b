"""What the character-model experiments share (char-lstm, char-rnn, dinos).

Each of them writes its own truncated-BPTT training loop; this module holds the model and the
plumbing around the loop:

- ``CharModel``: embedding (or one-hot) -> RNN / LSTM / GRU stack -> linear head;
- ``detach_state``: cut the graph behind a recurrent state (truncated backpropagation through time);
- ``evaluate``: the validation loss in nats per character;
- ``CharTrainingLog``: the time / step budget, the validation loss at chosen minutes of training,
  samples as the model learns, and the results dict.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import glassgrad as gg
from glassgrad import nn
from glassgrad.data.text import CharVocab, SequenceBatcher
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


def evaluate(model: CharModel, data: np.ndarray, batch_size: int, seq_len: int) -> float:
    """Validation loss in nats/char over all of ``data``, streams carried across windows."""
    model.eval()
    total, count, state = 0.0, 0, None
    with gg.no_grad():
        for x, y in SequenceBatcher(data, batch_size, seq_len):
            logits, state = model(gg.tensor(x), state)  # (B, T, V)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), gg.tensor(y.reshape(-1)))
            total += loss.item() * y.size
            count += y.size
    model.train()
    return total / count


@dataclass
class CharTrainingConfig(DataConfig):
    """The settings of a character-model experiment (its Config subclasses this one)."""

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


class CharTrainingLog:
    """The plumbing around a character model's training loop.

    Made before the loop (it prints the sizes and measures the validation loss before training); call
    ``step(loss)`` after each optimiser step. It counts the steps and the training time (its own work,
    validation and samples, is not counted), keeps a smoothed training loss, reports the validation
    loss at ``cfg.report_minutes`` of training, prints a sample every ``cfg.sample_every_s`` seconds,
    and sets ``spent`` once ``cfg.minutes`` of training or ``cfg.max_steps`` steps are used up.
    ``results()`` measures the final validation loss, draws a last sample and returns the numbers
    (``first_loss`` / ``final_loss``: validation nats per character before / after training).
    """

    def __init__(self, cfg: CharTrainingConfig, model: CharModel, vocab: CharVocab, train_ids: np.ndarray,
                 val_ids: np.ndarray) -> None:
        stream = (len(train_ids) - 1) // cfg.batch_size  # characters per stream
        if stream < cfg.seq_len:  # every window would be a short tail window: the loop would never step
            raise ValueError(f"{len(train_ids)} training characters in {cfg.batch_size} streams give no window of "
                             f"--seq-len {cfg.seq_len}: lower --seq-len or --batch-size")
        self.cfg, self.model, self.vocab, self.val_ids = cfg, model, vocab, val_ids
        self.rng = np.random.default_rng(cfg.seed + 1)  # the samples' draws
        self.marks = sorted(float(m) for m in cfg.report_minutes)
        self.numbers: dict = {"vocab_size": len(vocab), "train_chars": len(train_ids), "val_chars": len(val_ids),
                              "val_loss_at": {}}
        self.steps, self.train_time, self.last_sample, self.smooth = 0, 0.0, 0.0, math.log(len(vocab))
        self.spent = False
        print(f"{len(vocab)} characters, {len(train_ids)} train / {len(val_ids)} val; "
              f"{sum(p.numel() for p in model.parameters())} parameters")
        self.first_val = self._val_loss()
        self.clock = time.perf_counter()

    def _val_loss(self) -> float:
        return evaluate(self.model, self.val_ids, self.cfg.batch_size, self.cfg.seq_len)

    def step(self, loss: gg.Tensor) -> None:
        """Count one training step (``loss``: its mean cross-entropy); report, sample, check the budget."""
        cfg = self.cfg
        self.train_time += time.perf_counter() - self.clock
        self.steps += 1
        self.smooth = 0.98 * self.smooth + 0.02 * loss.item()
        minutes = self.train_time / 60
        while self.marks and minutes >= self.marks[0]:
            val = self._val_loss()
            self.numbers["val_loss_at"][f"{self.marks[0]:g}min"] = round(val, 4)
            print(f"[{self.marks[0]:g} min of training, step {self.steps}] val loss {val:.4f} nats/char")
            self.marks.pop(0)
        if self.train_time - self.last_sample >= cfg.sample_every_s:
            self.last_sample = self.train_time
            text_out = generate(self.model, self.vocab, "\n", cfg.sample_len // 4, cfg.temperature, rng=self.rng)
            print(f"step {self.steps}  {self.train_time:6.1f}s  train loss {self.smooth:.3f}  "
                  f"({self._chars_per_second():.0f} chars/s)\n---\n{text_out.strip()}\n---")
        self.spent = bool(cfg.max_steps and self.steps >= cfg.max_steps) or minutes >= cfg.minutes
        self.clock = time.perf_counter()

    def _chars_per_second(self) -> float:
        return self.steps * self.cfg.batch_size * self.cfg.seq_len / self.train_time

    def results(self) -> dict:
        val = self._val_loss()
        sample = generate(self.model, self.vocab, "\n", self.cfg.sample_len, self.cfg.temperature, rng=self.rng)
        print(f"final: step {self.steps}, {self.train_time:.0f} s training, val loss {val:.4f} nats/char\n"
              f"---\n{sample}\n---")
        return {**self.numbers, "steps": self.steps, "train_seconds": round(self.train_time, 1),
                "first_loss": round(self.first_val, 4), "final_loss": round(val, 4), "final_val_loss": round(val, 4),
                "train_loss_smoothed": round(self.smooth, 4), "chars_per_second": round(self._chars_per_second()),
                "sample": sample}
