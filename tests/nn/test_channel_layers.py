"""ChannelShuffle, LocalResponseNorm, Unfold and Fold as modules against torch (values, gradients, reprs),
and pdist's, channel_shuffle's and fold's errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch


@pytest.mark.parametrize("name,args,shape", [
    ("ChannelShuffle", (2,), (2, 6, 3, 2)), ("ChannelShuffle", (3,), (1, 3, 4)),
    ("LocalResponseNorm", (3,), (2, 5, 3, 3)), ("LocalResponseNorm", (2, 0.5, 1.0, 2.0), (2, 4, 5)),
    ("LocalResponseNorm", (4,), (1, 6, 2, 2, 2)), ("Unfold", ((2, 3),), (2, 3, 5, 6)),
    ("Unfold", (3, 2, 1, 2), (1, 2, 6, 6)), ("Fold", ((5, 6), (2, 3)), (2, 12, 16)),
    ("Fold", ((4, 5), 2, 1, 1, (2, 1)), (8, 18)),
], ids=str)
def test_module_matches_torch(name, args, shape, torch, rng):
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    x = rng.normal(size=shape)
    compare_with_torch(ours, theirs, [x], torch)
    compare_with_torch(ours, theirs, [x], torch, dtype=np.float32)


def test_pdist_of_one_row_is_empty_and_equal_rows_get_no_gradient(torch):
    assert F.pdist(gg.ones(1, 3)).shape == (0,)
    x = gg.zeros(3, 2, requires_grad=True)
    F.pdist(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((3, 2)))
    expected = torch.pdist(torch.tensor(np.arange(12.0).reshape(4, 3)), p=0)
    np.testing.assert_array_equal(gg.pdist(gg.tensor(np.arange(12.0).reshape(4, 3)), p=0).numpy(),
                                  expected.numpy())


def test_bad_inputs_raise():
    with pytest.raises(RuntimeError, match="2D"):
        F.pdist(gg.ones(3))
    with pytest.raises(RuntimeError, match="divisible"):
        F.channel_shuffle(gg.ones(1, 4, 2), 3)
    with pytest.raises(ValueError, match="3D or higher"):
        F.local_response_norm(gg.ones(2, 3), 2)
    with pytest.raises(RuntimeError, match="divisible"):
        F.fold(gg.ones(1, 7, 4), (3, 3), 2)
    with pytest.raises(RuntimeError, match="sliding blocks"):
        F.fold(gg.ones(1, 8, 3), (3, 3), 2)


def test_fold_of_unfold_counts_the_blocks_covering_each_pixel(torch, rng):
    x = rng.normal(size=(1, 2, 5, 5))
    ours = F.fold(F.unfold(gg.tensor(x), 3, padding=1), (5, 5), 3, padding=1)
    theirs = torch.nn.functional.fold(torch.nn.functional.unfold(torch.tensor(x), 3, padding=1), (5, 5), 3, padding=1)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
