"""CNN training epoch: glassgrad vs PyTorch, same model, same data, same threads.

The model is the ``mnist-cnn`` CNN (conv 1->32 3x3 pad 1, ReLU, maxpool 2, conv 32->64 3x3
pad 1, ReLU, maxpool 2, fc 3136->128, ReLU, fc 128->10), cross-entropy, Adam (lr 1e-3),
float32, batch 64. One timed run = ``--batches`` batches of MNIST train24k (default 60, i.e.
3,840 images); seconds per *full* 24k epoch are that time scaled by 375 / batches. glassgrad
trains with ``glassgrad.train.fit`` (no metrics); torch with the equivalent hand loop. Both
start from the same weights; runs alternate (see ``common.py``).

Then each layer alone, forward + backward at the model's shapes (batch 64): conv1 (no input
gradient, as in training), conv2, and the two max-pools.

    GLASSGRAD_BENCH_THREADS=2 python benchmarks/cnn.py [--batches 60] [--repeats 5] [--profile]
"""

from __future__ import annotations

import common  # first: pins the BLAS threads before NumPy loads

# isort: split
import argparse
import cProfile
import pstats
import sys
from pathlib import Path

import numpy as np

MNIST = common.REPO.parent / "shared" / "data" / "mnist"
BATCH = 64


def load(n: int) -> tuple[np.ndarray, np.ndarray]:
    from glassgrad.data import load_mnist, transforms

    try:
        x, y = load_mnist(MNIST if MNIST.exists() else None, train=True, limit=n)
        x = transforms.normalize(x, transforms.MNIST_MEAN, transforms.MNIST_STD)
    except FileNotFoundError:  # no data: random images time the same
        print("MNIST not found; timing on random images", file=sys.stderr)
        rng = np.random.default_rng(0)
        x, y = rng.standard_normal((n, 28, 28)).astype(np.float32), rng.integers(0, 10, n)
    return x.reshape(-1, 1, 28, 28).astype(np.float32), y.astype(np.int64)


def glassgrad_setup(x: np.ndarray, y: np.ndarray, init_state: dict):
    from glassgrad.models import mnist_cnn

    model = mnist_cnn()
    return model, common.glassgrad_trainer(model, init_state, x, y, BATCH)


