"""A torch-style DDP script (glassgrad_experiments/_ddp_mnist_worker.py: init_process_group, DistributedSampler,
DataLoader, DDP, run by the launcher) gives the same final weights on 2 processes as on 1 process with the
same global batch (float64, 16 steps of SGD with momentum)."""

from __future__ import annotations

import dataclasses

from glassgrad_experiments import ddp_mnist
from tests.distributed.launch import needs_mpi


@needs_mpi
def test_two_processes_end_with_the_weights_of_one(tmp_path):
    cfg = dataclasses.replace(ddp_mnist.smoke(), dtype="float64", n_train=256, batch_size=16, n_test=32)
    results = ddp_mnist.run(cfg, tmp_path)
    assert results["nproc"] == 2
    assert results["max_weight_difference"] < 1e-10
    assert results["final_loss"] < results["first_loss"]  # it trained
    assert abs(results["accuracy"] - results["accuracy_n"]) < 1e-12
