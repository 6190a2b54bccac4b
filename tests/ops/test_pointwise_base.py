"""The shared base of the one-input pointwise ops (glassgrad/ops/pointwise_base.py)."""

from typing import Any

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import backend
from glassgrad.ops.pointwise_base import UnaryPointwise, quiet_float_errors
from glassgrad.ops.pointwise_math import Rsqrt
from glassgrad.ops.pointwise_trig import Sin, Tan


class Cube(UnaryPointwise):
    """z = a^3;  dz/da = 3 a^2 (a subclass written as the docs show)."""

    @staticmethod
    def value(a: Any) -> Any:
        return a * a * a

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad * 3 * a * a


class CubeFromOutput(Cube):
    """The same op, its derivative written in the output: dz/da = 3 z^(2/3)."""

    saves_output = True

    @staticmethod
    def input_grad(grad: Any, z: Any) -> Any:
        return grad * 3 * np.cbrt(z) ** 2


@pytest.mark.parametrize("op", [Cube, CubeFromOutput])
def test_a_subclass_gets_forward_and_backward_from_its_two_formulas(op):
    x = gg.tensor(np.array([-1.5, -0.3, 0.7, 2.0]), requires_grad=True)
    assert gg.gradcheck(lambda t: op.apply(t), [x])
    np.testing.assert_allclose(op.apply(x).detach().numpy(), x.detach().numpy() ** 3)


def test_forward_saves_the_input_or_the_output_as_the_subclass_says():
    x = gg.tensor(np.array([0.1, 0.2]), requires_grad=True)
    y = Sin.apply(x)
    assert y._node.ctx.saved[0] is x.array  # sin' = cos a needs the input
    z = Tan.apply(x)
    assert z._node.ctx.saved[0] is z.array  # tan' = 1 + z^2 needs the output


def test_changing_a_saved_output_in_place_is_refused_but_an_unsaved_one_is_not():
    x = gg.tensor(np.array([0.1, 0.2]), requires_grad=True)
    y = Sin.apply(x)
    y.add_(1.0)  # sin saved its input, not y: backward still works
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.cos([0.1, 0.2]))
    z = Rsqrt.apply(gg.tensor(np.array([1.0, 4.0]), requires_grad=True))
    z.mul_(2.0)
    with pytest.raises(RuntimeError):
        z.sum().backward()


def test_out_of_domain_and_poles_give_nan_and_inf_without_a_warning():
    # torch: sin(inf) = nan, rsqrt(0) = inf, silently (pytest turns a NumPy RuntimeWarning into an error)
    x = gg.tensor(np.array([np.inf, 0.0]), requires_grad=True)
    y = gg.sin(x)
    y.sum().backward()
    assert np.isnan(y.detach().numpy()[0])
    assert np.isinf(gg.rsqrt(gg.tensor(np.array([0.0]))).numpy()[0])


def test_quiet_float_errors_silences_divide_invalid_and_overflow():
    xp = backend.xp
    with quiet_float_errors():
        values = xp.array([1.0, 0.0, 1e308]) / xp.array([0.0, 0.0, 1e-308])
    assert np.isinf(values[0]) and np.isnan(values[1]) and np.isinf(values[2])
