"""vision.transforms.functional against torchvision's, on PIL images, uint8 and float32 Tensors.

PIL images go through Pillow on both sides, so they must agree exactly; Tensors go through
torchvision's tensor formulas, which glassgrad follows step by step: uint8 results agree exactly
(bilinear warps to within 1, where float sums are rounded), float32 ones to 1e-5. Recorded for runs
without torchvision (see tests/helpers/torchvision_oracle.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from PIL import Image

import glassgrad
import glassgrad.vision.transforms as transforms
import glassgrad.vision.transforms.functional as F

KINDS = ("pil_rgb", "pil_gray", "uint8", "float32")


def _inputs(kind: str):
    rng = np.random.default_rng(7)
    rgb = rng.integers(0, 256, (9, 11, 3), dtype=np.uint8)
    if kind == "pil_rgb":
        return Image.fromarray(rgb), rgb
    if kind == "pil_gray":
        gray = rgb[..., 0].copy()
        return Image.fromarray(gray), gray
    if kind == "uint8":
        chw = rgb.transpose(2, 0, 1).copy()
        return glassgrad.tensor(chw), chw
    values = rng.random((3, 9, 11)).astype(np.float32)
    return glassgrad.tensor(values), values


def _fill(img, value):
    """torchvision's tensor warps take one fill per channel; PIL ones a number."""
    return value if isinstance(img, Image.Image) else [float(value)] * 3


# name -> f(F, img, modes): the same call on glassgrad's and torchvision's functional module
CASES = {
    "resize_bilinear": lambda f, x, m: f.resize(x, [5, 7], m.BILINEAR),
    "resize_bicubic_down": lambda f, x, m: f.resize(x, [5, 7], m.BICUBIC),
    "resize_bicubic_up": lambda f, x, m: f.resize(x, [13, 20], m.BICUBIC),
    "resize_nearest_short_edge": lambda f, x, m: f.resize(x, 5, m.NEAREST),
    "resize_nearest_exact": lambda f, x, m: f.resize(x, [6, 4], m.NEAREST_EXACT),
    "resize_max_size": lambda f, x, m: f.resize(x, 6, m.BILINEAR, max_size=7),
    "center_crop_padded": lambda f, x, m: f.center_crop(x, [12, 6]),
    "crop_outside": lambda f, x, m: f.crop(x, -2, 3, 8, 10),
    "pad_constant": lambda f, x, m: f.pad(x, [1, 2, 3, 4], fill=7),
    "pad_edge": lambda f, x, m: f.pad(x, [1, 2], padding_mode="edge"),
    "pad_reflect": lambda f, x, m: f.pad(x, 3, padding_mode="reflect"),
    "pad_symmetric": lambda f, x, m: f.pad(x, [2, 1, 0, 3], padding_mode="symmetric"),
    "pad_negative": lambda f, x, m: f.pad(x, [-1, 2, 1, -2], padding_mode="reflect"),
    "resized_crop": lambda f, x, m: f.resized_crop(x, 1, 2, 6, 7, [4, 5]),
    "hflip": lambda f, x, m: f.hflip(x),
    "vflip": lambda f, x, m: f.vflip(x),
    "rotate_nearest": lambda f, x, m: f.rotate(x, 30.0),
    "rotate_bilinear": lambda f, x, m: f.rotate(x, 30.0, m.BILINEAR),
    "rotate_expand": lambda f, x, m: f.rotate(x, 90.0, expand=True),
    "rotate_expand_fill": lambda f, x, m: f.rotate(x, 37.0, m.BILINEAR, expand=True, fill=_fill(x, 5)),
    "rotate_center": lambda f, x, m: f.rotate(x, -20.0, center=[2, 3]),
    "affine": lambda f, x, m: f.affine(x, 15.0, [2, -1], 1.2, [10.0, 5.0]),
    "affine_bilinear_fill": lambda f, x, m: f.affine(x, -25.0, [1, 1], 0.8, [0.0, 12.0], m.BILINEAR,
                                                     fill=_fill(x, 3)),
    "affine_shear_corner": lambda f, x, m: f.affine(x, 0.0, [0, 0], 1.0, [20.0, 0.0], center=[0, 0]),
    "brightness": lambda f, x, m: f.adjust_brightness(x, 1.3),
    "contrast": lambda f, x, m: f.adjust_contrast(x, 0.6),
    "saturation": lambda f, x, m: f.adjust_saturation(x, 1.7),
    "hue": lambda f, x, m: f.adjust_hue(x, 0.2),
    "hue_negative": lambda f, x, m: f.adjust_hue(x, -0.45),
    "gamma": lambda f, x, m: f.adjust_gamma(x, 0.7, 1.1),
    "sharpness": lambda f, x, m: f.adjust_sharpness(x, 1.8),
    "grayscale_3": lambda f, x, m: f.rgb_to_grayscale(x, 3),
    "invert": lambda f, x, m: f.invert(x),
    "posterize": lambda f, x, m: f.posterize(x, 3),
    "solarize": lambda f, x, m: f.solarize(x, 0.4 if "float" in str(getattr(x, "dtype", "")) else 100),
    "autocontrast": lambda f, x, m: f.autocontrast(x),
    "equalize": lambda f, x, m: f.equalize(x),
    "gaussian_blur": lambda f, x, m: f.gaussian_blur(x, [3, 5], [0.8, 1.3]),
    "gaussian_blur_default_sigma": lambda f, x, m: f.gaussian_blur(x, 5),
}
UINT8_TOLERANCE = {"rotate_bilinear": 1, "rotate_expand_fill": 1, "affine_bilinear_fill": 1}


