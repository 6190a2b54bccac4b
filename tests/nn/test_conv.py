"""Conv layers against torch's, with the weights copied through state_dict.

``check_layer_with_torch`` is shared by the pooling and normalisation layer tests.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn


def check_layer_with_torch(layer: nn.Module, torch_layer: Any, x: np.ndarray, torch: Any, seed: int = 0,
                           atol: float = 1e-6) -> tuple[gg.Tensor, Any]:
    """Copy torch's state into ``layer``, run both on float64 ``x``, backprop sum(y * dout) with a
    random dout, and compare y, dx and every parameter's gradient by name. Returns (y, torch y)."""
    torch_layer = torch_layer.double()
    layer.double()
    layer.load_state_dict(torch_layer.state_dict())
    layer.zero_grad()
    torch_layer.zero_grad()
    xg = gg.Tensor(x.copy(), requires_grad=True)
    xt = torch.tensor(x.copy(), requires_grad=True)
    y, yt = layer(xg), torch_layer(xt)
    np.testing.assert_allclose(y.numpy(), yt.detach().numpy(), rtol=1e-6, atol=atol, err_msg="forward")
    dout = np.random.default_rng(seed).standard_normal(y.shape)
    (y * gg.Tensor(dout)).sum().backward()
    (yt * torch.from_numpy(dout)).sum().backward()
    np.testing.assert_allclose(xg.grad, xt.grad.numpy(), rtol=1e-6, atol=atol, err_msg="input grad")
    torch_params = dict(torch_layer.named_parameters())
    ours = dict(layer.named_parameters())
    assert set(ours) == set(torch_params)
    for name, p in ours.items():
        np.testing.assert_allclose(p.grad, torch_params[name].grad.numpy(), rtol=1e-6, atol=atol,
                                   err_msg=f"grad of {name}")
    return y, yt


@pytest.mark.parametrize("kwargs,x_shape", [
    (dict(in_channels=3, out_channels=4, kernel_size=3, padding=1), (2, 3, 6, 7)),
    (dict(in_channels=4, out_channels=6, kernel_size=(3, 2), stride=2, padding=(1, 0), dilation=(2, 1), groups=2),
     (1, 4, 9, 8)),
    (dict(in_channels=2, out_channels=4, kernel_size=4, padding="same", bias=False), (2, 2, 5, 5)),
])
def test_conv2d_layer_matches_torch(torch, rng, kwargs, x_shape):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch warns about 'same' with an even kernel
        check_layer_with_torch(nn.Conv2d(**kwargs), torch.nn.Conv2d(**kwargs), rng.standard_normal(x_shape), torch)


@pytest.mark.parametrize("kwargs,x_shape", [
    (dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding=1, output_padding=1), (2, 3, 4, 5)),
    (dict(in_channels=4, out_channels=2, kernel_size=2, stride=2, groups=2, bias=False), (1, 4, 3, 3)),
])
def test_conv_transpose2d_layer_matches_torch(torch, rng, kwargs, x_shape):
    check_layer_with_torch(nn.ConvTranspose2d(**kwargs), torch.nn.ConvTranspose2d(**kwargs),
                           rng.standard_normal(x_shape), torch)


def test_conv1d_layer_matches_torch(torch, rng):
    kwargs = dict(in_channels=3, out_channels=5, kernel_size=3, stride=2, padding=1)
    check_layer_with_torch(nn.Conv1d(**kwargs), torch.nn.Conv1d(**kwargs), rng.standard_normal((2, 3, 10)), torch)


def test_functional_conv1d_takes_an_unbatched_input_and_checks_as_torch(torch, rng):
    x, w, b = rng.standard_normal((3, 7)), rng.standard_normal((4, 3, 2)), rng.standard_normal(4)
    ours = nn.functional.conv1d(gg.tensor(x), gg.tensor(w), gg.tensor(b), stride=2, padding=1)
    theirs = torch.nn.functional.conv1d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride=2, padding=1)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)  # (C, L) -> (O, Lo), as torch
    for shape in [(1, 1, 3, 6), (6,), (2, 6), (1, 2, 6)]:  # wrong rank, wrong channels: RuntimeError in both
        with pytest.raises(RuntimeError):
            torch.nn.functional.conv1d(torch.zeros(*shape, dtype=torch.float64), torch.tensor(w))
        with pytest.raises(RuntimeError, match="conv1d: (expected a 2-D|input has 2 channels.*Conv1d\\(3, 4\\))"):
            nn.functional.conv1d(gg.zeros(shape, dtype=gg.float64), gg.tensor(w))


def test_conv2d_ws_matches_torch_reimplementation(torch, rng):
    """Conv2dWS == F.conv2d on the standardised weight, forward and all gradients."""
    eps = 1e-5

    class TorchWS(torch.nn.Conv2d):
        def forward(self, x):
            w = self.weight
            mean = w.mean(dim=(1, 2, 3), keepdim=True)
            var = w.var(dim=(1, 2, 3), keepdim=True, unbiased=False)
            return torch.nn.functional.conv2d(x, (w - mean) / torch.sqrt(var + eps), self.bias, self.stride,
                                              self.padding, self.dilation, self.groups)

    kwargs = dict(in_channels=4, out_channels=6, kernel_size=3, padding=1, groups=2)
    layer = nn.Conv2dWS(**kwargs, eps=eps)
    check_layer_with_torch(layer, TorchWS(**kwargs), rng.standard_normal((1, 4, 5, 5)), torch)
    w_hat = gg.ops.weight_standardize(layer.weight, eps).numpy()
    np.testing.assert_allclose(w_hat.mean(axis=(1, 2, 3)), 0, atol=1e-12)
    var = layer.weight.numpy().var(axis=(1, 2, 3))
    np.testing.assert_allclose(w_hat.var(axis=(1, 2, 3)), var / (var + eps), rtol=1e-10)


def test_conv2d_init_and_state_dict_names(torch):
    layer = nn.Conv2d(3, 8, 5, rng=np.random.default_rng(0))
    assert list(layer.state_dict()) == list(torch.nn.Conv2d(3, 8, 5).state_dict())
    bound = 1 / np.sqrt(3 * 25)
    assert layer.weight.shape == (8, 3, 5, 5) and layer.weight.dtype == np.float32
    assert np.abs(layer.weight.numpy()).max() <= bound and np.abs(layer.weight.numpy()).max() > 0.8 * bound
    t = nn.ConvTranspose2d(3, 8, 5, groups=1)
    assert t.weight.shape == (3, 8, 5, 5)
    assert "Conv2d(3, 8, kernel_size=(5, 5)" in repr(layer)


def test_conv_layer_errors():
    with pytest.raises(ValueError, match="expected 3 input channels, got 4"):
        nn.Conv2d(3, 4, 3)(gg.zeros((1, 4, 8, 8)))
    with pytest.raises(ValueError, match="4-D"):
        nn.Conv2d(3, 4, 3)(gg.zeros((1, 1, 3, 8, 8)))
    with pytest.raises(ValueError, match="groups=2 must divide"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="larger than the padded input"):
        nn.Conv2d(1, 1, 5)(gg.zeros((1, 1, 3, 3)))
