"""Residual networks on Fashion-MNIST: why skip connections matter, and a small ResNet's accuracy.

Three parts:

1. **Gradients at initialisation.** A plain network and a residual network of the
   same depth and widths (``nn.ResNet(..., skip=False)`` vs ``skip=True``), same
   initial weights for every shared layer, one batch, one backward: the norm of
   each weight layer's gradient, from the input side to the output side. Without
   shortcuts the gradient reaching the early layers is a product of one Jacobian
   per layer; with them each block adds an identity path (dy/dx = dF/dx + I).
2. **Training side by side.** Both networks, same optimiser and schedule, for
   ``compare_steps`` steps: training loss curves and test accuracy.
3. **Accuracy.** A small ResNet (``blocks`` x ``widths``) on the full 60k training
   images with random crops and flips, SGD + Nesterov momentum, cosine learning
   rate; test accuracy per epoch (target >= 93.0 %).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.nn import functional as F
from glassgrad.utils.data import DataLoader, Dataset
from glassgrad_experiments.common.data import DataConfig, load_images

NAME = "resnet"
DESCRIPTION = "plain vs residual net of equal depth on Fashion-MNIST (gradients, curves); ResNet accuracy (>= 93 %)"

MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST pixel statistics

HEADLINE = ("test_accuracy", "target_met", "epochs", "train_seconds", "plain_vs_residual_test_accuracy",
            "first_layer_grad_norm_plain_vs_residual")


@dataclass
class Config(DataConfig):
    dataset: str = field(default="fashion", metadata={"help": "fashion | mnist | synthetic (smoke)"})
    compare_blocks: list[int] = field(default_factory=lambda: [5, 5, 5])  # 32 weight layers
    compare_widths: list[int] = field(default_factory=lambda: [8, 16, 32])
    compare_steps: int = field(default=300, metadata={"allow_zero": True})  # 0: gradient norms only
    compare_lr: float = 0.05
    grad_batch: int = 128
    blocks: list[int] = field(default_factory=lambda: [3, 3, 3])  # ResNet-20
    widths: list[int] = field(default_factory=lambda: [16, 32, 64])
    epochs: int = 15
    batch_size: int = 128
    lr: float = 0.1
    momentum: float = 0.9
    weight_decay: float = 5e-4
    warmup_steps: int = field(default=200, metadata={"allow_zero": True})
    crop_pad: int = 2
    flip: bool = True
    workers: int = field(default=0, metadata={"allow_zero": True,
                                              "help": "DataLoader worker processes that read and augment batches"})
    n_train: int = 0  # 0 = all 60k
    n_test: int = 0  # 0 = all 10k
    target: float = 0.93
    max_minutes: float = 0.0  # stop the accuracy run after this long (0 = no limit); reported if it cut the run


def smoke() -> Config:
    return Config(dataset="synthetic", compare_blocks=[1, 1], compare_widths=[4, 8], compare_steps=2, grad_batch=8,
                  blocks=[1, 1], widths=[4, 8], epochs=3, batch_size=32, n_train=64, n_test=32, warmup_steps=2)


# ----- data ---------------------------------------------------------------------------------------
def load(cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test), images standardised, shaped (N, 1, 28, 28)."""
    small = cfg.dataset == "synthetic"  # small generated images: a fast smoke run
    data = load_images(cfg.dataset, cfg.data_dir, cfg.download, cfg.n_train or (512 if small else 0),
                       cfg.n_test or (256 if small else 0), cfg.seed, synthetic_size=14)
    return data.x_train, data.y_train, data.x_test, data.y_test


def augment(x: np.ndarray, pad: int, flip: bool, rng: np.random.Generator) -> np.ndarray:
    """Random crops (zero-pad by ``pad``, cut back to the size at a random offset) and left-right flips."""
    n, _, h, w = x.shape
    if pad:
        padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=(0 - MEAN) / STD)
        dy, dx = rng.integers(0, 2 * pad + 1, n), rng.integers(0, 2 * pad + 1, n)
        x = np.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    if flip:
        mirror = rng.random(n) < 0.5
        x = np.where(mirror[:, None, None, None], x[..., ::-1], x)
    return x


