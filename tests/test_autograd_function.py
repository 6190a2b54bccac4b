"""torch.autograd.Function over Tensors (glassgrad/autograd/function.py): the same user classes
run on glassgrad and on torch, compared value for value and gradient for gradient."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad

once_differentiable = glassgrad.autograd.function.once_differentiable


def make_functions(lib):
    """Custom Functions written once, for either library (``lib`` is glassgrad or torch)."""

    class Cube(lib.autograd.Function):
        """y = x^3;  dy/dx = 3 x^2"""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    class ScaledMul(lib.autograd.Function):
        """y = scale * a * b with a non-tensor argument; d a = scale b dy, d b = scale a dy"""

        @staticmethod
        def forward(ctx, a, scale, b):
            ctx.save_for_backward(a, b)
            ctx.scale = scale
            return a * b * scale

        @staticmethod
        def backward(ctx, grad_output):
            a, b = ctx.saved_tensors
            grad_a = grad_output * b * ctx.scale if ctx.needs_input_grad[0] else None
            grad_b = grad_output * a * ctx.scale if ctx.needs_input_grad[2] else None
            return grad_a, None, grad_b

    class SumAndMax(lib.autograd.Function):
        """Two differentiable outputs and one non-differentiable (the argmax)."""

        @staticmethod
        def forward(ctx, x):
            values, indices = x.max(dim=1)
            total = (x * x).sum(dim=1)
            ctx.mark_non_differentiable(indices)
            ctx.save_for_backward(x, indices)
            return total, values, indices

        @staticmethod
        def backward(ctx, grad_total, grad_values, grad_indices):
            x, indices = ctx.saved_tensors
            grad = 2 * x * grad_total[:, None]
            one_hot = lib.zeros_like(x)
            one_hot[lib.arange(x.shape[0]), indices] = 1.0
            return grad + one_hot * grad_values[:, None]

    class Square(lib.autograd.Function):
        """torch 2 style: forward without ctx, setup_context separately; y = x^2, dx = 2 x dy"""

        @staticmethod
        def forward(x):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        @once_differentiable
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_output

    return Cube, ScaledMul, SumAndMax, Square


GG = make_functions(glassgrad)


@pytest.mark.torch_live
def test_single_output_matches_torch(rng, torch):
    from tests.helpers.oracle import compare_with_torch

    th = make_functions(torch)
    compare_with_torch(lambda x: GG[0].apply(x), lambda x: th[0].apply(x), [rng.standard_normal((3, 4))], torch)
    compare_with_torch(lambda x: GG[3].apply(x) + x, lambda x: th[3].apply(x) + x,
                       [rng.standard_normal((2, 3))], torch)


@pytest.mark.torch_live
def test_non_tensor_argument_and_needs_input_grad_match_torch(rng, torch):
    from tests.helpers.oracle import compare_with_torch

    th = make_functions(torch)
    arrays = [rng.standard_normal((3, 1)), rng.standard_normal((1, 4))]
    compare_with_torch(lambda a, b: GG[1].apply(a, 2.5, b), lambda a, b: th[1].apply(a, 2.5, b), arrays, torch)


@pytest.mark.torch_live
def test_several_outputs_and_non_differentiable_output_match_torch(rng, torch):
    from tests.helpers.oracle import compare_with_torch

    th = make_functions(torch)
    compare_with_torch(lambda x: GG[2].apply(x)[:2], lambda x: th[2].apply(x)[:2],
                       [rng.standard_normal((3, 5))], torch)
    total, values, indices = GG[2].apply(glassgrad.tensor(rng.standard_normal((3, 5)), requires_grad=True))
    assert total.requires_grad and values.requires_grad and not indices.requires_grad
    # only one output used: the other gets zeros, as torch's materialised gradients
    x = glassgrad.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    GG[2].apply(x)[1].sum().backward()
    assert np.count_nonzero(x.grad.numpy()) == 2


def test_gradcheck_float64(rng):
    x = rng.standard_normal((2, 3))
    assert glassgrad.gradcheck(lambda t: GG[0].apply(t), [x])
    assert glassgrad.gradcheck(lambda a, b: GG[1].apply(a, 0.5, b), [x, rng.standard_normal((2, 3))])
    assert glassgrad.gradcheck(lambda t: GG[2].apply(t)[0] * 2 + GG[2].apply(t)[1], [x])
    assert glassgrad.gradcheck(lambda t: GG[3].apply(t), [x])


def test_node_name_grad_mode_and_module_forms():
    x = glassgrad.tensor([1.0, 2.0], requires_grad=True)
    y = GG[0].apply(x)
    assert y.grad_fn.name() == "CubeBackward"
    with glassgrad.no_grad():
        assert not GG[0].apply(x).requires_grad
    assert not GG[0].apply(glassgrad.tensor([1.0])).requires_grad
    assert glassgrad.autograd.function.FunctionCtx is glassgrad.autograd.FunctionCtx
    assert glassgrad.autograd.grad(GG[0].apply(x).sum(), x)[0].tolist() == [3.0, 12.0]


def test_saved_input_edited_in_place_is_caught():
    x = glassgrad.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = GG[0].apply(h)
    with glassgrad.no_grad():
        h.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_bad_backward_results_give_clear_errors():
    class TooFew(glassgrad.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad

    class WrongShape(glassgrad.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a.sum()

        @staticmethod
        def backward(ctx, grad):
            return glassgrad.ones(5)

    class ReturnsArray(glassgrad.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a.numpy()

    a = glassgrad.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"TooFewBackward returned an incorrect number of gradients \(expected 2"):
        TooFew.apply(a, a).sum().backward()
    with pytest.raises(RuntimeError, match="WrongShapeBackward returned an invalid gradient at index 0"):
        WrongShape.apply(a).backward()
    with pytest.raises(TypeError, match="ReturnsArray.forward must return a Tensor"):
        ReturnsArray.apply(a)
    with pytest.raises(TypeError, match="positional arguments only"):
        GG[0].apply(x=a)
