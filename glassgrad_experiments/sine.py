"""Next value of a sine wave from the last 10: a dense net against an RNN.

Both see the same windows of 10 samples of sin(t) (step 0.1) and predict the
11th. Dense, as in the classic Keras version: Dense(10 -> 5, relu) then
Dense(5 -> 1, relu). A ReLU output can never be negative, so the dense net
fails on the lower half of the wave (``--dense-activation tanh`` gives the
fixed variant: tanh hidden layer, linear output, which fits). With the ReLU
output some seeds are worse still: when the output unit starts dead for every
input it never learns at all (seeds 1, 3, 5 here), predicting 0 everywhere. RNN: nn.RNN(1, 5)
(tanh) reads the 10 values one at a time, Linear(5, 1) maps its last state to
the prediction.
Adam on the mean squared error, full batch; test on a later stretch of the wave
than the one trained on. Keras-style, as the classic: each net is trained by one
``fit`` call (``train`` below; the loop it runs is ``glassgrad/train/loop.py``'s).
The plot shows both predictions against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.nn import functional as F
from glassgrad.train import fit

NAME = "sine"
DESCRIPTION = "next sine value from the last 10: Dense(10,5)-Dense(5,1) vs RNN 10->5->1, plot and MSEs"


@dataclass
class Config:
    window: int = 10
    hidden: int = 5
    step: float = 0.1
    train_points: int = 600
    test_points: int = 200
    epochs: int = 1500
    lr: float = 0.01
    dense_activation: str = "relu"  # relu: after both dense layers (the classic); tanh: hidden only, linear output
    seed: int = 0
    plot: bool = True


def smoke() -> Config:
    return Config(train_points=100, test_points=40, epochs=30, plot=False)


def windows(start: int, count: int, cfg: Config) -> tuple[np.ndarray, np.ndarray]:
    """x (count, window) of consecutive sin samples, y (count, 1) the next sample."""
    t = (start + np.arange(count + cfg.window)) * cfg.step
    wave = np.sin(t).astype(np.float32)
    idx = np.arange(count)[:, None] + np.arange(cfg.window)[None, :]  # (count, window)
    return wave[idx], wave[cfg.window:cfg.window + count, None]


class DenseNet(nn.Module):
    def __init__(self, window: int, hidden: int, rng: np.random.Generator, activation: str = "relu") -> None:
        super().__init__()
        if activation not in ("relu", "tanh"):
            raise ValueError(f"dense_activation must be 'relu' or 'tanh', got {activation!r}")
        self.activation = activation
        self.fc1, self.fc2 = nn.Linear(window, hidden, rng=rng), nn.Linear(hidden, 1, rng=rng)
        for layer in (self.fc1, self.fc2):  # Keras's Dense defaults: Glorot-uniform weights, zero biases
            nn.init.xavier_uniform_(layer.weight, rng=rng)
            nn.init.zeros_(layer.bias)

    def forward(self, x: gg.Tensor) -> gg.Tensor:  # (N, window) -> (N, 1)
        if self.activation == "relu":
            return self.fc2(self.fc1(x).relu()).relu()  # output >= 0: negative targets are out of reach
        return self.fc2(self.fc1(x).tanh())


class RNNNet(nn.Module):
    def __init__(self, hidden: int, rng: np.random.Generator) -> None:
        super().__init__()
        self.rnn, self.fc = nn.RNN(1, hidden, batch_first=True, rng=rng), nn.Linear(hidden, 1, rng=rng)

    def forward(self, x: gg.Tensor) -> gg.Tensor:  # (N, window) -> (N, 1)
        _, h_n = self.rnn(x.unsqueeze(-1))  # h_n (1, N, hidden)
        return self.fc(h_n[0])


def train(model: nn.Module, x: np.ndarray, y: np.ndarray, cfg: Config) -> float:
    """Full-batch Adam on the mean squared error for cfg.epochs steps; returns the last step's loss."""
    history = fit(model, x, y, loss_fn=nn.MSELoss(), optimizer=optim.Adam(model.parameters(), lr=cfg.lr),
                  epochs=cfg.epochs, batch_size=len(x), metrics=(), shuffle=False, verbose=False)
    return history["loss"][-1]


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    x_train, y_train = windows(0, cfg.train_points, cfg)
    x_test, y_test = windows(cfg.train_points + cfg.window, cfg.test_points, cfg)
    rng = np.random.default_rng(cfg.seed)
    models = {"dense": DenseNet(cfg.window, cfg.hidden, rng, cfg.dense_activation), "rnn": RNNNet(cfg.hidden, rng)}
    negative = y_test[:, 0] < 0
    results: dict = {}
    predictions = {}
    for name, model in models.items():
        with gg.no_grad():
            results[f"{name}_first_train_mse"] = F.mse_loss(model(gg.Tensor(x_train)), gg.Tensor(y_train)).item()
        train_mse = train(model, x_train, y_train, cfg)
        with gg.no_grad():
            predictions[name] = model(gg.Tensor(x_test)).numpy()
        test_mse = float(np.mean((predictions[name] - y_test) ** 2))
        results[f"{name}_train_mse"] = train_mse
        results[f"{name}_test_mse"] = test_mse
        errors = (predictions[name] - y_test)[:, 0] ** 2
        results[f"{name}_test_mse_where_negative"] = float(errors[negative].mean())
        results[f"{name}_test_mse_where_positive"] = float(errors[~negative].mean())
        print(f"{name:5s}: train MSE {train_mse:.2e}, test MSE {test_mse:.2e}, "
              f"{sum(p.numel() for p in model.parameters())} parameters")
    results["first_loss"], results["final_loss"] = results["rnn_first_train_mse"], results["rnn_train_mse"]
    if cfg.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        t = (cfg.train_points + 2 * cfg.window + np.arange(cfg.test_points)) * cfg.step
        fig, ax = plt.subplots(figsize=(9, 4))
        ax.plot(t, y_test[:, 0], "k-", lw=3, alpha=0.3, label="truth sin(t)")
        dense_label = f"Dense 10-5-1, {cfg.dense_activation} (MSE {results['dense_test_mse']:.1e})"
        ax.plot(t, predictions["dense"][:, 0], "b--", label=dense_label)
        ax.plot(t, predictions["rnn"][:, 0], "r:", label=f"RNN 10->5->1 (MSE {results['rnn_test_mse']:.1e})")
        ax.set_xlabel("t")
        ax.set_title("next value of a sine wave from the last 10 (test stretch)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3)
        fig.tight_layout()
        fig.savefig(out_dir / "sine.png", dpi=100)
        plt.close(fig)
    return results
