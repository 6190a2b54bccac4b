"""DataLoader worker processes on an augmentation-bound data set: 0 workers against N, both libraries.

The data set: 28x28 single-channel images (generated, Fashion-MNIST's size), each sample
augmented in its ``__getitem__`` the way a ResNet recipe does: a random crop after 4 pixels of
padding, a random horizontal flip, a small random brightness change and standardisation, all
in NumPy, so both libraries do exactly the same work per sample. One timed run = one epoch of
loading (no training), batch 128, shuffled. The loaders alternate, as in every benchmark here.

    python benchmarks/dataloader_workers.py [--workers 2] [--n 6000] [--repeats 3]

Prints seconds per epoch for glassgrad and torch with 0 and with ``--workers`` workers, and the
speed-up that workers give each (time with 0 / time with N); and the usual RESULT line, whose
ratio is glassgrad's time over torch's with workers.
"""

from __future__ import annotations

import common  # first: pins the BLAS threads before NumPy loads

# isort: split
import argparse

import numpy as np


class AugmentedImages:
    """Map-style data set: sample i is (augmented image i as float32 (1, 28, 28), label i mod 10)."""

    def __init__(self, n: int, seed: int = 0) -> None:
        self.images = np.random.default_rng(seed).integers(0, 256, (n, 28, 28), dtype=np.uint8)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple[np.ndarray, int]:
        rng = np.random  # the worker's own generator (seeded per worker by both libraries)
        image = np.pad(self.images[i].astype(np.float32) / 255.0, 4)
        top, left = rng.randint(0, 9, size=2)
        image = image[top:top + 28, left:left + 28]
        if rng.random() < 0.5:
            image = image[:, ::-1]
        image = np.clip(image * (0.8 + 0.4 * rng.random()), 0.0, 1.0)
        for _ in range(8):  # the rest of a typical pipeline (jitter, blur, erasing ...) costs about as much again
            image = 0.5 * (image + np.roll(image, 1, axis=0))
        return ((image - 0.2860) / 0.3530)[None].astype(np.float32), i % 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import torch

    import glassgrad

    common.torch_threads(torch)
    print(common.describe_machine(torch))
    torch_set = type("TorchAugmented", (AugmentedImages, torch.utils.data.Dataset), {})(args.n)
    ours_set = type("GlassgradAugmented", (AugmentedImages, glassgrad.utils.data.Dataset), {})(args.n)

    def epoch(library, dataset, workers):
        loader = library.utils.data.DataLoader(dataset, batch_size=128, shuffle=True, num_workers=workers)
        return lambda: sum(len(y) for _, y in loader)

    contenders = {
        "glassgrad-0": epoch(glassgrad, ours_set, 0), f"glassgrad-{args.workers}": epoch(glassgrad, ours_set,
                                                                                        args.workers),
        "torch-0": epoch(torch, torch_set, 0), f"torch-{args.workers}": epoch(torch, torch_set, args.workers),
    }
    times = common.alternate(contenders, repeats=args.repeats)
    n = args.workers
    print(common.ratio_line(f"glassgrad, speed-up from {n} workers", times, "glassgrad-0", f"glassgrad-{n}"))
    print(common.ratio_line(f"torch, speed-up from {n} workers", times, "torch-0", f"torch-{n}"))
    print(common.ratio_line(f"{n} workers, glassgrad / torch", times, f"glassgrad-{n}", f"torch-{n}"))
    ratios = [a / b for a, b in zip(times[f"glassgrad-{n}"], times[f"torch-{n}"])]
    print(common.result_line(f"DataLoader epoch, {n} workers", ratios))


if __name__ == "__main__":
    main()
