"""DataLoader(num_workers > 0): worker processes, in order, seeded, failing loudly, leaving nothing behind."""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import numpy as np
import pytest

import glassgrad
from glassgrad.utils.data import DataLoader, Dataset, IterableDataset, get_worker_info
from glassgrad.utils.data.shared_batch import BLOCK_PREFIX


class Squares(Dataset):
    """Sample i: (a (3, 8, 8) float32 image filled with i (large enough for shared memory), i**2)."""

    def __init__(self, n: int = 20) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return np.full((3, 8, 8), float(i), np.float32), i * i


class WhoReads(Dataset):
    """Sample i: (i, the id of the worker that read it, a draw from each random generator)."""

    def __len__(self) -> int:
        return 12

    def __getitem__(self, i: int):
        info = get_worker_info()
        return (i, -1 if info is None else info.id, random.random(), float(np.random.rand()),
                float(glassgrad.rand(1).item()))


class Failing(Dataset):
    def __len__(self) -> int:
        return 8

    def __getitem__(self, i: int):
        if i == 5:
            raise KeyError(f"sample {i} is broken")
        return np.float32(i)


class Slow(Dataset):
    def __len__(self) -> int:
        return 4

    def __getitem__(self, i: int):
        time.sleep(3)
        return np.float32(i)


class Dies(Dataset):
    def __len__(self) -> int:
        return 8

    def __getitem__(self, i: int):
        if i == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return np.float32(i)


class Stream(IterableDataset):
    """0..n-1, each worker taking every num_workers-th item (torch's sharding recipe)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))


class Uneven(IterableDataset):
    """Worker 0 yields 5 items, worker 1 only 2."""

    def __iter__(self):
        info = get_worker_info()
        return iter(range(info.id * 100, info.id * 100 + (5 if info.id == 0 else 2)))


_OTHERS: set[int] = set()  # children that other tests' loaders may still hold when this module starts


@pytest.fixture(autouse=True)
def _note_other_children():
    gc.collect()
    _OTHERS.update(p.pid for p in multiprocessing.active_children())


def _no_workers_left() -> bool:
    """No child process of this test's loaders is alive (within 5 s)."""
    for _ in range(50):
        if not {p.pid for p in multiprocessing.active_children()} - _OTHERS:
            return True
        time.sleep(0.1)
    return False


def _shared_blocks() -> set[str]:
    shm = Path("/dev/shm")
    return {p.name for p in shm.glob(f"{BLOCK_PREFIX}*")} if shm.is_dir() else set()


def _batches(loader):
    return [[np.asarray(part.array if isinstance(part, glassgrad.Tensor) else part) for part in batch]
            for batch in loader]


def test_same_batches_in_the_same_order_as_one_process():
    blocks_before = _shared_blocks()
    for shuffle in (False, True):
        one = _batches(DataLoader(Squares(), batch_size=4, shuffle=shuffle, generator=np.random.default_rng(7)))
        two = _batches(DataLoader(Squares(), batch_size=4, shuffle=shuffle, num_workers=2,
                                  generator=np.random.default_rng(7)))
        assert len(one) == len(two) == 5
        for a, b in zip(one, two):
            assert all(np.array_equal(x, y) and x.dtype == y.dtype for x, y in zip(a, b))
    assert _no_workers_left()
    assert _shared_blocks() <= blocks_before  # every block the workers made was removed


def test_batching_off_custom_collate_and_raw_arrays():
    loader = DataLoader(Squares(6), batch_size=None, num_workers=2)
    assert [int(y) for _, y in loader] == [i * i for i in range(6)]
    loader = DataLoader(Squares(6), batch_size=3, num_workers=2, collate_fn=lambda samples: [y for _, y in samples])
    assert list(loader) == [[0, 1, 4], [9, 16, 25]]
    arrays = list(DataLoader(Squares(6), batch_size=3, num_workers=2, as_tensors=False))
    assert isinstance(arrays[0][0], np.ndarray) and arrays[1][0].shape == (3, 3, 8, 8)


