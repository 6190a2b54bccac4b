"""DistributedDataParallel on 2 processes equals 1-process training on the global batch, step for step
(float64): an MLP, a CNN with BatchNorm (per-process batch statistics, rank 0's running statistics, as
torch), an LSTM; gradients bucketed into several buckets; no_sync; find_unused_parameters."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad.nn.functional as F
from tests.distributed import models
from tests.distributed.launch import launch, needs_mpi

pytestmark = needs_mpi


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp") / "states.npz"
    done = launch("ddp_equivalence.py", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return dict(np.load(out))


@pytest.mark.parametrize("kind", ["mlp", "cnn", "lstm"])
def test_same_weights_as_one_process_on_the_global_batch(job, kind):
    model = models.build(kind)
    start = models.state(model)
    models.train(model, kind, per_process_stats=2 if kind == "cnn" else 0)
    reference = models.state(model)
    assert job[f"{kind}/buckets"] > 1
    for name, value in reference.items():
        np.testing.assert_allclose(job[f"{kind}/{name}"], value, rtol=0, atol=1e-10, err_msg=f"{kind} {name}")
        if name.endswith("weight"):
            assert not np.allclose(value, start[name])  # it trained


@pytest.mark.parametrize("kind", ["mlp", "cnn"])  # the LSTM's first bucket holds one of the fused layer's biases
def test_buckets_start_during_backward(job, kind):
    """The first bucket's all-reduce started while other gradients were still to come (the overlap),
    and the buckets started in order, the last when every gradient was in."""
    ready = job[f"{kind}/ready_at_launch"]
    assert len(ready) == job[f"{kind}/buckets"]
    assert ready[0] < job[f"{kind}/parameters"] and ready[-1] == job[f"{kind}/parameters"]
    assert (np.diff(ready) >= 0).all()


def test_batchnorm_semantics_are_per_process():
    """The reference used for the CNN is not global-batch training: BatchNorm sees each process's batch."""
    per_process, global_batch = models.build("cnn"), models.build("cnn")
    models.train(per_process, "cnn", per_process_stats=2)
    models.train(global_batch, "cnn")
    assert not np.allclose(models.state(per_process)["0.weight"], models.state(global_batch)["0.weight"])


def test_no_sync_accumulates_then_averages(job):
    model = models.build("mlp")
    x, y = models.batches("mlp")[0]
    for rank in (0, 1):
        share = slice(rank * 4, rank * 4 + 4)
        F.cross_entropy(model(x[share][:2]), y[share][:2]).backward()
        F.cross_entropy(model(x[share][2:]), y[share][2:]).backward()
    for i, p in enumerate(model.parameters()):
        np.testing.assert_allclose(job[f"no_sync/grad{i}"], p.grad.array / 2, atol=1e-12)
    assert not np.allclose(job["no_sync/local0"], job["no_sync/grad0"])  # inside no_sync: local only


def test_find_unused_parameters(job):
    assert job["unused/never_is_none"]  # used by no process: its grad is left alone
    np.testing.assert_allclose(job["unused/odd"], np.full((2, 3), 2.0))  # (rank 1's 4 + rank 0's 0) / 2
    np.testing.assert_allclose(job["unused/used"], np.full((2, 3), 3.0))  # (2 + 4) / 2
    error = str(job["unused/error"])
    assert "Expected to have finished reduction" in error and "never.weight" in error