def _as_array(result, kind: str) -> np.ndarray:
    """The pixels of a result (a PIL image, or a Tensor: both sides' results may be recording proxies)."""
    return np.asarray(result) if kind.startswith("pil") else result.numpy()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_functional_matches_torchvision(tv, name, kind):
    torch, torchvision = tv
    ours_in, raw = _inputs(kind)
    theirs_in = torch.from_numpy(raw) if kind in ("uint8", "float32") else Image.fromarray(raw)
    case = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. torchvision's "antialias is ignored for PIL images"
        try:
            expected = _as_array(case(torchvision.transforms.functional, theirs_in,
                                      torchvision.transforms.InterpolationMode), kind)
        except TypeError as error:  # torchvision refuses this kind (posterize / equalize of floats)
            with pytest.raises(TypeError, match=str(error)[:30]):
                case(F, ours_in, transforms.InterpolationMode)
            return
    got = _as_array(case(F, ours_in, transforms.InterpolationMode), kind)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    if got.dtype == np.uint8:
        tolerance = UINT8_TOLERANCE.get(name, 0) if kind == "uint8" else 0
        assert np.abs(got.astype(int) - expected.astype(int)).max() <= tolerance
    else:
        np.testing.assert_allclose(got, expected, atol=1e-5)


CONVERSIONS = {
    "to_tensor": lambda f, x: f.to_tensor(x),
    "pil_to_tensor": lambda f, x: f.pil_to_tensor(x),
}


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "I", "F", "1", "LA"])
@pytest.mark.parametrize("name", sorted(CONVERSIONS))
def test_pil_to_tensor_conversions(tv, name, mode):
    torch, torchvision = tv
    rng = np.random.default_rng(3)
    image = Image.fromarray(rng.integers(0, 256, (5, 4, 4), dtype=np.uint8), "RGBA").convert(mode)
    expected = CONVERSIONS[name](torchvision.transforms.functional, image).numpy()
    got = CONVERSIONS[name](F, image).numpy()
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("case", ["float_chw", "uint8_hw", "uint8_hwc2", "int16_hw", "int32_hw", "float_mode_F",
                                  "uint8_rgba", "uint8_hsv"])
def test_to_pil_image(tv, case):
    torch, torchvision = tv
    rng = np.random.default_rng(4)
    arrays = {"float_chw": (rng.random((3, 4, 5)).astype(np.float32), None),
              "uint8_hw": (rng.integers(0, 256, (4, 5), dtype=np.uint8), None),
              "uint8_hwc2": (rng.integers(0, 256, (4, 5, 2), dtype=np.uint8), None),
              "int16_hw": (rng.integers(0, 3000, (4, 5)).astype(np.int16), None),
              "int32_hw": (rng.integers(-9, 3000, (4, 5)).astype(np.int32), None),
              "float_mode_F": (rng.random((1, 4, 5)).astype(np.float32), "F"),
              "uint8_rgba": (rng.integers(0, 256, (4, 5, 4), dtype=np.uint8), None),
              "uint8_hsv": (rng.integers(0, 256, (4, 5, 3), dtype=np.uint8), "HSV")}
    values, mode = arrays[case]
    tensor_input = case.startswith("float")
    theirs = torchvision.transforms.functional.to_pil_image(torch.from_numpy(values) if tensor_input else values, mode)
    ours = F.to_pil_image(glassgrad.tensor(values) if tensor_input else values, mode)
    assert ours.mode == theirs.mode and ours.size == theirs.size
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


