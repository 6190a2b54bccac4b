"""Logic gates: what one hidden layer buys you.

Five two-input gates (AND, OR, NAND, XOR, XNOR), each learned from its four
truth-table rows by two models trained the same way:

- a single-layer perceptron, p = sigmoid(w . x + b): its decision boundary
  {p = 0.5} is a straight line, so it can learn AND, OR and NAND but not XOR
  or XNOR, whose 1s and 0s sit on opposite diagonals of the square (no line
  separates them: Minsky and Papert's classic objection);
- an MLP, p = sigmoid(W2 tanh(W1 x + b1) + b2): the hidden layer bends the
  boundary, and XOR is learned.

Both minimise binary cross-entropy by full-batch gradient descent with
momentum (``optim.SGD``). Outputs: ``gates.png`` (top row: the MLP's output p over the unit
square at step 0.01 with the 0.5 contour; bottom row: the perceptron's),
``xor_mlp_graph.svg`` (or ``.txt`` without Graphviz) — the computation graph of
one XOR training step — and, as a cross-check, the scalar engine
(``glassgrad.scalar``) learning XOR too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.tensor import Tensor

NAME = "gates"
DESCRIPTION = "AND/OR/NAND/XOR/XNOR: MLP vs single-layer perceptron, decision contours"
HEADLINE = ("XOR_mlp_accuracy", "XOR_mlp_loss", "XOR_perceptron_accuracy", "XOR_perceptron_loss",
            "AND_perceptron_accuracy", "XOR_scalar_mlp_accuracy")

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)  # (4, 2)
GATES = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "XOR": [0, 1, 1, 0],
    "XNOR": [1, 0, 0, 1],
}


@dataclass
class Config:
    hidden: int = 8
    steps: int = 2000
    lr: float = 0.5
    momentum: float = 0.9
    grid_step: float = 0.01
    seed: int = 0
    scalar_steps: int = 1000
    plot: bool = True


def smoke() -> Config:
    return Config(steps=200, scalar_steps=200, grid_step=0.02)


class GateMLP(nn.Module):
    """x (N, 2) -> Linear -> tanh -> Linear -> logit (N, 1)."""

    def __init__(self, hidden: int, rng: np.random.Generator) -> None:
        super().__init__()
        self.fc1 = nn.Linear(2, hidden, rng=rng)
        self.fc2 = nn.Linear(hidden, 1, rng=rng)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(self.fc1(x).tanh())


def bce_with_logits(z: Tensor, target: np.ndarray) -> Tensor:
    """Mean binary cross-entropy of p = sigmoid(z), computed stably.

    log p = log softmax([0, z])[1] and log(1 - p) = log softmax([0, z])[0],
    so one log_softmax over the pair gives both without ever taking log(0).
    """
    pair = gg.concatenate([gg.zeros_like(z), z], axis=1)  # (N, 2)
    picked = gg.one_hot(target.astype(np.int64), 2)  # (N, 2)
    return -(gg.log_softmax(pair, axis=1) * picked).sum(axis=1).mean()


def train(model: nn.Module, target: np.ndarray, cfg: Config) -> dict[str, float]:
    """Full-batch gradient descent with momentum on the four rows; returns the final numbers."""
    x = gg.tensor(INPUTS)
    opt = optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum)  # v = mu v + g; p = p - lr v
    with gg.no_grad():
        first = bce_with_logits(model(x), target).item()
    solved_at = -1
    for step in range(cfg.steps):
        logits = model(x)  # (4, 1)
        if solved_at < 0 and np.all((logits.numpy()[:, 0] > 0) == (target > 0.5)):
            solved_at = step  # the outputs before this step's update are all right
        loss = bce_with_logits(logits, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with gg.no_grad():
        final = bce_with_logits(model(x), target).item()
    return {"first_loss": first, "loss": final, "accuracy": accuracy(model, target), "solved_at_step": solved_at}


def accuracy(model: nn.Module, target: np.ndarray) -> float:
    with gg.no_grad():
        p = model(gg.tensor(INPUTS)).sigmoid().numpy()[:, 0]
    return float(np.mean((p > 0.5) == (target > 0.5)))


def train_scalar_xor(cfg: Config) -> dict[str, float]:
    """The same problem on the scalar engine: MLP(2, [4, 1]), squared error on sigmoid(out)."""
    from glassgrad.scalar import MLP, Value

    model = MLP(2, [4, 1], rng=np.random.default_rng(cfg.seed))
    rows = [[float(a), float(b)] for a, b in INPUTS]
    target = GATES["XOR"]
    loss_value = 0.0
    for _ in range(cfg.scalar_steps):
        outs = [model(row)[0].sigmoid() for row in rows]
        loss = sum(((o - t) ** 2 for o, t in zip(outs, target)), Value(0.0)) * 0.25
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 2.0 * p.grad
        loss_value = loss.data
    predictions = [model(row)[0].sigmoid().data for row in rows]
    correct = [(p > 0.5) == (t > 0.5) for p, t in zip(predictions, target)]
    return {"loss": loss_value, "accuracy": sum(correct) / len(correct)}


def run(cfg: Config, out_dir: Path) -> dict:
    from glassgrad.viz import contours
    from glassgrad.viz.graph import draw_graph

    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    results: dict[str, float] = {}
    mlp_numbers: list[dict[str, float]] = []
    panels: dict[str, list[contours.ContourPanel]] = {"mlp": [], "perceptron": []}
    for gate, column in GATES.items():
        target = np.array(column, dtype=np.float32)
        models = {"mlp": GateMLP(cfg.hidden, rng), "perceptron": nn.Linear(2, 1, rng=rng)}
        for kind, model in models.items():
            numbers = train(model, target, cfg)
            if kind == "mlp":
                mlp_numbers.append(numbers)
            for key, value in numbers.items():
                results[f"{gate}_{kind}_{key}"] = value
            print(f"{gate:5s} {kind:10s} loss {numbers['loss']:.4f}  accuracy {numbers['accuracy']:.2f}  "
                  f"solved at step {numbers['solved_at_step']}")
            if cfg.plot:
                xs, ys, z = contours.decision_grid(lambda pts, m=model: m(gg.tensor(pts)).sigmoid(),
                                                   step=cfg.grid_step)
                title = f"{gate}, {'MLP' if kind == 'mlp' else 'perceptron'}: acc {numbers['accuracy']:.2f}"
                panels[kind].append(contours.ContourPanel(z, xs, ys, title, INPUTS, target))
        if gate == "XOR":
            loss = bce_with_logits(models["mlp"](gg.tensor(INPUTS)), target)
            draw_graph(loss, out_dir / "xor_mlp_graph.svg", names=dict(models["mlp"].named_parameters()))
    if cfg.plot:
        contours.plot_contours(panels["mlp"] + panels["perceptron"], out_dir / "gates.png", ncols=len(GATES),
                               suptitle="p(output = 1) over [0, 1]^2: MLP (top) vs single-layer perceptron (bottom)")
    # the MLP over all five gates: mean loss before and after training, mean accuracy (chance: 1/2)
    results.update(first_loss=float(np.mean([n["first_loss"] for n in mlp_numbers])),
                   final_loss=float(np.mean([n["loss"] for n in mlp_numbers])),
                   accuracy=float(np.mean([n["accuracy"] for n in mlp_numbers])), chance=0.5)
    if cfg.scalar_steps > 0:
        scalar = train_scalar_xor(cfg)
        results["XOR_scalar_mlp_loss"] = scalar["loss"]
        results["XOR_scalar_mlp_accuracy"] = scalar["accuracy"]
        print(f"XOR   scalar MLP loss {scalar['loss']:.4f}  accuracy {scalar['accuracy']:.2f}")
    return results
