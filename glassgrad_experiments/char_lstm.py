"""A 2-layer character LSTM on tiny-Shakespeare (Karpathy's char-rnn), with a time budget.

Text is cut into ``batch_size`` contiguous streams; each step trains on the next
``seq_len`` characters of every stream, starting from the previous step's final
(h, c) with the gradient cut: truncated backpropagation through time (the loop in
``run``). Adam, gradient-norm clipping, validation loss in nats per character on the
held-out last 10 % of the text, and samples as it learns (the model and the plumbing
around the loop, the time budget, reports and samples, are ``glassgrad_experiments/common/text.py``'s,
shared with char-rnn and dinos).

Data: ``tinyshakespeare.txt`` in ``<data root>/text/`` (``--data-dir``, else ``$GLASSGRAD_DATA``,
else the cache, downloaded there when missing); ``--dataset synthetic`` uses generated sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data.text import CharVocab, SequenceBatcher, train_val_split
from glassgrad.nn import functional as F
from glassgrad_experiments.common.data import load_text
from glassgrad_experiments.common.text import CharModel, CharTrainingConfig, CharTrainingLog, detach_state

NAME = "char-lstm"
DESCRIPTION = "2-layer char-LSTM on tiny-Shakespeare: val nats/char after a time budget, samples"


@dataclass
class Config(CharTrainingConfig):
    cell: str = "lstm"
    hidden: int = 256
    layers: int = 2
    embed_dim: int = field(default=0, metadata={"allow_zero": True, "help": "0: one-hot input"})
    dropout: float = 0.0


def smoke() -> Config:
    return Config(dataset="synthetic", hidden=32, seq_len=20, batch_size=8, minutes=0.05, max_steps=40,
                  report_minutes=[0.01], sample_every_s=1.0, sample_len=60)


WEIGHTS = "model.npz"  # what run() saves: {"model": state_dict}


def build_model(cfg: Config, results: dict) -> CharModel:
    """The network run() trains, untrained (``glassgrad export`` loads the saved weights into it)."""
    return CharModel(results["vocab_size"], cfg.hidden, cfg.layers, cfg.cell, cfg.embed_dim, cfg.dropout)


def example_input(cfg: Config, results: dict) -> gg.Tensor:
    return gg.zeros(1, cfg.seq_len, dtype=gg.long)  # (N, T) character ids; outputs logits, then the state


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    text = load_text(cfg.dataset, cfg.data_dir, cfg.download, cfg.seed)
    vocab = CharVocab.from_text(text)
    train_ids, val_ids = train_val_split(vocab.encode(text), cfg.val_fraction)  # the last 10 % validates
    model = CharModel(len(vocab), cfg.hidden, cfg.layers, cfg.cell, cfg.embed_dim, cfg.dropout,
                      rng=np.random.default_rng(cfg.seed))
    opt = optim.Adam(model.parameters(), lr=cfg.lr)

    log = CharTrainingLog(cfg, model, vocab, train_ids, val_ids)  # budget, val-loss reports, samples
    while not log.spent:
        state = None  # each pass over the text starts the streams over
        for x, y in SequenceBatcher(train_ids, cfg.batch_size, cfg.seq_len):  # (B, T) ids; y: x shifted by one
            if x.shape[1] < cfg.seq_len:
                continue  # the short tail window of a pass
            logits, state = model(gg.tensor(x), detach_state(state))  # (B, T, V); no gradient into earlier windows
            loss = F.cross_entropy(logits.reshape(-1, len(vocab)), gg.tensor(y.reshape(-1)))  # nats per character
            opt.zero_grad()
            loss.backward()
            if cfg.clip:
                nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            opt.step()
            log.step(loss)
            if log.spent:
                break

    results = log.results()
    (out_dir / "sample.txt").write_text(results["sample"] + "\n")
    gg.save({"model": model.state_dict()}, out_dir / WEIGHTS)
    return results