class ImagePairs(Dataset):
    """Sample i: (image i as it is stored, label i); the batches are put together by ``AugmentBatch``."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> tuple[np.ndarray, np.int64]:
        return self.x[i], self.y[i]


class AugmentBatch:
    """The DataLoader's ``collate_fn``: stack the samples, then crop and flip the batch at random.

    It runs where the batch is made: in a worker process when ``workers > 0``. Its random numbers
    come from NumPy's global generator, which each worker seeds differently (and the main process
    from the run's seed), so the augmentations differ across workers and repeat across runs."""

    def __init__(self, pad: int, flip: bool, enabled: bool) -> None:
        self.pad, self.flip, self.enabled = pad, flip, enabled

    def __call__(self, samples: list[tuple[np.ndarray, np.int64]]) -> tuple[np.ndarray, np.ndarray]:
        x = np.stack([image for image, _ in samples])
        y = np.array([label for _, label in samples], dtype=np.int64)
        if self.enabled:
            x = augment(x, self.pad, self.flip, np.random.default_rng(np.random.randint(0, 2**31)))
        return np.ascontiguousarray(x), y


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray, batch: int = 500) -> float:
    model.eval()
    correct = 0
    with gg.no_grad():
        for i in range(0, len(x), batch):
            correct += int((model(gg.tensor(x[i:i + batch])).numpy().argmax(-1) == y[i:i + batch]).sum())
    model.train()
    return correct / len(x)


# ----- the three parts -------------------------------------------------------------------------------
def gradient_norms(model: nn.ResNet, x: np.ndarray, y: np.ndarray) -> list[float]:
    """||dL/dW|| of each weight layer (input side first) after one backward on (x, y)."""
    model.zero_grad()
    F.cross_entropy(model(gg.tensor(x)), gg.tensor(y)).backward()
    return [float(np.linalg.norm(w.grad.numpy())) for _, w in model.weight_layers()]


