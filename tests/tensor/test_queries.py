"""Attribute queries torch programs make on a tensor (``x.is_xpu``, ``x.layout``, ``x.stride()``,
``x.nbytes`` ...), answered as torch answers them for the same tensor."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg

# name -> how to make the tensor from a module (glassgrad or torch); views included
TENSORS = {
    "float32 matrix": lambda m: m.ones(2, 3),
    "float64 vector": lambda m: m.arange(5, dtype=m.float64),
    "int64": lambda m: m.arange(6).reshape(2, 3),
    "bool": lambda m: m.ones(4, dtype=m.bool),
    "uint8": lambda m: m.ones(3, dtype=m.uint8),
    "0-d": lambda m: m.tensor(2.5),
    "0-d reduction": lambda m: m.ones(2, 3).sum(),
    "transposed": lambda m: m.ones(2, 3).t(),
    "column slice": lambda m: m.arange(12.0).reshape(3, 4)[:, 1:3],
    "row": lambda m: m.arange(12.0).reshape(3, 4)[2],
    "expanded": lambda m: m.ones(3, 1).expand(3, 4),
    "empty": lambda m: m.zeros(0, 2),
    "requires grad": lambda m: m.ones(2, requires_grad=True),
}

PROPERTIES = ["is_cpu", "is_cuda", "is_mps", "is_meta", "is_xpu", "is_ipu", "is_xla", "is_vulkan", "is_maia",
              "is_mtia", "is_sparse", "is_sparse_csr", "is_quantized", "is_nested", "is_mkldnn", "is_leaf",
              "itemsize", "nbytes", "output_nr", "ndim"]
METHODS = ["is_complex", "is_floating_point", "is_conj", "is_neg", "is_inference", "is_signed", "is_pinned",
           "is_shared", "is_contiguous", "is_distributed", "element_size", "ndimension", "nelement", "numel",
           "dim", "storage_offset", "stride", "get_device", "sparse_dim", "dense_dim", "dim_order"]


def _answers(t) -> dict:
    answers = {name: getattr(t, name) for name in PROPERTIES}
    answers.update({name: getattr(t, name)() for name in METHODS})
    answers["layout"] = str(t.layout)
    answers["stride(-1)"] = t.stride(-1) if t.ndim else None
    answers["is_same_size(self)"] = t.is_same_size(t)
    return answers


@pytest.mark.parametrize("name", list(TENSORS))
def test_queries_answer_as_torch(torch, name: str) -> None:
    ours, theirs = _answers(TENSORS[name](gg)), _answers(TENSORS[name](torch))
    for query, expected in theirs.items():
        got = ours[query]
        assert got == (tuple(expected) if isinstance(expected, tuple | list) else expected), (query, got, expected)


def test_layout_prints_and_compares_as_torch(torch) -> None:
    assert gg.ones(2).layout == gg.strided
    assert gg.ones(2).layout != gg.sparse_coo
    assert repr(gg.strided) == repr(torch.strided) == str(gg.strided)


def test_data_ptr_moves_by_the_storage_offset() -> None:
    x = gg.arange(12.0).reshape(3, 4)
    row = x[1]
    assert row.data_ptr() - x.data_ptr() == row.storage_offset() * x.element_size() == 16
    assert x.is_set_to(x) and not x.is_set_to(row) and not x.is_set_to(x.clone())


def test_is_nonzero_takes_one_element_only(torch) -> None:
    for values in ([0.0], [3], [True], 0.0):
        assert gg.is_nonzero(gg.tensor(values)) == torch.is_nonzero(torch.tensor(values))
    with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
        gg.tensor([1.0, 2.0]).is_nonzero()
    with pytest.raises(RuntimeError, match="no values is ambiguous"):
        gg.ones(0).is_nonzero()


def test_function_forms_match_torch(torch) -> None:
    x = np.array([1.0, -2.0])
    for name in ["is_complex", "is_conj", "is_neg", "is_signed", "is_inference", "is_storage", "is_floating_point"]:
        assert getattr(gg, name)(gg.tensor(x)) == getattr(torch, name)(torch.tensor(x)), name
    assert gg.is_same_size(gg.ones(2, 3), gg.ones(3, 2)) == torch.is_same_size(torch.ones(2, 3), torch.ones(3, 2))


def test_sparse_only_questions_refuse_a_dense_tensor() -> None:
    with pytest.raises(RuntimeError, match="sparse coordinate tensor layout"):
        gg.ones(2).is_coalesced()


def test_pin_memory_is_a_no_op_on_cpu() -> None:
    x = gg.ones(3)
    assert x.pin_memory() is x and not x.is_pinned()


def test_factories_refuse_a_sparse_layout() -> None:
    assert gg.zeros(2, layout=gg.strided).layout == gg.strided
    with pytest.raises(NotImplementedError, match="dense"):
        gg.zeros(2, layout=gg.sparse_coo)
