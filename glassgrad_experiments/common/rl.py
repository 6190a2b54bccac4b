"""What the RL experiments share: their common settings, a small MLP, running averages, the returns
plot and summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from glassgrad import nn


@dataclass
class RLConfig:
    """The settings every RL experiment has (its Config subclasses this one)."""

    env: str = field(default="CartPole-v1", metadata={"help": "CartPole-v1 (gymnasium) | corridor (built in)"})
    max_episodes: int = 1000
    hidden: int = 64
    lr: float = 1e-3
    gamma: float = field(default=0.99, metadata={"help": "discount factor"})
    target: float = field(default=475.0, metadata={"help": "the mean return over --window episodes that solves it"})
    window: int = 100
    seed: int = 0


class MLP(nn.Module):
    """x -> Linear -> ReLU -> ... -> Linear (no activation on the output)."""

    def __init__(self, sizes: Sequence[int], rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b, rng=rng) for a, b in zip(sizes[:-1], sizes[1:])])

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = x.relu()
        return x


def copy_parameters(source: nn.Module, target: nn.Module) -> None:
    """target <- source, parameter by parameter (the DQN target network's hard update)."""
    target.load_state_dict(source.state_dict())


def running_mean(values: Sequence[float], window: int) -> np.ndarray:
    """Mean of the last ``window`` values at each position (fewer at the start)."""
    v = np.asarray(values, dtype=np.float64)
    c = np.concatenate([[0.0], np.cumsum(v)])
    starts = np.maximum(np.arange(1, len(v) + 1) - window, 0)
    return (c[1:] - c[starts]) / (np.arange(1, len(v) + 1) - starts)


def episodes_to_reach(returns: Sequence[float], target: float, window: int = 100) -> int | None:
    """First episode count at which the mean of the last ``window`` full episodes >= target."""
    avg = running_mean(returns, window)
    hits = [i + 1 for i in range(window - 1, len(avg)) if avg[i] >= target]
    return hits[0] if hits else None


def plot_returns(returns: Sequence[float], path: Path, title: str, window: int = 100,
                 target: float | None = None) -> None:
    """Per-episode returns (faint) and their running mean (bold), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    ax.plot(returns, alpha=0.35, lw=0.8, label="episode return")
    ax.plot(running_mean(returns, window), lw=2, label=f"mean of last {window}")
    if target is not None:
        ax.axhline(target, color="k", ls="--", lw=1, label=f"target {target:g}")
    ax.set_xlabel("episode")
    ax.set_ylabel("return")
    ax.set_title(title)
    ax.legend(loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def summarize_returns(returns: Sequence[float], solved_at: int | None, window: int, target: float,
                      plot_path: Path, title: str) -> dict[str, float | int | None | str]:
    """Plot the returns and give the numbers every RL experiment reports: episodes to reach
    the target window average, the best window average, the episode count, and the mean
    return of the first and of the last ``window`` episodes (``first_return``, ``final_return``)."""
    avg = running_mean(returns, window)
    full = avg[window - 1:] if len(avg) >= window else avg[-1:]
    plot_returns(returns, plot_path, title, window, target)
    return {
        "episodes_to_target": solved_at if solved_at is not None else episodes_to_reach(returns, target, window),
        "best_window_mean": float(full.max()),
        "episodes_run": len(returns),
        "first_return": float(np.mean(returns[:window])),
        "final_return": float(np.mean(returns[-window:])),
        "plot": str(plot_path),
    }
