"""The models, data and training loop shared by the data-parallel jobs (run under the launcher) and the
single-process references the tests compute in the pytest process."""

from __future__ import annotations

import numpy as np

import glassgrad as gg
import glassgrad.nn as nn
import glassgrad.nn.functional as F

GLOBAL_BATCH = 8
STEPS = 3


def build(kind: str) -> nn.Module:
    gg.manual_seed(7)
    if kind == "mlp":
        model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 3))
    elif kind == "cnn":
        model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(4 * 3 * 3, 3))
    elif kind == "lstm":
        model = LSTMClassifier()
    else:
        raise ValueError(kind)
    return model.double()


class LSTMClassifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(4, 6, batch_first=True)
        self.head = nn.Linear(6, 3)

    def forward(self, x: gg.Tensor) -> gg.Tensor:
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def batches(kind: str) -> list[tuple[gg.Tensor, gg.Tensor]]:
    """STEPS global batches of GLOBAL_BATCH samples (float64 inputs, class targets)."""
    rng = np.random.default_rng(11)
    shape = {"mlp": (5,), "cnn": (1, 6, 6), "lstm": (5, 4)}[kind]
    return [(gg.tensor(rng.normal(size=(GLOBAL_BATCH, *shape))), gg.tensor(rng.integers(0, 3, GLOBAL_BATCH)))
            for _ in range(STEPS)]


def train(model: nn.Module, kind: str, rank: int = 0, world: int = 1, per_process_stats: bool = False) -> list:
    """STEPS SGD steps; rank ``rank`` of ``world`` uses its contiguous share of each global batch.
    ``per_process_stats`` (the reference for BatchNorm under DDP, one process): forward each share
    separately, average the losses, and keep the buffers as updated by share 0."""
    optimizer = gg.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    losses = []
    for x, y in batches(kind):
        share = GLOBAL_BATCH // world
        optimizer.zero_grad()
        if per_process_stats:
            buffers = [b.array.copy() for b in model.buffers()]
            parts = []
            for r in reversed(range(per_process_stats)):
                for b, saved in zip(model.buffers(), buffers):
                    b.array = saved.copy()
                part = slice(r * (GLOBAL_BATCH // per_process_stats), (r + 1) * (GLOBAL_BATCH // per_process_stats))
                parts.append(F.cross_entropy(model(x[part]), y[part]))
            loss = sum(parts) / len(parts)
        else:
            part = slice(rank * share, (rank + 1) * share)
            loss = F.cross_entropy(model(x[part]), y[part])
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    return losses


def state(model: nn.Module) -> dict[str, np.ndarray]:
    return {k.removeprefix("module."): np.asarray(v.array if hasattr(v, "array") else v).copy()
            for k, v in model.state_dict().items()}