def torch_setup(torch, x: np.ndarray, y: np.ndarray):
    tnn = torch.nn
    torch.manual_seed(0)
    model = tnn.Sequential(tnn.Conv2d(1, 32, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
                           tnn.Conv2d(32, 64, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2), tnn.Flatten(),
                           tnn.Linear(3136, 128), tnn.ReLU(), tnn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = tnn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    rng = np.random.default_rng(0)

    def epoch() -> float:
        order = torch.from_numpy(rng.permutation(len(xt)))
        for start in range(0, len(xt), BATCH):
            idx = order[start:start + BATCH]
            loss = loss_fn(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return float(loss.detach())

    return model, epoch


def layer_contenders(torch) -> dict[str, dict]:
    """name -> {"glassgrad": fn, "torch": fn}: forward + backward of one layer at the model's shapes."""
    import glassgrad as gg
    from glassgrad import ops

    rng = np.random.default_rng(0)
    cases = {}
    for name, (c, h, o, need_x) in {"conv1 1->32 @28x28": (1, 28, 32, False),
                                    "conv2 32->64 @14x14": (32, 14, 64, True)}.items():
        x = rng.standard_normal((BATCH, c, h, h)).astype(np.float32)
        w = (rng.standard_normal((o, c, 3, 3)) * 0.1).astype(np.float32)
        b = np.zeros(o, np.float32)
        dy = rng.standard_normal((BATCH, o, h, h)).astype(np.float32)

        def gg_fn(x=x, w=w, b=b, dy=dy, need_x=need_x):
            xs = gg.Tensor(x, requires_grad=need_x)
            ws, bs = gg.Tensor(w, requires_grad=True), gg.Tensor(b, requires_grad=True)
            ops.conv2d(xs, ws, bs, padding=1).backward(dy)

        tx, tw, tb, tdy = (torch.from_numpy(a) for a in (x, w, b, dy))

        def torch_fn(tx=tx, tw=tw, tb=tb, tdy=tdy, need_x=need_x):
            xs = tx.clone().requires_grad_(need_x)
            ws, bs = tw.clone().requires_grad_(), tb.clone().requires_grad_()
            torch.nn.functional.conv2d(xs, ws, bs, padding=1).backward(tdy)

        cases[name] = {"glassgrad": gg_fn, "torch": torch_fn}
        if need_x:  # the same layer on the whole-row kernel (off by default: the plain path measured as fast)

            def gg_kernel(gg_fn=gg_fn):
                from glassgrad.kernels import conv as conv_kernel

                conv_kernel.ENABLED = True
                try:
                    gg_fn()
                finally:
                    conv_kernel.ENABLED = False

            cases[name + " (whole-row kernel)"] = {"glassgrad": gg_kernel, "torch": torch_fn}
    for name, (c, h) in {"maxpool 2x2 (64,32,28,28)": (32, 28), "maxpool 2x2 (64,64,14,14)": (64, 14)}.items():
        x = np.maximum(rng.standard_normal((BATCH, c, h, h)), 0).astype(np.float32)  # ReLU output: many ties
        dy = rng.standard_normal((BATCH, c, h // 2, h // 2)).astype(np.float32)

        def gg_pool(x=x, dy=dy):
            ops.max_pool2d(gg.Tensor(x, requires_grad=True), 2).backward(dy)

        tx, tdy = torch.from_numpy(x), torch.from_numpy(dy)

        def torch_pool(tx=tx, tdy=tdy):
            torch.nn.functional.max_pool2d(tx.clone().requires_grad_(), 2).backward(tdy)

        cases[name] = {"glassgrad": gg_pool, "torch": torch_pool}
    return cases


def repeat(fn, times: int):
    def run() -> None:
        for _ in range(times):
            fn()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=60, help="batches per timed run (full epoch = 375)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--layer-repeats", type=int, default=20, help="calls per timed layer run")
    parser.add_argument("--profile", action="store_true", help="cProfile one glassgrad run")
    parser.add_argument("--skip-layers", action="store_true")
    args = parser.parse_args()

    import torch

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    x, y = load(args.batches * BATCH)
    tmodel, t_epoch = torch_setup(torch, x, y)
    init = {k: v.detach().numpy().copy() for k, v in tmodel.state_dict().items()}
    gmodel, g_epoch = glassgrad_setup(x, y, init)
    scale = 375 / args.batches
    print(f"\nCNN training, batch {BATCH}, {args.batches} batches per run, scaled x{scale:.2f} to a 24k epoch")
    times = common.alternate({"glassgrad": g_epoch, "torch": t_epoch}, repeats=args.repeats)
    epoch_times = {k: [t * scale for t in v] for k, v in times.items()}
    print(common.ratio_line("seconds per 24k epoch", epoch_times, "glassgrad", "torch"))
    print(common.result_line(f"CNN epoch, batch {BATCH}, {common.THREADS} threads", common.round_ratios(times)))

    if not args.skip_layers:
        print(f"\nsingle layers, forward + backward, batch {BATCH} (ms per call, {args.layer_repeats} calls/run)")
        for name, pair in layer_contenders(torch).items():
            runs = {k: repeat(fn, args.layer_repeats) for k, fn in pair.items()}
            t = common.alternate(runs, repeats=args.repeats, log=False)
            ms = {k: [1000 * s / args.layer_repeats for s in v] for k, v in t.items()}
            print(common.ratio_line(name, ms, "glassgrad", "torch", unit="ms"))
            print(common.result_line(f"CNN layer: {name}, forward + backward", common.round_ratios(t)))

    if args.profile:
        profile_path = Path("/tmp/glassgrad_cnn.prof")
        cProfile.runctx("g_epoch()", globals(), {"g_epoch": g_epoch}, str(profile_path))
        pstats.Stats(str(profile_path)).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