@pytest.mark.parametrize("pair", ["uint8->float32", "float32->uint8", "uint8->int16", "int32->uint8", "float64->int32"])
def test_convert_image_dtype(tv, pair):
    torch, torchvision = tv
    source, target = pair.split("->")
    values = (np.random.default_rng(5).random((2, 3, 4)) * (1 if source.startswith("float") else 250)).astype(source)
    expected = torchvision.transforms.functional.convert_image_dtype(torch.from_numpy(values), getattr(torch, target))
    got = F.convert_image_dtype(glassgrad.tensor(values), getattr(glassgrad, target))
    np.testing.assert_array_equal(got.numpy(), expected.numpy())
    assert got.dtype == np.dtype(target)


def test_convert_image_dtype_refuses_unsafe_casts():
    with pytest.raises(RuntimeError, match="cannot be performed safely"):
        F.convert_image_dtype(glassgrad.zeros(1, 2, 2), glassgrad.int64)


def test_erase_and_normalize(tv):
    torch, torchvision = tv
    values = np.random.default_rng(6).random((3, 6, 7)).astype(np.float32)
    expected = torchvision.transforms.functional.erase(torch.from_numpy(values), 1, 2, 3, 4, torch.tensor(0.5))
    got = F.erase(glassgrad.tensor(values), 1, 2, 3, 4, glassgrad.tensor(0.5))
    np.testing.assert_array_equal(got.numpy(), expected.numpy())
    normalized = torchvision.transforms.functional.normalize(torch.from_numpy(values), [0.1, 0.2, 0.3], [0.5, 2, 1])
    np.testing.assert_allclose(F.normalize(glassgrad.tensor(values), [0.1, 0.2, 0.3], [0.5, 2, 1]).numpy(),
                               normalized.numpy(), rtol=1e-6)


def test_arrays_follow_the_tensor_formulas_and_pil_resizing():
    """The NumPy stand-in for PIL images: colour and warps as on a uint8 Tensor, resize and grey as PIL."""
    rng = np.random.default_rng(8)
    rgb = rng.integers(0, 256, (9, 11, 3), dtype=np.uint8)
    tensor = glassgrad.tensor(rgb.transpose(2, 0, 1).copy())
    for op in (lambda x: F.adjust_hue(x, 0.3), lambda x: F.rotate(x, 33.0), lambda x: F.equalize(x),
               lambda x: F.gaussian_blur(x, 3), lambda x: F.pad(x, 2, padding_mode="symmetric")):
        np.testing.assert_array_equal(op(rgb), op(tensor).numpy().transpose(1, 2, 0))
    pil = np.asarray(F.resize(Image.fromarray(rgb), [5, 6]))
    assert np.abs(F.resize(rgb, [5, 6]).astype(int) - pil).max() <= 1  # PIL rounds in fixed point
    np.testing.assert_array_equal(F.rgb_to_grayscale(rgb), np.asarray(Image.fromarray(rgb).convert("L")))


def test_non_differentiable_transforms_refuse_tensors_that_require_grad():
    x = glassgrad.ones(3, 4, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="not differentiable"):
        F.rotate(x, 10.0)
    F.rotate(x.detach(), 10.0)
    F.resize(x, [2, 2]).sum().backward()  # resizing is a product with weight matrices: differentiable
    assert x.grad is not None
    y = glassgrad.ones(3, 2, 2, requires_grad=True)
    F.rgb_to_grayscale(y).sum().backward()
    np.testing.assert_allclose(y.grad.numpy()[:, 0, 0], [0.2989, 0.587, 0.114], rtol=1e-6)


def test_bad_arguments():
    image = Image.new("RGB", (4, 4))
    with pytest.raises(TypeError, match="PIL Image, a NumPy array"):
        F.hflip([1, 2, 3])
    with pytest.raises(ValueError, match="hue_factor"):
        F.adjust_hue(image, 0.7)
    with pytest.raises(ValueError, match="odd and positive"):
        F.gaussian_blur(image, 4)
    with pytest.raises(ValueError, match="Padding mode"):
        F.pad(image, 1, padding_mode="wrap")
    with pytest.raises(ValueError, match="unsupported with Tensor input"):
        F.rotate(glassgrad.zeros(3, 4, 4), 10.0, transforms.InterpolationMode.BICUBIC)
    with pytest.raises(TypeError, match="InterpolationMode"):
        F.resize(image, 2, interpolation=object())
    with pytest.raises(TypeError, match="Threshold should be less than bound"):
        F.solarize(glassgrad.zeros(3, 2, 2), 2.0)