def test_workers_read_in_parallel_with_their_own_info_and_seeds():
    def epoch(seed):
        loader = DataLoader(WhoReads(), batch_size=2, num_workers=2, generator=np.random.default_rng(seed),
                            worker_init_fn=_check_info)
        return [row for batch in loader for row in zip(*[np.asarray(part.array).tolist() for part in batch])]

    rows = epoch(1)
    assert [r[0] for r in rows] == list(range(12))
    assert [r[1] for r in rows] == [0, 0, 1, 1] * 3  # batch t goes to worker t mod 2
    worker0 = [r[2:] for r in rows if r[1] == 0]
    worker1 = [r[2:] for r in rows if r[1] == 1]
    assert worker0 != worker1  # Python's, NumPy's and glassgrad's generators differ across workers
    assert epoch(1) == rows  # and repeat with the same loader generator
    assert epoch(2) != rows
    assert get_worker_info() is None


def _check_info(worker_id):
    info = get_worker_info()
    assert info is not None and info.id == worker_id and info.num_workers == 2
    assert isinstance(info.dataset, WhoReads) and isinstance(info.seed, int)


def test_iterable_dataset_shards_and_interleaves_as_torch():
    # torch 2.13 gives these (worker t mod N makes batch t; a worker that runs dry drops out)
    assert [b.tolist() for b in DataLoader(Stream(5), batch_size=2, num_workers=2)] == [[0, 2], [1, 3], [4]]
    assert [b.tolist() for b in DataLoader(Uneven(), batch_size=2, num_workers=2)] == [[0, 1], [100, 101], [2, 3],
                                                                                         [4]]
    assert [b.tolist() for b in DataLoader(Uneven(), batch_size=2, num_workers=2, drop_last=True)] == [
        [0, 1], [100, 101], [2, 3]]


def test_worker_exception_is_raised_in_the_main_process_with_worker_id_and_traceback():
    loader = DataLoader(Failing(), batch_size=2, num_workers=2)
    with pytest.raises(KeyError, match=r"(?s)Caught KeyError in DataLoader worker process 0.*sample 5 is broken"):
        list(loader)
    assert _no_workers_left()


def test_worker_init_fn_failure_is_raised():
    def broken(worker_id):
        raise ValueError(f"init of worker {worker_id} failed")

    with pytest.raises(ValueError, match="init of worker 0 failed"):
        list(DataLoader(Squares(4), batch_size=2, num_workers=2, worker_init_fn=broken))
    assert _no_workers_left()


def test_break_and_garbage_collection_stop_the_workers():
    loader = DataLoader(Squares(40), batch_size=2, num_workers=2)
    for i, _ in enumerate(loader):
        if i == 1:
            break
    gc.collect()
    assert _no_workers_left()
    iterator = iter(loader)
    next(iterator)
    del iterator
    gc.collect()
    assert _no_workers_left()


def test_persistent_workers_keep_their_processes_across_epochs():
    loader = DataLoader(Squares(8), batch_size=2, num_workers=2, persistent_workers=True)
    first = [int(b[1][0]) for b in loader]
    pids = sorted(p.pid for p in multiprocessing.active_children() if p.pid not in _OTHERS)
    second = [int(b[1][0]) for b in loader]
    assert first == second == [0, 4, 16, 36]
    assert sorted(p.pid for p in multiprocessing.active_children() if p.pid not in _OTHERS) == pids
    assert len(pids) == 2
    for i, _ in enumerate(loader):  # an epoch left early, then a full one
        if i == 0:
            break
    assert [int(b[1][0]) for b in loader] == [0, 4, 16, 36]
    stream = DataLoader(Stream(5), batch_size=2, num_workers=2, persistent_workers=True)
    assert [b.tolist() for b in stream] == [b.tolist() for b in stream] == [[0, 2], [1, 3], [4]]
    del loader, stream
    gc.collect()
    assert _no_workers_left()


def test_timeout_and_a_dead_worker_are_errors_not_hangs():
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.5 seconds"):
        list(DataLoader(Slow(), batch_size=1, num_workers=1, timeout=0.5))
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly"):
        list(DataLoader(Dies(), batch_size=1, num_workers=2))
    assert _no_workers_left()


