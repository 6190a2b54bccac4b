"""vision.models against torchvision.models: the same state-dict keys and shapes (torchvision loads
glassgrad's state dict strictly), and the same forward for the same weights.

The weights come from a seeded generator in the test (He-scaled normals, batch-norm statistics
near 1), loaded into both networks by name; only torchvision's outputs are recorded (tiny), so a
replay needs neither torchvision nor stored weights. Building the networks' own random
initialisation is skipped where the test overwrites it anyway (VGG's 100M-weight classifier).
"""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from glassgrad import nn
from glassgrad.vision import models

# name -> input size (AlexNet's and SqueezeNet's stems need more than 32 pixels). vgg11_bn and vgg16 share
# all their code with vgg11 and vgg16_bn: their structure is checked, their forward is not run again
SIZES = {"resnet18": 32, "resnet34": 32, "resnet50": 32, "vgg11": 32, "vgg16_bn": 32, "alexnet": 64,
         "mobilenet_v2": 32, "squeezenet1_0": 48, "squeezenet1_1": 48}


@pytest.fixture
def skip_initialisation(monkeypatch):
    """Building a network without drawing its initial weights (the test loads its own)."""
    for name in ("kaiming_normal_", "kaiming_uniform_", "normal_", "zeros_", "ones_"):
        monkeypatch.setattr(nn.init, name, lambda tensor, *args, **kwargs: tensor)
    for layer in (nn.Linear, nn.Conv2d):
        monkeypatch.setattr(layer, "reset_parameters", lambda self, rng=None: None)


def _seeded_weights(model: nn.Module, seed: int) -> dict[str, np.ndarray]:
    """A value for every state-dict entry: weights N(0, 2 / fan_in), biases and means small, variances near 1."""
    rng = np.random.default_rng(seed)
    values = {}
    for key, tensor in model.state_dict().items():
        shape = tuple(tensor.shape)
        if key.endswith("num_batches_tracked"):
            values[key] = np.array(3, dtype=np.int64)
        elif key.endswith("running_var") or (key.endswith("weight") and len(shape) == 1):
            values[key] = rng.uniform(0.5, 1.5, shape).astype(np.float32)
        elif key.endswith(("running_mean", "bias")):
            values[key] = (0.1 * rng.standard_normal(shape)).astype(np.float32)
        else:
            fan_in = int(np.prod(shape[1:]))
            values[key] = (rng.standard_normal(shape, dtype=np.float32) * np.float32(np.sqrt(2.0 / fan_in)))
    return values


@pytest.mark.parametrize("name", models.list_models())
def test_state_dict_keys_and_shapes_match_torchvision(tv, name, skip_initialisation):
    _, torchvision = tv
    ours = models.get_model(name, num_classes=10).state_dict()
    theirs = getattr(torchvision.models, name)(num_classes=10).state_dict()
    assert list(theirs) == list(ours)
    assert [tuple(value.shape) for value in theirs.values()] == [tuple(value.shape) for value in ours.values()]


@pytest.mark.parametrize("name", sorted(SIZES))
def test_forward_matches_torchvision_for_the_same_weights(tv, name, skip_initialisation):
    torch, torchvision = tv
    ours = models.get_model(name, num_classes=10)
    weights = _seeded_weights(ours, seed=len(name))
    ours.load_state_dict(weights)
    theirs = getattr(torchvision.models, name)(num_classes=10)
    theirs.load_state_dict({key: torch.from_numpy(value) for key, value in weights.items()}, strict=True)
    assert list(theirs.state_dict()) == list(ours.state_dict())  # the same keys, in the same order
    x = np.random.default_rng(0).standard_normal((2, 3, SIZES[name], SIZES[name])).astype(np.float32)
    expected = theirs.eval()(torch.from_numpy(x)).detach().numpy()
    with glassgrad.no_grad():
        got = ours.eval()(glassgrad.tensor(x)).numpy()
    assert got.shape == (2, 10) and np.abs(expected).max() > 1e-3
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())


def test_training_mode_batch_statistics_match(tv):
    """ResNet-18 in training mode: batch norm normalises by the batch and updates its running statistics."""
    torch, torchvision = tv
    ours = models.resnet18(num_classes=5)
    weights = _seeded_weights(ours, seed=1)
    ours.load_state_dict(weights)
    theirs = torchvision.models.resnet18(num_classes=5)
    theirs.load_state_dict({key: torch.from_numpy(value) for key, value in weights.items()})
    x = np.random.default_rng(1).standard_normal((3, 3, 32, 32)).astype(np.float32)
    expected = theirs.train()(torch.from_numpy(x)).detach().numpy()
    got = ours.train()(glassgrad.tensor(x))
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())
    running = theirs.state_dict()["layer1.0.bn1.running_mean"].numpy()
    np.testing.assert_allclose(ours.state_dict()["layer1.0.bn1.running_mean"].numpy(), running, rtol=1e-4,
                               atol=1e-6)
    got.sum().backward()  # and it trains: every parameter gets a gradient
    assert all(p.grad is not None for p in ours.parameters())


def test_weights_from_a_safetensors_file(tmp_path):
    source = models.squeezenet1_1(num_classes=3)
    path = tmp_path / "squeezenet.safetensors"
    glassgrad.safetensors.save_file(source.state_dict(), path)
    loaded = models.squeezenet1_1(weights=str(path), num_classes=3)
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(loaded.state_dict()[key].numpy(), value.numpy())
    with pytest.raises(ValueError, match="downloads no weights"):
        models.resnet18(weights="IMAGENET1K_V1")
    with pytest.raises(RuntimeError):
        models.squeezenet1_1(weights=str(path))  # 1000 classes do not fit a 3-class file


def test_untrained_initialisation_follows_torchvision():
    """weights=None: the initial weights' spread is torchvision's scheme (Kaiming fan_out; N(0, 0.01) heads)."""
    glassgrad.manual_seed(0)
    resnet = models.resnet18()
    conv = resnet.layer1[0].conv1.weight.numpy()  # (64, 64, 3, 3): std sqrt(2 / fan_out) = sqrt(2 / 576)
    assert abs(conv.std() - np.sqrt(2 / 576)) < 0.05 * np.sqrt(2 / 576)
    assert (resnet.bn1.weight.numpy() == 1).all() and (resnet.bn1.bias.numpy() == 0).all()
    zero = models.resnet50(zero_init_residual=True)
    assert (zero.layer1[0].bn3.weight.numpy() == 0).all()
    mobile = models.mobilenet_v2(num_classes=10)
    assert abs(mobile.classifier[1].weight.numpy().std() - 0.01) < 0.002
    squeeze = models.squeezenet1_0(num_classes=7)
    assert abs(squeeze.classifier[1].weight.numpy().std() - 0.01) < 0.003
    assert models.list_models()[:2] == ["alexnet", "mobilenet_v2"]
    with pytest.raises(ValueError, match="Unknown model"):
        models.get_model("resnet1000")
    with pytest.raises(NotImplementedError, match="ResNeXt"):
        models.ResNet(nn.BasicBlock, [1, 1, 1, 1], groups=32)
