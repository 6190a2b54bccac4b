"""The Tensor's torch-shaped surface: size, dim, dtype names, type(), to(), devices."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor


def test_size_dim_numel_and_shape() -> None:
    x = gg.zeros(2, 3, 4)
    assert x.size() == (2, 3, 4) and x.shape == (2, 3, 4) and isinstance(x.size(), gg.Size)
    assert x.size(0) == 2 and x.size(-1) == 4 and x.dim() == 3 and x.ndim == 3
    assert x.numel() == 24 and x.shape.numel() == 24 and x.nelement() == 24
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.size(3)
    scalar = gg.tensor(3.0)
    assert scalar.size() == () and scalar.dim() == 0 and scalar.numel() == 1


def test_dtype_names_are_numpy_dtypes() -> None:
    assert gg.float32 == np.float32 and gg.long == np.int64 and gg.int == np.int32
    assert gg.double is gg.float64 and gg.half == np.float16 and gg.bool == np.bool_
    assert gg.tensor([1, 2]).dtype == gg.long
    assert gg.tensor([1.0, 2]).dtype == gg.float32
    assert gg.tensor([True, False]).dtype == gg.bool


def test_type_strings_and_casts() -> None:
    x = gg.tensor([1.5, -2.5])
    assert x.type() == "torch.FloatTensor"
    assert x.long().type() == "torch.LongTensor" and x.long().tolist() == [1, -2]
    assert x.int().dtype == gg.int32 and x.bool().tolist() == [True, True]
    assert x.double().dtype == gg.float64 and x.half().dtype == gg.float16
    assert x.type(gg.float64).dtype == gg.float64
    assert x.type("torch.DoubleTensor").dtype == gg.float64
    assert x.to(gg.int64).dtype == gg.int64
    assert x.to("cpu") is x and x.cpu() is x
    assert x.to(gg.zeros(1, dtype=gg.float64)).dtype == gg.float64


def test_casts_carry_the_gradient() -> None:
    x = gg.tensor([1.0, 2.0], requires_grad=True)
    (x.double() * 3).sum().backward()
    assert x.grad.dtype == gg.float32 and x.grad.tolist() == [3.0, 3.0]


def test_devices() -> None:
    cpu = gg.device("cpu")
    assert gg.zeros(2).device == cpu and str(cpu) == "cpu" and cpu == "cpu"
    assert gg.device("cuda:1").index == 1 and gg.device("cuda", 0).type == "cuda"
    with pytest.raises(RuntimeError, match="device type"):
        gg.device("tpu")


def test_cuda_without_cupy_is_one_clear_error() -> None:
    from glassgrad.device import cupy_or_none

    if cupy_or_none() is not None:
        pytest.skip("a GPU is present")
    with pytest.raises(RuntimeError, match="needs CuPy and an NVIDIA GPU"):
        gg.zeros(2).to("cuda")


def test_item_tolist_len_iter_bool() -> None:
    x = gg.tensor([[1, 2], [3, 4]])
    assert x[1, 0].item() == 3 and x.tolist() == [[1, 2], [3, 4]] and len(x) == 2
    assert [row.tolist() for row in x] == [[1, 2], [3, 4]]
    assert bool(gg.tensor([1])) and int(gg.tensor(7)) == 7 and float(gg.tensor(0.5)) == 0.5
    assert [10, 20, 30][gg.tensor(1)] == 20  # __index__


def test_comparison_with_foreign_objects_defers_to_them() -> None:
    assert gg.tensor(7.0) == pytest.approx(7.0)
    assert gg.tensor([1.0, 2.0]).tolist() == pytest.approx([1.0, 2.0])


def test_repr_names_the_dtype_and_grad_fn() -> None:
    x = gg.tensor([1.0, 2.0], requires_grad=True)
    assert "requires_grad=True" in repr(x)
    assert "grad_fn=<MulBackward>" in repr(x * 2)
    assert "dtype=glassgrad.float64" in repr(gg.tensor(np.ones(2)))


def test_deepcopy_of_a_leaf_copies_the_array() -> None:
    import copy

    x = gg.tensor([1.0, 2.0], requires_grad=True)
    y = copy.deepcopy(x)
    y.data.add_(1)
    assert x.tolist() == [1.0, 2.0] and y.tolist() == [2.0, 3.0] and y.requires_grad
    with pytest.raises(RuntimeError, match="leaves"):
        copy.deepcopy(x * 2)


def test_requires_grad_assignment_and_detach_() -> None:
    x = Tensor(np.ones(2))
    x.requires_grad = True
    y = x * 2
    assert y.requires_grad and not y.is_leaf
    y.detach_()
    assert y.is_leaf and not y.requires_grad


def test_promotion_dimensioned_tensor_wins_within_a_category(torch) -> None:
    cases = [(np.ones(3, np.float32), np.float64(2.0)), (np.ones(3, np.int32), np.int64(2)),
             (np.ones(3, np.int64), np.float64(2.5)), (np.ones(3, np.float32), np.ones(3, np.float64))]
    for left, right in cases:
        ours = (Tensor(left) * Tensor(np.asarray(right))).dtype
        theirs = (torch.from_numpy(left) * torch.from_numpy(np.asarray(right))).numpy().dtype
        assert ours == theirs, (left.dtype, np.asarray(right).dtype)


def test_finfo_and_iinfo() -> None:
    assert gg.finfo(gg.float32).eps == np.finfo(np.float32).eps and gg.finfo().bits == 32
    assert gg.finfo(gg.float64).max == np.finfo(np.float64).max and gg.iinfo(gg.int32).max == 2**31 - 1
