"""vision.transforms and vision.utils: values by hand and against torch's interpolate (no torchvision)."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest

import glassgrad
import glassgrad.vision.transforms as transforms
import glassgrad.vision.utils as vutils
from glassgrad import Tensor


def test_to_tensor_and_normalize_by_hand():
    image = np.array([[0, 255], [51, 102]], dtype=np.uint8)
    t = transforms.ToTensor()(image)
    assert isinstance(t, Tensor) and t.shape == (1, 2, 2) and t.dtype == np.float32
    np.testing.assert_allclose(t.numpy()[0], [[0, 1], [0.2, 0.4]], rtol=1e-6)
    rgb = np.zeros((2, 3, 3), np.uint8)
    rgb[..., 2] = 255
    assert transforms.ToTensor()(rgb).shape == (3, 2, 3) and transforms.ToTensor()(rgb).numpy()[2].min() == 1
    out = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])(image)
    np.testing.assert_allclose(out.numpy()[0], (np.array([[0, 1], [0.2, 0.4]]) - 0.1307) / 0.3081, rtol=1e-5)
    two = transforms.Normalize((1.0, 2.0), (2.0, 4.0))(glassgrad.ones(2, 1, 1))
    np.testing.assert_allclose(two.numpy().ravel(), [0.0, -0.25])
    same = glassgrad.ones(2, 1, 1)
    assert transforms.Normalize((1.0, 2.0), (2.0, 4.0), inplace=True)(same) is same
    np.testing.assert_allclose(same.numpy().ravel(), [0.0, -0.25])
    with pytest.raises(TypeError, match="float tensor"):
        transforms.Normalize((0.0,), (1.0,))(glassgrad.tensor([[[1]]]))
    with pytest.raises(ValueError, match="std evaluated to zero"):
        transforms.Normalize((0.0,), (0.0,))(glassgrad.ones(1, 2, 2))
    with pytest.raises(TypeError, match="pic should be"):
        transforms.ToTensor()(glassgrad.ones(1, 2, 2))


def test_normalize_is_differentiable():
    x = glassgrad.ones(1, 2, 2, requires_grad=True)
    transforms.Normalize((0.5,), (0.25,))(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full((1, 2, 2), 4.0))


def test_bilinear_upscale_by_hand():
    # 1 x 2 -> 1 x 4: output pixel i samples s = (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25,
    # clamped to [0, 1]: weights of (a, b): (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1)
    x = glassgrad.tensor([[[10.0, 20.0]]])
    out = transforms.Resize((1, 4))(x)
    np.testing.assert_allclose(out.numpy()[0, 0], [10.0, 12.5, 17.5, 20.0])


def test_resize_smaller_edge_rule():
    x = glassgrad.zeros(1, 28, 40)
    assert transforms.Resize(14)(x).shape == (1, 14, 20)
    assert transforms.Resize(14)(glassgrad.zeros(1, 40, 28)).shape == (1, 20, 14)
    assert transforms.Resize(14, max_size=16)(x).shape == (1, 11, 16)
    assert transforms.Resize([7])(np.zeros((28, 40), np.uint8)).shape == (7, 10)


@pytest.mark.parametrize("size", [(64, 64), (10, 7), (5, 33)])
@pytest.mark.parametrize("antialias", [True, False])
def test_resize_matches_torch_interpolate(torch, size, antialias, rng):
    x = rng.random((2, 3, 28, 20))
    ours = transforms.Resize(size, antialias=antialias)(glassgrad.tensor(x)).numpy()
    ref = torch.nn.functional.interpolate(torch.tensor(x), size=size, mode="bilinear", align_corners=False,
                                          antialias=antialias).numpy()
    np.testing.assert_allclose(ours, ref, atol=1e-12)
    nearest = transforms.Resize(size, interpolation=transforms.InterpolationMode.NEAREST)(glassgrad.tensor(x))
    np.testing.assert_array_equal(nearest.numpy(), torch.nn.functional.interpolate(torch.tensor(x), size=size,
                                                                                     mode="nearest").numpy())


def test_resize_uint8_array_and_gradient():
    image = np.arange(16, dtype=np.uint8).reshape(4, 4) * 16
    small = transforms.Resize(2)(image)
    assert small.dtype == np.uint8 and small.shape == (2, 2)
    # output pixel 0 covers input pixels 0, 1, 2 with the stretched triangle's weights (3, 3, 1) / 7, in each axis
    weights = np.array([[3, 3, 1, 0], [0, 1, 3, 3]]) / 7
    np.testing.assert_array_equal(small, np.round(weights @ image @ weights.T))
    x = glassgrad.ones(1, 4, 4, requires_grad=True)
    transforms.Resize(8)(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy().sum(), 64.0)  # each output pixel's weights sum to 1
    with pytest.raises(ValueError, match="Interpolation mode 'lanczos' is unsupported with Tensor input"):
        transforms.Resize(2, interpolation="lanczos")(x)


def test_crops_pad_and_flips():
    image = np.arange(25, dtype=np.uint8).reshape(5, 5)
    np.testing.assert_array_equal(transforms.CenterCrop(3)(image), image[1:4, 1:4])
    tensor = glassgrad.tensor(image[None].astype(np.float32))
    np.testing.assert_array_equal(transforms.CenterCrop((2, 4))(tensor).numpy()[0], image[2:4, 0:4])  # round(1.5)=2
    padded = transforms.CenterCrop(7)(image)
    assert padded.shape == (7, 7) and padded[0].sum() == 0 and padded[1, 1] == 0 and padded[3, 3] == 12
    np.testing.assert_array_equal(transforms.Pad(1)(image)[1:-1, 1:-1], image)
    assert transforms.Pad((1, 2))(image).shape == (9, 7)
    assert transforms.Pad((1, 2, 3, 4), padding_mode="edge")(tensor).shape == (1, 11, 9)
    crop = transforms.RandomCrop(5, padding=2, generator=np.random.default_rng(0))
    outs = [crop(image) for _ in range(20)]
    assert all(o.shape == (5, 5) for o in outs) and len({o.tobytes() for o in outs}) > 1
    assert transforms.RandomCrop(8, pad_if_needed=True)(image).shape == (8, 8)
    with pytest.raises(ValueError, match="larger than input image size"):
        transforms.RandomCrop(6)(image)
    flipped = transforms.RandomHorizontalFlip(p=1.0)(tensor)
    np.testing.assert_array_equal(flipped.numpy()[0], image[:, ::-1])
    np.testing.assert_array_equal(transforms.RandomHorizontalFlip(p=1.0)(image), image[:, ::-1])
    assert transforms.RandomHorizontalFlip(p=0.0)(image) is image
    np.testing.assert_array_equal(transforms.RandomVerticalFlip(p=1.0)(image), image[::-1])


def test_grayscale_and_lambda():
    rgb = glassgrad.tensor(np.stack([np.full((2, 2), 1.0), np.zeros((2, 2)), np.zeros((2, 2))]))
    np.testing.assert_allclose(transforms.Grayscale()(rgb).numpy(), np.full((1, 2, 2), 0.2989))
    assert transforms.Grayscale(3)(rgb).shape == (3, 2, 2)
    pixel = np.array([[[255, 0, 0]]], dtype=np.uint8)
    assert transforms.Grayscale()(pixel)[0, 0] == 76  # PIL: 255 * 299 / 1000, rounded
    assert transforms.Lambda(lambda x: x * 2)(3) == 6
    with pytest.raises(TypeError, match="callable"):
        transforms.Lambda(3)
    assert "Normalize" in repr(transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]))


def test_make_grid_layout_by_hand():
    images = glassgrad.tensor(np.arange(1, 4, dtype=np.float32).reshape(3, 1, 1, 1) * np.ones((3, 1, 2, 2)))
    grid = vutils.make_grid(images, nrow=2, padding=1, pad_value=-1.0).numpy()
    # 3 images of 2x2, 2 per row: rows = 2; size (3, 2 * 3 + 1, 2 * 3 + 1); gray repeated to RGB
    assert grid.shape == (3, 7, 7)
    expected = np.full((7, 7), -1.0)
    expected[1:3, 1:3], expected[1:3, 4:6], expected[4:6, 1:3] = 1, 2, 3
    for channel in grid:
        np.testing.assert_array_equal(channel, expected)
    normed = vutils.make_grid(images, nrow=3, padding=0, normalize=True).numpy()
    np.testing.assert_allclose(normed[0, 0], [0, 0, 0.5, 0.5, 1, 1])
    each = vutils.make_grid(images, padding=0, normalize=True, value_range=(0.0, 2.0)).numpy()
    np.testing.assert_allclose(each[0, 0], [0.5, 0.5, 1, 1, 1, 1])
    assert vutils.make_grid(glassgrad.ones(1, 3, 4)).shape == (3, 3, 4)  # one image: no padding
    assert vutils.make_grid([glassgrad.ones(3, 2, 2)] * 10, padding=2).shape == (3, 10, 34)


def _read_png(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    channels = {0: 1, 2: 3, 6: 4}[colour]
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, 1 + width * channels)
    assert depth == 8 and (rows[:, 0] == 0).all()
    return rows[:, 1:].reshape(height, width, channels)


def test_save_image_writes_the_grid_as_png(tmp_path):
    fake = glassgrad.tensor(np.linspace(-1, 1, 2 * 1 * 3 * 3, dtype=np.float32).reshape(2, 1, 3, 3))
    vutils.save_image(fake.detach(), tmp_path / "fake.png", normalize=True)
    pixels = _read_png((tmp_path / "fake.png").read_bytes())
    grid = vutils.make_grid(fake, normalize=True).numpy()
    assert pixels.shape == (7, 12, 3)
    np.testing.assert_array_equal(pixels, np.clip(grid * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0))
    assert pixels.max() == 255 and pixels[2, 2, 0] == 0
    buffer = io.BytesIO()
    vutils.save_image(glassgrad.zeros(3, 2, 2), buffer)
    assert _read_png(buffer.getvalue()).shape == (2, 2, 3)
