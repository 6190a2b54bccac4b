"""Which index dtypes the index ops take, against torch: int64 and int32 for gather, the scatters,
index_select/index_add/index_reduce, embedding, embedding_bag and repeat_interleave (gather and the
scatters take any dtype for an empty index); int64 only for index_copy, index_fill, take,
take_along_dim, put and one_hot; int64 or uint8 for nll_loss/cross_entropy targets; int64, int32, a
uint8 or bool mask for t[index] and index_put (a 0-d tensor of any integer dtype; a 0-d uint8 one is a
mask). Another dtype raises torch's error type (glassgrad used to take every integer dtype)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

DTYPES = ["int64", "int32", "int16", "uint8", "int8", "float32"]


def _index(lib, dtype: str, rows: list) -> object:
    return lib.tensor(rows, dtype=getattr(lib, dtype))


CASES = {  # name: f(lib, index (2, 4), index (2,)) with the index in the dtype under test
    "gather": lambda lib, i, i1: lib.gather(lib.arange(12.0).reshape(3, 4), 0, i),
    "scatter": lambda lib, i, i1: lib.zeros(3, 4).scatter(0, i, lib.ones(2, 4)),
    "scatter a value": lambda lib, i, i1: lib.zeros(3, 4).scatter(0, i, 5.0),
    "scatter_add": lambda lib, i, i1: lib.zeros(3, 4).scatter_add(0, i, lib.ones(2, 4)),
    "scatter_reduce": lambda lib, i, i1: lib.zeros(3, 4).scatter_reduce(0, i, lib.ones(2, 4), "amax"),
    "scatter_": lambda lib, i, i1: lib.zeros(3, 4).scatter_(0, i, lib.ones(2, 4)),
    "gather, empty index": lambda lib, i, i1: lib.gather(lib.arange(12.0).reshape(3, 4), 0, i[:0]),  # any dtype
    "scatter_add, empty index": lambda lib, i, i1: lib.zeros(3, 4).scatter_add(0, i[:0], lib.ones(0, 4)),
    "index_select, empty index": lambda lib, i, i1: lib.index_select(lib.arange(12.0).reshape(3, 4), 1, i1[:0]),
    "index_select": lambda lib, i, i1: lib.index_select(lib.arange(12.0).reshape(3, 4), 1, i1),
    "index_add": lambda lib, i, i1: lib.zeros(3, 4).index_add(0, i1, lib.ones(2, 4)),
    "index_copy": lambda lib, i, i1: lib.zeros(3, 4).index_copy(0, i1, lib.ones(2, 4)),
    "index_fill": lambda lib, i, i1: lib.zeros(3, 4).index_fill(0, i1, 7.0),
    "index_reduce": lambda lib, i, i1: lib.ones(3, 4).index_reduce(0, i1, lib.full((2, 4), 2.0), "amax"),
    "take": lambda lib, i, i1: lib.take(lib.arange(12.0).reshape(3, 4), i1),
    "take_along_dim": lambda lib, i, i1: lib.take_along_dim(lib.arange(12.0).reshape(3, 4), i, 0),
    "put": lambda lib, i, i1: lib.zeros(3, 4).put(i1, lib.ones(2)),
    "embedding": lambda lib, i, i1: lib.nn.functional.embedding(i1, lib.arange(12.0).reshape(3, 4)),
    "embedding_bag": lambda lib, i, i1: lib.nn.functional.embedding_bag(i1, lib.arange(12.0).reshape(3, 4),
                                                                        lib.tensor([0], dtype=i1.dtype)),
    "nll_loss": lambda lib, i, i1: lib.nn.functional.nll_loss(-lib.arange(8.0).reshape(2, 4), i1),
    "cross_entropy": lambda lib, i, i1: lib.nn.functional.cross_entropy(lib.arange(8.0).reshape(2, 4), i1),
    "repeat_interleave": lambda lib, i, i1: lib.repeat_interleave(lib.arange(4.0).reshape(2, 2), i1, dim=0),
    "one_hot": lambda lib, i, i1: lib.nn.functional.one_hot(i1, 3),
    "t[index]": lambda lib, i, i1: lib.arange(12.0).reshape(3, 4)[i1],
    "t[0-d index]": lambda lib, i, i1: lib.arange(12.0).reshape(3, 4)[i1[0]],  # a 0-d uint8 one is a mask
    "t[0, 0-d index]": lambda lib, i, i1: lib.arange(12.0).reshape(3, 4)[0, i1[1]],
    "index_put": lambda lib, i, i1: lib.zeros(3, 4).index_put((i1,), lib.ones(4), accumulate=True),
}


def _outcome(lib, name: str, dtype: str):
    index = _index(lib, dtype, [[0, 1, 2, 0], [2, 0, 1, 1]])
    index1 = _index(lib, dtype, [2, 0])
    try:
        return np.asarray(CASES[name](lib, index, index1).numpy())
    except (RuntimeError, IndexError, TypeError, NotImplementedError) as err:
        return type(err)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", CASES)
def test_index_dtypes_taken_and_refused_as_torch(torch, name, dtype) -> None:
    ours, theirs = _outcome(gg, name, dtype), _outcome(torch, name, dtype)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), (ours, theirs)
    else:
        assert not isinstance(ours, type), ours
        np.testing.assert_array_equal(ours, theirs)
