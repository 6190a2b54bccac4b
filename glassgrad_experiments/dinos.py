"""Dinosaur names: a character model trained on ~1,500 names samples new ones.

The names are shuffled (the file is alphabetical, which would make the
held-out tail all Z-names) and joined by newlines into one stream; a GRU reads
it in windows (truncated BPTT, the loop in ``run``). The set is small (~19k characters), so the
run is bounded by steps (about 20 passes) rather than by time: longer, and the
model starts memorising the training names. Sampling starts from a newline and stops at the next one, so
each sample is one name. We report how many samples are new, i.e. not in the
training list (a model that only memorised would score 0 %).

Data: ``dinos.txt`` in ``<data root>/text/`` (``--data-dir``, else ``$GLASSGRAD_DATA``, else the
cache; it is not downloaded: put it there); ``--dataset synthetic`` uses made-up names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.data.text import CharVocab, SequenceBatcher, train_val_split
from glassgrad.nn import functional as F
from glassgrad.sampling import generate
from glassgrad_experiments.common.data import load_text, synthetic_names
from glassgrad_experiments.common.text import CharModel, CharTrainingConfig, CharTrainingLog, detach_state

NAME = "dinos"
DESCRIPTION = "char-GRU on dinosaur names: sample names, count the ones not in the training list"

@dataclass
class Config(CharTrainingConfig):
    dataset: str = field(default="dinos", metadata={"help": "dinos | synthetic"})
    cell: str = "gru"
    hidden: int = 64
    layers: int = 1
    embed_dim: int = 16
    seq_len: int = 32
    lr: float = 3e-3
    max_steps: int = 400
    report_minutes: list[float] = field(default_factory=list)
    sample_every_s: float = 5.0
    sample_len: int = 120
    temperature: float = 1.0
    num_samples: int = 50


def smoke() -> Config:
    return Config(hidden=32, embed_dim=8, seq_len=16, batch_size=8, minutes=0.05, max_steps=30,
                  report_minutes=[0.01], sample_every_s=1e9, num_samples=5, dataset="synthetic")


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    listing = synthetic_names(seed=cfg.seed) if cfg.dataset == "synthetic" else \
        load_text(cfg.dataset, cfg.data_dir, cfg.download)
    names = [line.strip() for line in listing.splitlines() if line.strip()]
    shuffled = [names[i] for i in np.random.default_rng(cfg.seed).permutation(len(names))]
    text = "\n".join(shuffled) + "\n"
    vocab = CharVocab.from_text(text)
    train_ids, val_ids = train_val_split(vocab.encode(text), cfg.val_fraction)  # the last 10 % validates
    model = CharModel(len(vocab), cfg.hidden, cfg.layers, cfg.cell, cfg.embed_dim,
                      rng=np.random.default_rng(cfg.seed))
    opt = optim.Adam(model.parameters(), lr=cfg.lr)

    log = CharTrainingLog(cfg, model, vocab, train_ids, val_ids)  # budget, val-loss reports, samples
    while not log.spent:
        state = None  # each pass over the names starts the streams over
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

    rng = np.random.default_rng(cfg.seed + 2)
    known = set(names)
    samples = []
    for _ in range(cfg.num_samples):
        name = generate(model, vocab, "\n", 40, cfg.temperature, stop="\n", rng=rng).strip()
        samples.append(name)
    new = [s for s in samples if s and s not in known]
    print(f"{len(new)} of {len(samples)} sampled names are not in the training list:")
    print(", ".join(samples))
    (out_dir / "samples.txt").write_text("\n".join(samples) + "\n")
    results.pop("sample", None)
    results.update(samples=samples, new_names=len(new), num_samples=len(samples),
                   new_fraction=round(len(new) / max(1, len(samples)), 3))
    return results