def test_spawn_context_and_bad_contexts():
    loader = DataLoader(Squares(4), batch_size=2, num_workers=1, multiprocessing_context="spawn")
    assert [b[1].tolist() for b in loader] == [[0, 1], [4, 9]]
    with pytest.raises(ValueError, match="multiprocessing_context"):
        DataLoader(Squares(4), num_workers=1, multiprocessing_context="no-such-method")
    with pytest.raises(TypeError, match="multiprocessing_context"):
        DataLoader(Squares(4), num_workers=1, multiprocessing_context=3)
    with pytest.raises(ValueError, match=r"multi-process loading \(num_workers > 0\)"):
        DataLoader(Squares(4), multiprocessing_context="spawn")


def test_large_arrays_travel_by_shared_memory_small_ones_inline():
    from glassgrad.utils.data.shared_batch import InlineTensor, SharedArray, pack, unpack

    big = glassgrad.tensor(np.arange(4096, dtype=np.float32).reshape(64, 64))
    small = np.arange(3, dtype=np.int64)
    message = pack({"x": big, "pair": (small, "label", 7)})
    assert isinstance(message["x"], SharedArray) and message["x"].name.startswith(BLOCK_PREFIX)
    assert message["x"].name in _shared_blocks()
    assert isinstance(message["pair"][0], np.ndarray) and message["pair"][1:] == ("label", 7)
    batch = unpack(message)
    assert message["x"].name not in _shared_blocks()  # copied out and removed
    assert isinstance(batch["x"], glassgrad.Tensor) and np.array_equal(batch["x"].array, big.array)
    assert np.array_equal(batch["pair"][0], small)
    assert isinstance(pack(glassgrad.tensor([1.0, 2.0])), InlineTensor)


_KILLED_MAIN = """
import multiprocessing, sys, time
import numpy as np
from glassgrad.utils.data import DataLoader, Dataset

class Images(Dataset):
    def __len__(self):
        return 200

    def __getitem__(self, i):
        return np.full((3, 32, 32), float(i), np.float32)  # 12 KB: each batch travels by shared memory

for i, _ in enumerate(DataLoader(Images(), batch_size=4, num_workers=2)):
    if i == 2:  # the workers have answered the next tasks: their blocks wait in the pipe, unread
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        time.sleep(120)
"""


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="lists the shared blocks in /dev/shm")
def test_a_main_process_killed_mid_epoch_leaves_no_shared_blocks(tmp_path):
    """Its workers notice it is gone and remove the blocks of the batches it never read (before, each such
    kill left prefetch_factor * num_workers blocks: 46 of one worker were found in /dev/shm)."""
    import subprocess
    import sys

    script = tmp_path / "killed_main.py"
    script.write_text(_KILLED_MAIN)
    root = Path(__file__).parents[2]
    main = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root), "OMP_NUM_THREADS": "1"})
    workers = [int(pid) for pid in main.stdout.readline().split()]
    main.kill()
    main.wait()
    main.stdout.close()
    assert len(workers) == 2
    for _ in range(100):  # the workers see it within a second (they poll their task queue)
        if not any(Path(f"/proc/{pid}").exists() for pid in workers):
            break
        time.sleep(0.1)
    assert [name for name in _shared_blocks() if int(name[len(BLOCK_PREFIX):].split("_")[0]) in workers] == []


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="lists the shared blocks in /dev/shm")
def test_a_new_loader_removes_the_blocks_of_processes_that_are_gone():
    """Blocks left when a main process and its workers were all killed at once: the next loader removes
    those whose writer no longer exists, and no other."""
    import subprocess
    import sys

    from glassgrad.utils.data.shared_batch import pack, unpack

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = Path("/dev/shm") / f"{BLOCK_PREFIX}{int(gone.stdout)}_test0orphan"
    orphan.write_bytes(bytes(64))
    mine = pack(np.zeros(4096, np.float32))  # a block of this (live) process
    try:
        assert [b[1].tolist() for b in DataLoader(Squares(4), batch_size=2, num_workers=1)] == [[0, 1], [4, 9]]
        assert not orphan.exists()
        assert mine.name in _shared_blocks()
    finally:
        orphan.unlink(missing_ok=True)
        unpack(mine)
