"""Draws docs/figures/distributed/ring_and_buckets.png (docs/distributed.md):

left, ring all-reduce on 3 processes, what each process holds of each chunk after each step;
right, a backward pass with its gradient buckets' all-reduces overlapping it, against one all-reduce
after the backward.  Run: python docs/figures/distributed/draw.py
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

N = 3


def ring_states() -> list[list[list[set[int]]]]:
    """states[step][process][chunk]: whose values are summed in that chunk, after each step."""
    held = [[{p} for _ in range(N)] for p in range(N)]
    states = [[[set(c) for c in row] for row in held]]
    for step in range(N - 1):  # reduce-scatter: p sends chunk (p - step) to p + 1, which adds it
        sent = [(p, (p - step) % N, set(held[p][(p - step) % N])) for p in range(N)]
        for p, chunk, values in sent:
            held[(p + 1) % N][chunk] |= values
        states.append([[set(c) for c in row] for row in held])
    for step in range(N - 1):  # all-gather: p sends its complete chunk (p + 1 - step) to p + 1, which keeps it
        sent = [(p, (p + 1 - step) % N, set(held[p][(p + 1 - step) % N])) for p in range(N)]
        for p, chunk, values in sent:
            held[(p + 1) % N][chunk] = values
        states.append([[set(c) for c in row] for row in held])
    return states


def draw_ring(ax) -> None:  # noqa: ANN001 (a matplotlib Axes)
    states = ring_states()
    titles = ["start", *(f"reduce-scatter {s + 1}" for s in range(N - 1)),
              *(f"all-gather {s + 1}" for s in range(N - 1))]
    colours = {1: "#f1f1f1", 2: "#9ecae1", 3: "#3182bd"}
    for column, state in enumerate(states):
        x0 = column * (N + 1)
        ax.text(x0 + N / 2, N + 0.5, titles[column], ha="center", fontsize=8)
        for p in range(N):
            for chunk in range(N):
                values = state[p][chunk]
                ax.add_patch(Rectangle((x0 + chunk, N - 1 - p), 0.95, 0.9, color=colours[len(values)]))
                ax.text(x0 + chunk + 0.47, N - 1 - p + 0.45, "+".join(str(v) for v in sorted(values)),
                        ha="center", va="center", fontsize=6.5, color="white" if len(values) == N else "black")
    for p in range(N):
        ax.text(-0.3, N - 1 - p + 0.45, f"process {p}", ha="right", va="center", fontsize=8)
    ax.set_xlim(-3, len(states) * (N + 1))
    ax.set_ylim(-0.8, N + 1)
    ax.axis("off")
    ax.set_title("Ring all-reduce (3 processes, 3 chunks): each cell lists whose values it has summed;\n"
                 "each step every process sends one chunk to the next, so each sends 2(n-1)/n of the data",
                 fontsize=9)


def draw_buckets(ax) -> None:  # noqa: ANN001
    layers = [("fc2", 1.0), ("fc1", 3.0), ("conv2", 3.5), ("conv1", 1.5)]  # backward order, compute time
    buckets = [(["fc2"], 0.8), (["fc1"], 2.4), (["conv2", "conv1"], 1.6)]  # all-reduce time
    t, done = 0.0, {}
    for name, seconds in layers:
        ax.add_patch(Rectangle((t, 2), seconds, 0.6, facecolor="#fdae6b", edgecolor="white", linewidth=2))
        ax.text(t + seconds / 2, 2.3, name, ha="center", va="center", fontsize=7)
        t += seconds
        done[name] = t
    backward_end, free = t, 0.0
    for names, seconds in buckets:
        start = max(max(done[n] for n in names), free)
        ax.add_patch(Rectangle((start, 1), seconds, 0.6, color="#74c476"))
        ax.text(start + seconds / 2, 1.3, "all-reduce\n" + "+".join(names), ha="center", va="center", fontsize=6.5)
        free = start + seconds
    total = sum(s for _, s in buckets)
    ax.add_patch(Rectangle((backward_end, 0), total, 0.6, color="#bdbdbd"))
    ax.text(backward_end + total / 2, 0.3, "one all-reduce after backward", ha="center", va="center", fontsize=7)
    ax.axvline(free, color="#31a354", linestyle="--", linewidth=1)
    ax.axvline(backward_end + total, color="#636363", linestyle="--", linewidth=1)
    ax.set_yticks([2.3, 1.3, 0.3], ["backward", "buckets", "no buckets"], fontsize=8)
    ax.set_xlabel("time", fontsize=8)
    ax.set_xticks([])
    ax.set_ylim(-0.3, 3)
    ax.set_title("DDP buckets: a bucket's all-reduce starts when its last gradient is ready,\n"
                 "while backward goes on (dashed: when the gradients are averaged)", fontsize=9)


def main() -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 3.6), gridspec_kw={"width_ratios": [1.6, 1]})
    draw_ring(left)
    draw_buckets(right)
    fig.tight_layout()
    fig.savefig(Path(__file__).parent / "ring_and_buckets.png", dpi=110)


if __name__ == "__main__":
    main()
