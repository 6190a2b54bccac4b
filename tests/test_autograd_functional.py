"""torch.autograd.functional and torch.func against torch, on the same numbers: the Hessian of a
small MLP's loss over its flattened parameters, a WGAN-GP gradient penalty through
Conv2d + BatchNorm + LeakyReLU + Linear, the vector products, and the func transforms."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import glassgrad

SIZES = (3, 4, 2)  # the MLP: 3 inputs, 4 hidden (tanh), 2 outputs


def _unflatten(lib: Any, theta: Any) -> list[Any]:
    """W1 (4, 3), b1 (4,), W2 (2, 4), b2 (2,) cut from one parameter vector."""
    n_in, n_hidden, n_out = SIZES
    shapes = [(n_hidden, n_in), (n_hidden,), (n_out, n_hidden), (n_out,)]
    pieces, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        pieces.append(theta[start:start + size].reshape(shape))
        start += size
    return pieces


def _mlp_loss(lib: Any, theta: Any, x: Any, y: Any) -> Any:
    w1, b1, w2, b2 = _unflatten(lib, theta)
    hidden = lib.tanh(x @ w1.T + b1)
    return lib.nn.functional.cross_entropy(hidden @ w2.T + b2, y)


def test_hessian_of_an_mlp_loss_over_its_flat_parameters_matches_torch(rng, torch):
    n_in, n_hidden, n_out = SIZES
    n_params = n_hidden * n_in + n_hidden + n_out * n_hidden + n_out
    theta, x, y = rng.standard_normal(n_params) * 0.7, rng.standard_normal((5, n_in)), rng.integers(0, n_out, 5)
    results = []
    for lib in (glassgrad, torch):
        xs, ys = lib.tensor(x), lib.tensor(y)
        h = lib.autograd.functional.hessian(lambda t, lib=lib, xs=xs, ys=ys: _mlp_loss(lib, t, xs, ys),
                                            lib.tensor(theta))
        results.append(np.asarray(h.detach().numpy()))
    assert results[0].shape == (n_params, n_params)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(results[0], results[0].T, atol=1e-12)  # a Hessian is symmetric


def _critic(lib: Any, weights: dict[str, np.ndarray]) -> Any:
    """Conv2d(8 -> 4, 3x3: 72 values per window, the fast kernel's case) + BatchNorm2d (training) +
    LeakyReLU(0.2) + Linear, all float64, with the given weights."""
    nn = lib.nn
    model = nn.Sequential(nn.Conv2d(8, 4, 3, padding=1), nn.BatchNorm2d(4), nn.LeakyReLU(0.2), nn.Flatten(),
                          nn.Linear(4 * 5 * 5, 1)).double()
    with lib.no_grad():
        for name, p in model.named_parameters():
            p.copy_(lib.tensor(weights[name]))
    return model


def test_gradient_penalty_through_conv_batchnorm_leaky_relu_linear_matches_torch(rng, torch):
    shapes = {"0.weight": (4, 8, 3, 3), "0.bias": (4,), "1.weight": (4,), "1.bias": (4,), "4.weight": (1, 100),
              "4.bias": (1,)}
    weights = {name: rng.standard_normal(shape) * 0.3 for name, shape in shapes.items()}
    real, fake = rng.standard_normal((3, 8, 5, 5)), rng.standard_normal((3, 8, 5, 5))
    mix = rng.uniform(size=(3, 1, 1, 1))
    results = []
    for lib in (glassgrad, torch):
        critic = _critic(lib, weights)
        x = (lib.tensor(mix) * lib.tensor(real) + (1 - lib.tensor(mix)) * lib.tensor(fake)).requires_grad_(True)
        (g,) = lib.autograd.grad(critic(x).sum(), x, create_graph=True)
        norm = ((g.reshape(3, -1) ** 2).sum(1) + 1e-12).sqrt()
        penalty = ((norm - 1) ** 2).mean()
        penalty.backward()
        grads = {name: None if p.grad is None else np.asarray(p.grad.numpy()) for name, p in critic.named_parameters()}
        results.append((float(penalty.item()), grads, np.asarray(x.grad.numpy())))
    (ours, our_grads, our_dx), (theirs, their_grads, their_dx) = results
    assert ours == pytest.approx(theirs, rel=1e-10)
    assert their_grads["4.bias"] is None and our_grads["4.bias"] is None  # the penalty does not depend on it
    # torch reaches the BatchNorm bias through LeakyReLU's saved input and gives it zeros; glassgrad's LeakyReLU
    # saves only its mask, so that bias is not reached (None): the same derivative, 0
    np.testing.assert_array_equal(their_grads["1.bias"], 0.0)
    for name in shapes:
        if name != "4.bias":
            ours_or_zero = np.zeros(shapes[name]) if our_grads[name] is None else our_grads[name]
            np.testing.assert_allclose(ours_or_zero, their_grads[name], rtol=1e-7, atol=1e-10, err_msg=name)
    np.testing.assert_allclose(our_dx, their_dx, rtol=1e-7, atol=1e-10)


def test_the_penalty_is_the_same_with_the_reference_kernels(rng):
    shapes = {"0.weight": (4, 8, 3, 3), "0.bias": (4,), "1.weight": (4,), "1.bias": (4,), "4.weight": (1, 100),
              "4.bias": (1,)}
    weights = {name: rng.standard_normal(shape) * 0.3 for name, shape in shapes.items()}
    x_array = rng.standard_normal((3, 8, 5, 5))
    results = []
    for mode in ("fast", "reference"):
        with glassgrad.kernels.use(mode):
            critic = _critic(glassgrad, weights)
            x = glassgrad.tensor(x_array, requires_grad=True)
            (g,) = glassgrad.autograd.grad(critic(x).sum(), x, create_graph=True)
            (g * g).sum().backward()
            results.append([p.grad.numpy() for p in critic.parameters() if p.grad is not None])
    for fast, reference in zip(*results):
        np.testing.assert_allclose(fast, reference, rtol=1e-10, atol=1e-12)


def _pair(lib: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """Two outputs of two inputs: (a sin(b), sum of a^2 b)."""
    return a * b.sin(), (a * a * b).sum()


def test_jacobian_vjp_jvp_of_tuples_match_torch(rng, torch):
    a, b, va, vb = (rng.standard_normal(3) for _ in range(4))
    out_v = (rng.standard_normal(3), rng.standard_normal(()))
    results = []
    for lib in (glassgrad, torch):
        F = lib.autograd.functional
        inputs = (lib.tensor(a), lib.tensor(b))
        fn = lambda p, q, lib=lib: _pair(lib, p, q)  # noqa: E731
        jac = F.jacobian(fn, inputs)
        _, vjp = F.vjp(fn, inputs, (lib.tensor(out_v[0]), lib.tensor(out_v[1])))
        _, jvp = F.jvp(fn, inputs, (lib.tensor(va), lib.tensor(vb)))
        results.append([np.asarray(t.numpy()) for t in (*jac[0], *jac[1], *vjp, *jvp)])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_hessian_hvp_vhp_of_tuples_match_torch(rng, torch):
    a, b, va, vb = (rng.standard_normal(3) for _ in range(4))
    results = []
    for lib in (glassgrad, torch):
        F = lib.autograd.functional
        fn = lambda p, q: (p.exp() * q.sin()).sum() + (p * q * q).sum()  # noqa: E731
        inputs, v = (lib.tensor(a), lib.tensor(b)), (lib.tensor(va), lib.tensor(vb))
        hess = F.hessian(fn, inputs)
        value, hvp = F.hvp(fn, inputs, v)
        _, vhp = F.vhp(fn, inputs, v)
        blocks = [hess[i][j] for i in range(2) for j in range(2)]
        results.append([np.asarray(t.numpy()) for t in (*blocks, value, *hvp, *vhp)])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_create_graph_strict_and_bad_arguments():
    F = glassgrad.autograd.functional
    x = glassgrad.tensor([1.0, 2.0], dtype=glassgrad.float64, requires_grad=True)
    _, h_v = F.hvp(lambda t: (t**3).sum(), x, glassgrad.ones(2, dtype=glassgrad.float64), create_graph=True)
    (third,) = glassgrad.autograd.grad(h_v.sum(), x)  # H v = 6 x * v, so d/dx sum(H v) = 6
    np.testing.assert_allclose(third.numpy(), [6.0, 6.0])
    _, detached = F.vjp(lambda t: t * 2, x, glassgrad.ones(2, dtype=glassgrad.float64))
    assert detached.grad_fn is None
    with pytest.raises(RuntimeError, match="independent of input 1"):
        F.jacobian(lambda p, q: p * 2, (x, glassgrad.ones(2, dtype=glassgrad.float64)), strict=True)
    jac = F.jacobian(lambda p, q: p * 2, (x, glassgrad.ones(2, dtype=glassgrad.float64)))
    assert jac[1].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    with pytest.raises(RuntimeError, match="single Tensor with a single element"):
        F.hessian(lambda t: t * 2, x)
    with pytest.raises(RuntimeError, match="v can only be None"):
        F.vjp(lambda t: t * 2, x)
    with pytest.raises(TypeError, match="Tensor or a tuple of Tensors"):
        F.jacobian(lambda t: t, [1.0, 2.0])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.func.hessian's forward mode scripts decompositions
def test_func_transforms_match_torch_func(rng, torch):
    x_array, w = rng.standard_normal(3), rng.standard_normal((2, 3))
    results = []
    for lib in (glassgrad, torch):
        fn = lambda t, lib=lib: (lib.tensor(w) @ t.sin()).pow(2).sum()  # noqa: E731
        x = lib.tensor(x_array)
        g = lib.func.grad(fn)(x)
        g2, value = lib.func.grad_and_value(fn)(x)
        jac = lib.func.jacrev(lambda t, lib=lib: lib.tensor(w) @ t.sin())(x)
        hess = lib.func.hessian(fn)(x)
        second = lib.func.grad(lambda t, lib=lib, fn=fn: lib.func.grad(fn)(t).sum())(x)  # nested: Hessian row sums
        results.append([np.asarray(t.numpy()) for t in (g, g2, value, jac, hess, second)])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_functional_call_and_grad_over_module_parameters_match_torch(rng, torch):
    weights = {"weight": rng.standard_normal((2, 3)), "bias": rng.standard_normal(2)}
    x_array, other = rng.standard_normal((4, 3)), rng.standard_normal((2, 3))
    results = []
    for lib in (glassgrad, torch):
        model = lib.nn.Linear(3, 2).double()
        with lib.no_grad():
            model.weight.copy_(lib.tensor(weights["weight"]))
            model.bias.copy_(lib.tensor(weights["bias"]))
        x = lib.tensor(x_array)
        if lib is glassgrad:  # func.grad over a dict of parameters
            params = {name: lib.tensor(value) for name, value in weights.items()}
            loss = lambda p, m=model, x=x: glassgrad.func.functional_call(m, p, (x,)).tanh().sum()  # noqa: E731
            grads = glassgrad.func.grad(loss)(params)
        else:  # the same derivative by torch.autograd.grad (a closure over the oracle's objects cannot be replayed)
            params = {name: lib.tensor(value, requires_grad=True) for name, value in weights.items()}
            found = lib.autograd.grad(lib.func.functional_call(model, params, (x,)).tanh().sum(), list(params.values()))
            grads = dict(zip(params, found))
        swapped = lib.func.functional_call(model, {"weight": lib.tensor(other)}, x)  # bias: the module's own
        results.append([np.asarray(grads["weight"].numpy()), np.asarray(grads["bias"].numpy()),
                        np.asarray(swapped.detach().numpy() - model(x).detach().numpy())])
        assert tuple(model.weight.shape) == (2, 3)  # the module keeps its own parameters afterwards
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_vmap_says_it_is_not_supported():
    with pytest.raises(NotImplementedError, match="vmap"):
        glassgrad.func.vmap(lambda t: t)(glassgrad.ones(3))
