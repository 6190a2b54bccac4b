"""``Size`` prints, slices and combines as torch's ``torch.Size`` does, and stays a plain tuple for
comparison, hashing and unpacking."""

from __future__ import annotations

import pickle

import glassgrad as gg

# torch's printing of each shape (torch 2.13: print(torch.zeros(shape).shape)); the torch oracle
# hands shapes over as plain tuples, so torch's own repr cannot be replayed and is written out here
PRINTED = {(3,): "torch.Size([3])", (2, 3): "torch.Size([2, 3])", (): "torch.Size([])",
           (4, 0, 1): "torch.Size([4, 0, 1])"}


def test_size_prints_as_torch() -> None:
    for shape, printed in PRINTED.items():
        size = gg.zeros(shape).shape
        assert repr(size) == str(size) == f"{size}" == "%s" % (size,) == printed  # noqa: UP031
    assert repr(gg.Size([3])) == "torch.Size([3])"


def test_slices_sums_and_repeats_are_sizes_as_in_torch(torch) -> None:
    ours, theirs = gg.zeros(2, 3, 4).size(), torch.zeros(2, 3, 4).size()
    for make in (lambda s: s[1:], lambda s: s[::-1], lambda s: s + (5,), lambda s: (5,) + s, lambda s: s * 2):
        assert isinstance(make(ours), gg.Size)
        assert make(ours) == tuple(make(theirs))
        assert repr(make(ours)) == f"torch.Size([{', '.join(map(str, make(theirs)))}])"
    assert ours[0] == theirs[0] and ours[-1] == theirs[-1]


def test_size_is_still_the_plain_tuple() -> None:
    shape = gg.zeros(2, 3).shape
    assert shape == (2, 3) and hash(shape) == hash((2, 3)) and tuple(shape) == (2, 3)
    rows, cols = shape
    assert (rows, cols) == (2, 3) and shape.numel() == 6
    assert pickle.loads(pickle.dumps(shape)) == shape
    assert isinstance(pickle.loads(pickle.dumps(shape)), gg.Size)
