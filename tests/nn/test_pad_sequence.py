"""nn.utils.rnn.pad_sequence against torch: shapes, both sides, batch_first, dtypes, gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from glassgrad.nn.utils.rnn import pad_sequence
from tests.helpers.oracle import compare_with_torch


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_matches_torch(batch_first, padding_side, rng, torch):
    arrays = [rng.standard_normal((length, 3)) for length in (2, 4, 1)]
    compare_with_torch(
        lambda *seqs: pad_sequence(seqs, batch_first=batch_first, padding_value=-1.5, padding_side=padding_side),
        lambda *seqs: torch.nn.utils.rnn.pad_sequence(seqs, batch_first=batch_first, padding_value=-1.5,
                                                      padding_side=padding_side),
        arrays, torch)


def test_pad_sequence_gradcheck(rng):
    seqs = [glassgrad.tensor(rng.standard_normal((n, 2)), requires_grad=True) for n in (3, 1)]
    assert glassgrad.gradcheck(lambda a, b: pad_sequence([a, b], batch_first=True), seqs)


def test_integer_sequences_and_the_module_path():
    padded = glassgrad.nn.utils.rnn.pad_sequence([glassgrad.tensor([1, 2]), glassgrad.tensor([3])])
    assert padded.dtype == glassgrad.long
    np.testing.assert_array_equal(padded.numpy(), [[1, 3], [2, 0]])  # (T, B)


def test_bad_input_names_the_op():
    with pytest.raises(RuntimeError, match="pad_sequence: received an empty list"):
        pad_sequence([])
    with pytest.raises(ValueError, match=r"pad_sequence: sequence 1 has shape \(2, 4\)"):
        pad_sequence([glassgrad.ones(2, 3), glassgrad.ones(2, 4)])
    with pytest.raises(ValueError, match="padding_side"):
        pad_sequence([glassgrad.ones(2)], padding_side="middle")