def cosine_lr(step: int, total: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    return 0.5 * peak * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


def train(model: nn.Module, data: tuple, cfg: Config, steps: int, lr: float, augment_data: bool,
          log_every: int = 0, eval_each_epoch: bool = False, max_minutes: float = 0.0) -> dict:
    """SGD (Nesterov momentum, weight decay) with warm-up + cosine over ``steps`` minibatch steps
    (cut short after ``max_minutes`` if that is set)."""
    x_train, y_train, x_test, y_test = data
    np.random.seed(cfg.seed + 1)  # the augmentations' generator when the batches are made here (workers=0)
    loader = DataLoader(ImagePairs(x_train, y_train), batch_size=cfg.batch_size, shuffle=True,
                        drop_last=len(x_train) >= cfg.batch_size, num_workers=cfg.workers,
                        persistent_workers=cfg.workers > 0, collate_fn=AugmentBatch(cfg.crop_pad, cfg.flip,
                                                                                    augment_data),
                        generator=np.random.default_rng(cfg.seed + 1))
    opt = optim.SGD(model.parameters(), lr=lr, momentum=cfg.momentum, nesterov=True, weight_decay=cfg.weight_decay)
    losses, epoch_acc, epoch_seconds, step, start = [], [], [], 0, time.perf_counter()
    while step < steps:
        epoch_start = time.perf_counter()
        for xb, yb in loader:
            for group in opt.param_groups:
                group["lr"] = cosine_lr(step, steps, lr, min(cfg.warmup_steps, steps // 5 + 1))
            loss = F.cross_entropy(model(gg.tensor(xb)), gg.tensor(yb))
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            step += 1
            if log_every and step % log_every == 0:
                print(f"  step {step}/{steps}: loss {np.mean(losses[-log_every:]):.4f} "
                      f"({time.perf_counter() - start:.0f} s)", flush=True)
            if max_minutes and time.perf_counter() - start > 60 * max_minutes:
                print(f"  time budget of {max_minutes} min reached at step {step}/{steps}", flush=True)
                steps = step
            if step >= steps:
                break
        epoch_seconds.append(time.perf_counter() - epoch_start)
        if eval_each_epoch:
            epoch_acc.append(accuracy(model, x_test, y_test))
            print(f"  epoch {len(epoch_acc)}: test accuracy {epoch_acc[-1]:.4f} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    return {"losses": losses, "epoch_test_accuracy": epoch_acc, "seconds": time.perf_counter() - start,
            "steps": step, "epoch_seconds": epoch_seconds}


def run(cfg: Config, out_dir: Path) -> dict:
    for name in ("compare_blocks", "compare_widths", "blocks", "widths"):  # the CLI gives lists of strings
        setattr(cfg, name, [int(v) for v in getattr(cfg, name)])
    gg.manual_seed(cfg.seed)
    data = load(cfg)
    x_train, y_train, x_test, y_test = data
    print(f"{len(x_train)} training / {len(x_test)} test images")
    results: dict = {}

    # 1 and 2: plain vs residual, same depth
    nets = {}
    for skip in (False, True):
        nets[skip] = nn.ResNet(cfg.compare_blocks, cfg.compare_widths, skip=skip, rng=np.random.default_rng(cfg.seed))
    depth = len(nets[True].weight_layers())
    batch = np.random.default_rng(cfg.seed).choice(len(x_train), cfg.grad_batch, replace=False)
    norms = {("residual" if s else "plain"): gradient_norms(m, x_train[batch], y_train[batch]) for s, m in nets.items()}
    print(f"gradient norms at init, {depth} weight layers, first / last layer: "
          + "; ".join(f"{k} {v[0]:.2e} / {v[-1]:.2e}" for k, v in norms.items()))
    curves, compare_acc = {}, {}
    for skip, model in nets.items() if cfg.compare_steps else ():  # --compare-steps 0: gradients only
        label = "residual" if skip else "plain"
        print(f"training the {label} network ({depth} layers) for {cfg.compare_steps} steps")
        out = train(model, data, cfg, cfg.compare_steps, cfg.compare_lr, augment_data=False,
                    log_every=max(1, cfg.compare_steps // 5))
        curves[label], compare_acc[label] = out["losses"], accuracy(model, x_test, y_test)
        print(f"  {label}: test accuracy {compare_acc[label]:.4f}, {out['seconds']:.0f} s")
    results["compare"] = {"depth": depth, "blocks": cfg.compare_blocks, "widths": cfg.compare_widths,
                          "grad_norm_first_layer": {k: v[0] for k, v in norms.items()},
                          "grad_norm_last_layer": {k: v[-1] for k, v in norms.items()},
                          "grad_norms": norms, "test_accuracy": compare_acc,
                          "final_train_loss": {k: float(np.mean(v[-20:])) for k, v in curves.items() if v}}

    # 3: the accuracy run
    model = nn.ResNet(cfg.blocks, cfg.widths, rng=np.random.default_rng(cfg.seed))
    steps = cfg.epochs * max(1, len(x_train) // cfg.batch_size)
    print(f"training ResNet-{len(model.weight_layers())} {cfg.blocks} x {cfg.widths} for {cfg.epochs} epochs "
          f"({steps} steps)")
    out = train(model, data, cfg, steps, cfg.lr, augment_data=True, log_every=100, eval_each_epoch=True,
                max_minutes=cfg.max_minutes)
    final = out["epoch_test_accuracy"][-1] if out["epoch_test_accuracy"] else accuracy(model, x_test, y_test)
    results["accuracy"] = {"layers": len(model.weight_layers()), "blocks": cfg.blocks, "widths": cfg.widths,
                           "epochs": cfg.epochs, "test_accuracy": round(final, 4),
                           "epoch_test_accuracy": [round(a, 4) for a in out["epoch_test_accuracy"]],
                           "train_seconds": round(out["seconds"], 1), "steps_done": out["steps"],
                           "workers": cfg.workers, "epoch_seconds": [round(t, 1) for t in out["epoch_seconds"]],
                           "steps_planned": steps, "target": cfg.target,
                           "target_met": final >= cfg.target}
    print(f"ResNet test accuracy {final:.4f} after {cfg.epochs} epochs, {out['seconds']:.0f} s "
          f"(target {cfg.target:.3f}: {'met' if final >= cfg.target else 'NOT met'})")
    results["figures"] = _figures(norms, curves, out, out_dir)
    results.update(first_loss=float(np.mean(out["losses"][:2])), final_loss=float(np.mean(out["losses"][-2:])),
                   test_accuracy=round(final, 4), target_met=final >= cfg.target, epochs=cfg.epochs,
                   train_seconds=round(out["seconds"], 1),
                   plain_vs_residual_test_accuracy=[round(compare_acc[k], 4) for k in compare_acc],
                   first_layer_grad_norm_plain_vs_residual=[float(f"{norms['plain'][0]:.3g}"),
                                                            float(f"{norms['residual'][0]:.3g}")])
    return results


def _figures(norms: dict, curves: dict, accuracy_run: dict, out_dir: Path) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError:
        return []
    fig = Figure(figsize=(13, 4))
    ax1, ax2, ax3 = (fig.add_subplot(1, 3, i) for i in (1, 2, 3))
    for label, values in norms.items():
        ax1.semilogy(range(1, len(values) + 1), values, "o-", ms=3, label=label)
    ax1.set_xlabel("weight layer (input side -> output side)")
    ax1.set_ylabel("||dL/dW|| at initialisation")
    ax1.set_title("gradient reaching each layer")
    for label, losses in curves.items():
        window = max(1, min(20, len(losses) // 10))
        ax2.plot(np.convolve(losses, np.ones(window) / window, mode="valid"), label=label)
    ax2.set_xlabel("step")
    ax2.set_ylabel("training loss")
    ax2.set_title("same depth, with and without skips")
    acc = accuracy_run["epoch_test_accuracy"]
    ax3.plot(range(1, len(acc) + 1), acc, "o-")
    ax3.axhline(0.93, color="grey", ls="--", lw=1)
    ax3.set_xlabel("epoch")
    ax3.set_ylabel("test accuracy")
    ax3.set_title("small ResNet on Fashion-MNIST")
    for ax in (ax1, ax2, ax3):
        ax.grid(True, alpha=0.3)
    ax1.legend()
    ax2.legend()
    fig.tight_layout()
    fig.savefig(out_dir / "resnet.png", dpi=100)
    return ["resnet.png"]
