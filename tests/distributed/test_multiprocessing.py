"""glassgrad.multiprocessing: tensors in shared memory, Hogwild training that moves the parent's model,
shared tensors passed by reference through Pool / spawn, and spawn's error reporting."""

from __future__ import annotations

import os

import numpy as np
import pytest

import glassgrad as gg
import glassgrad.multiprocessing as mp
import glassgrad.nn as nn
import glassgrad.nn.functional as F
from glassgrad.multiprocessing.shared_tensor import PREFIX

fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs the fork start method")


def test_share_memory_keeps_values_and_reports_sharing():
    t = gg.arange(6, dtype=gg.float32).reshape(2, 3)
    assert not t.is_shared()
    assert t.share_memory_() is t and t.is_shared()
    np.testing.assert_array_equal(t.array, np.arange(6, dtype=np.float32).reshape(2, 3))
    t.add_(1)  # in place: still shared
    assert t.is_shared() and t.array[1, 2] == 6
    t.array = t.array + 1  # a new array is not shared
    assert not t.is_shared()


def test_module_share_memory_and_block_removed_when_collected():
    import gc

    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    assert model.share_memory() is model
    assert all(p.is_shared() for p in model.parameters()) and all(b.is_shared() for b in model.buffers())
    path = model[0].weight.__dict__["_shared_block"].path
    assert os.path.basename(path).startswith(PREFIX) and os.path.exists(path)
    del model
    gc.collect()
    assert not os.path.exists(path)


def _train_hogwild(model: nn.Module, seed: int) -> None:
    rng = np.random.default_rng(seed)
    optimizer = gg.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(30):
        x = rng.normal(size=(16, 2))
        y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
        optimizer.zero_grad()
        F.cross_entropy(model(gg.tensor(x, dtype=gg.float32)), gg.tensor(y)).backward()
        optimizer.step()


@fork
def test_hogwild_children_train_the_parents_model():
    gg.manual_seed(0)
    model = nn.Linear(2, 2)
    model.share_memory()
    before = model.weight.array.copy()
    context = mp.get_context("fork")
    workers = [context.Process(target=_train_hogwild, args=(model, seed)) for seed in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert [w.exitcode for w in workers] == [0, 0]
    assert not np.allclose(model.weight.array, before)  # the parent sees the children's steps
    x = np.random.default_rng(9).normal(size=(200, 2))
    predicted = model(gg.tensor(x, dtype=gg.float32)).argmax(1).array
    assert (predicted == (x[:, 0] + x[:, 1] > 0)).mean() > 0.9


def _write_row(args):
    tensor, row = args
    tensor.array[row] = row + 1  # the pool's worker unpickled it onto the same shared block
    return tensor.is_shared()


@fork
def test_pool_passes_shared_tensors_by_reference():
    shared = gg.zeros(3, 2).share_memory_()
    with mp.get_context("fork").Pool(2) as pool:
        assert pool.map(_write_row, [(shared, r) for r in range(3)]) == [True, True, True]
    np.testing.assert_array_equal(shared.array, [[1, 1], [2, 2], [3, 3]])
    plain = gg.zeros(2)
    with mp.get_context("fork").Pool(1) as pool:
        pool.map(_write_row, [(plain, 0)])
    np.testing.assert_array_equal(plain.array, [0, 0])  # not shared: the worker edited a copy


def _fill(index: int, tensor: gg.Tensor, parameter: nn.Parameter) -> None:
    assert isinstance(parameter, nn.Parameter) and parameter.requires_grad
    tensor.array[index] = index + 10
    parameter.data.array[index] = -1.0


def test_spawn_runs_each_index_on_shared_tensors():
    tensor = gg.zeros(2).share_memory_()
    parameter = nn.Parameter(gg.ones(2)).share_memory_()
    mp.spawn(_fill, args=(tensor, parameter), nprocs=2)  # fresh interpreters: the tensors travel pickled
    np.testing.assert_array_equal(tensor.array, [10, 11])
    np.testing.assert_array_equal(parameter.array, [-1, -1])


def _fail_at_one(index: int) -> None:
    if index == 1:
        raise ValueError("worker one is unhappy")


def _exit_at_zero(index: int) -> None:
    if index == 0:
        os._exit(7)


@fork
def test_spawn_reports_the_failed_process():
    with pytest.raises(mp.ProcessRaisedException, match="(?s)Process 1 terminated.*worker one is unhappy"):
        mp.spawn(_fail_at_one, nprocs=2, start_method="fork")
    with pytest.raises(mp.ProcessExitedException, match="process 0 terminated with exit code 7"):
        mp.spawn(_exit_at_zero, nprocs=2, start_method="fork")
    context = mp.spawn(_fail_at_one, nprocs=1, join=False, start_method="fork")
    assert context.join() is True and len(context.pids()) == 1
