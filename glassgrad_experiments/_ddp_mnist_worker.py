"""The training script of the ``ddp-mnist`` experiment, written as a PyTorch DDP script is written
(with ``import glassgrad as torch``): started by ``python -m glassgrad.distributed.run --nproc-per-node N``
(torchrun's variables), or on its own as one plain process when ``WORLD_SIZE`` is not set.

    python -m glassgrad.distributed.run --nproc-per-node 2 -m experiments._ddp_mnist_worker OUT.json [options]

Each process trains the MNIST CNN on its share of every global batch (``DistributedSampler``); rank 0
times each epoch, evaluates the test set, and writes the numbers and the final weights.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

import glassgrad as torch
import glassgrad.nn.functional as F
from glassgrad.models import mnist_cnn
from glassgrad.nn.parallel import DistributedDataParallel as DDP
from glassgrad.utils.data import DataLoader, TensorDataset
from glassgrad.utils.data.distributed import DistributedSampler
from glassgrad_experiments.common.data import load_images


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    for name, kind in (("dataset", str), ("data_dir", str), ("n_train", int), ("n_test", int), ("epochs", int),
                       ("batch_size", int), ("lr", float), ("seed", int), ("dtype", str)):
        parser.add_argument(f"--{name}", type=kind, required=True)
    args = parser.parse_args()
    distributed = "WORLD_SIZE" in os.environ
    if distributed:
        import glassgrad.distributed as dist

        dist.init_process_group("gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
    else:
        rank, world = 0, 1
    if args.batch_size % world:
        raise SystemExit(f"the global batch ({args.batch_size}) must split evenly over {world} processes")
    dtype = {"float32": torch.float32, "float64": torch.float64}[args.dtype]
    data = load_images(args.dataset, args.data_dir, False, args.n_train, args.n_test, args.seed)
    train_set = TensorDataset(torch.tensor(data.x_train, dtype=dtype), torch.tensor(data.y_train))
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(train_set, batch_size=args.batch_size // world, sampler=sampler)  # this process's share
    torch.manual_seed(args.seed)
    model = mnist_cnn(np.random.default_rng(args.seed)).to(dtype)
    if distributed:
        model = DDP(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    x_test, y_test = torch.tensor(data.x_test, dtype=dtype), torch.tensor(data.y_test)

    def save_weights(path: str) -> None:
        if rank == 0:
            np.savez(path, **{k.removeprefix("module."): v.array for k, v in model.state_dict().items()})


    def test_loss_and_accuracy() -> tuple[float, float]:
        with torch.no_grad():
            logits = model(x_test)
        return float(F.cross_entropy(logits, y_test)), float((logits.argmax(1) == y_test).float().mean())

    first_loss, first_accuracy = test_loss_and_accuracy()
    epoch_seconds = []
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        if distributed:
            dist.barrier()
        start, step = time.perf_counter(), 0
        for x, y in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(x), y).backward()
            optimizer.step()
            if epoch == 0 and step == 0:
                save_weights(args.out + ".step1.npz")
            step += 1
        if distributed:
            dist.barrier()
        epoch_seconds.append(time.perf_counter() - start)
    final_loss, accuracy = test_loss_and_accuracy()
    save_weights(args.out + ".npz")
    if rank == 0:
        with open(args.out, "w") as f:
            json.dump({"world_size": world, "epoch_seconds": epoch_seconds, "first_loss": first_loss,
                       "final_loss": final_loss, "first_accuracy": first_accuracy, "accuracy": accuracy}, f)
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
