"""Bad input gets a clear error that names the op and what came in; dtype
promotion follows torch's rules for Python numbers and mixed tensors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor, ops


def f64(*shape: int, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones(shape), requires_grad=requires_grad)


# ----- shape mismatches name the op and the shapes ------------------------------------------------
@pytest.mark.parametrize(
    "call, pattern",
    [
        (lambda: f64(2, 3) + f64(4), r"Add.*\(2, ?3\).*\(4,\)"),
        (lambda: f64(2, 3) * f64(3, 2), r"Mul.*\(2, ?3\).*\(3, ?2\)"),
        (lambda: ops.maximum(f64(2), f64(3)), r"Maximum.*\(2,\).*\(3,\)"),
        (lambda: ops.where(np.ones(4, dtype=bool), f64(2), f64(2)), r"Where.*\(2,\)"),
        (lambda: f64(2, 3) @ f64(4, 5), r"matmul.*\(2, 3\).*\(4, 5\)"),
        (lambda: f64(2, 3, 4) @ f64(5, 4, 2), r"MatMul.*\(2, 3, 4\).*\(5, 4, 2\)"),  # batch axes clash
        (lambda: f64(3) @ f64(4), r"matmul.*\(3,\).*\(4,\)"),
        (lambda: ops.matmul(f64(), f64(3)), r"matmul.*\(\).*\(3,\)"),
        (lambda: ops.linear(f64(2, 3), f64(4, 5)), r"linear.*\(2, 3\).*\(4, 5\)"),
        (lambda: ops.linear(f64(2, 3), f64(4, 3), f64(3)), r"linear.*bias.*\(3,\).*\(4,\)"),
        (lambda: ops.concatenate([f64(2, 3), f64(2, 4)], axis=0), r"cat.*\(2, 3\).*\(2, 4\)"),
        (lambda: ops.concatenate([f64(2, 3), f64(3)]), r"cat.*\(2, 3\).*\(3,\)"),
        (lambda: ops.stack([f64(2), f64(3)]), r"stack.*\(2,\).*\(3,\)"),
        (lambda: f64(2, 3).reshape(4), r"reshape.*\(2, 3\).*\(4,\)"),
        (lambda: f64(2, 3).reshape(-1, -1), r"reshape.*\(2, 3\)"),
        (lambda: f64(2, 3).expand(4, 3, 2), r"expand.*\(2, 3\).*\(4, 3, 2\)"),
        (lambda: f64(2, 3).permute(0, 0), r"permute.*\(2, 3\)"),
        (lambda: ops.pad(f64(2, 3), (1, 1, 1)), r"pad.*\(2, 3\)"),
        (lambda: ops.split(f64(5), [2, 2]), r"split.*\[2, 2\].*5"),
    ],
)
def test_shape_and_argument_errors_name_the_op(call, pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        call()


def test_reduction_errors_follow_torch() -> None:
    # torch's exception types: IndexError for a dim out of range, RuntimeError for max() of nothing;
    # var without degrees of freedom is NaN with a UserWarning (tests/ops/test_reductions_torch_api.py)
    with pytest.raises(IndexError, match=r"sum.*Dimension out of range.*\[-2, 1\].*2"):
        f64(2, 3).sum(axis=2)
    with pytest.raises(RuntimeError, match=r"max.*numel\(\) == 0.*\(0, 3\)"):
        f64(0, 3).max()


def test_bad_index_names_the_shape() -> None:
    with pytest.raises(IndexError, match=r"getitem.*\(2, 3\)"):
        f64(2, 3)[5]
    with pytest.raises(IndexError, match="integer or boolean"):
        f64(3)[np.array([0.5])]


def test_backward_gradient_of_the_wrong_shape() -> None:
    y = f64(2, 3, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"gradient has shape \(3,\), output has shape \(2, 3\)"):
        y.backward(np.ones(3))


# ----- dtypes ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_requires_grad_on_a_non_float_tensor_is_refused(dtype: type) -> None:
    # torch raises RuntimeError: "only Tensors of floating point ... dtype can require gradients"
    with pytest.raises(RuntimeError, match="floating"):
        Tensor(np.ones(3, dtype=dtype), requires_grad=True)
    with pytest.raises(RuntimeError, match="floating"):
        Tensor(np.ones(3, dtype=dtype)).requires_grad_()


@pytest.mark.parametrize(
    "data", [np.array([1, "a"], dtype=object), np.array(["a", "b"]), "text", [{"a": 1}]],
    ids=["object", "str-array", "str", "dicts"],  # (complex numbers make complex tensors: tests/ops/test_complex.py)
)
def test_unsupported_data_is_a_type_error(data) -> None:
    with pytest.raises(TypeError, match="unsupported dtype"):
        Tensor(data)


def test_gradcheck_refuses_float32() -> None:
    with pytest.raises(TypeError, match="float64"):
        gg.gradcheck(lambda x: x * 2, [Tensor(np.ones(2, dtype=np.float32), requires_grad=True)])


def test_where_needs_a_boolean_condition() -> None:
    with pytest.raises(TypeError, match="boolean"):
        ops.where(np.ones(2), f64(2), f64(2))


# ----- backward misuse ---------------------------------------------------------------------------
def test_backward_on_a_non_scalar_without_grad() -> None:
    y = f64(2, 3, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"scalar outputs.*\(2, 3\)"):
        y.backward()


def test_backward_on_a_tensor_computed_under_no_grad() -> None:
    x = f64(2, requires_grad=True)
    with gg.no_grad():
        y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="does not require grad.*no_grad"):
        y.backward()


def test_backward_on_a_constant() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        f64(1).sum().backward()


def test_item_assignment_on_a_leaf_that_requires_grad_is_refused() -> None:
    x = f64(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad.*in-place"):
        x[0] = 2.0
    with gg.no_grad():
        x[0] = 2.0  # allowed outside autograd, as in torch
    assert x[0].item() == 2.0


def test_requires_grad_false_on_a_non_leaf() -> None:
    y = f64(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="non-leaf.*detach"):
        y.requires_grad_(False)


def test_conversions_of_tensors_with_many_elements() -> None:
    with pytest.raises(RuntimeError, match=r"3 elements cannot be converted to Scalar.*\(3,\)"):
        f64(3).item()
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(f64(3))
    with pytest.raises(TypeError, match="0-d"):
        len(f64())


# ----- promotion (torch's rules) ------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: Tensor(np.ones(2, np.float32)) + 1.5, np.float32),  # a Python float does not upcast
        (lambda: 1.5 * Tensor(np.ones(2, np.float32)), np.float32),
        (lambda: Tensor(np.ones(2, np.float32)) / 3, np.float32),  # true division of float stays float
        (lambda: Tensor(np.ones(2, np.float32)) ** 2, np.float32),
        (lambda: 2.0 ** Tensor(np.ones(2, np.float32)), np.float32),
        (lambda: Tensor(np.ones(2, np.float64)) + 1.5, np.float64),
        (lambda: Tensor(np.ones(2, np.int64)) + 2, np.int64),  # int stays int with a Python int
        (lambda: Tensor(np.ones(2, np.int32)) * 2, np.int32),
        (lambda: Tensor(np.ones(2, np.int64)) + 2.5, np.float32),  # int + Python float: default float
        (lambda: Tensor(np.ones(2, np.int64)) + Tensor(np.ones(2, np.float32)), np.float32),
        (lambda: Tensor(np.ones(2, np.float64)) * Tensor(np.ones(2, np.int64)), np.float64),
        (lambda: Tensor(np.ones(2, np.float32)) + Tensor(np.ones(2, np.float64)), np.float64),
        (lambda: Tensor(np.ones(2, bool)) * 0.5, np.float32),
        (lambda: Tensor([1.0, 2.0]), np.float32),  # Python floats: the default dtype
        (lambda: Tensor([1, 2]), np.float32),  # torch's legacy constructor: Python ints too
        (lambda: gg.tensor([1, 2]), np.int64),  # the factory infers int64
    ],
)
def test_promotion_rules(make, expected: type) -> None:
    assert make().dtype == np.dtype(expected)


def test_promotion_matches_torch(torch) -> None:
    for ours, theirs in [
        (Tensor(np.ones(2, np.float32)) + 1.5, torch.ones(2) + 1.5),
        (Tensor(np.ones(2, np.int64)) + 2.5, torch.ones(2, dtype=torch.int64) + 2.5),
        (Tensor(np.ones(2, np.int64)) + Tensor(np.ones(2, np.float32)),
         torch.ones(2, dtype=torch.int64) + torch.ones(2)),
    ]:
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")


def test_int_operand_gets_no_gradient_and_float_keeps_its_dtype() -> None:
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    k = Tensor(np.array([1, 2, 3]))
    y = x * k
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32 and k.grad is None
    np.testing.assert_allclose(x.grad, [1.0, 2.0, 3.0])
