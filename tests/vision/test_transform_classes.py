"""vision.transforms classes: against torchvision's where their parameters leave no randomness, and their
random draws (reproducible with a generator, within the documented ranges) where they do."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

import glassgrad
import glassgrad.vision.transforms as T
import glassgrad.vision.transforms.functional as F
from glassgrad.vision.transforms.autoaugment import apply_op, augmentation_space


def _rgb(seed: int = 0, size=(9, 11)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (*size, 3), dtype=np.uint8)


# name -> f(T, modes): the same transform built from glassgrad's and from torchvision's module
FIXED = {
    "resize": lambda t, m: t.Resize(6, interpolation=m.BICUBIC),
    "center_crop": lambda t, m: t.CenterCrop((5, 7)),
    "pad": lambda t, m: t.Pad((1, 2), padding_mode="reflect"),
    "random_crop_full": lambda t, m: t.RandomCrop((9, 11)),
    "hflip_always": lambda t, m: t.RandomHorizontalFlip(p=1.0),
    "vflip_never": lambda t, m: t.RandomVerticalFlip(p=0.0),
    "grayscale": lambda t, m: t.Grayscale(num_output_channels=3),
    "random_grayscale_always": lambda t, m: t.RandomGrayscale(p=1.0),
    "rotation_fixed": lambda t, m: t.RandomRotation((25.0, 25.0), interpolation=m.BILINEAR, expand=True, fill=4),
    "affine_fixed": lambda t, m: t.RandomAffine((-10.0, -10.0), translate=(0.0, 0.0), scale=(1.1, 1.1),
                                                shear=(5.0, 5.0, -7.0, -7.0)),
    "resized_crop_fallback": lambda t, m: t.RandomResizedCrop((4, 6), scale=(2.0, 3.0), ratio=(2.0, 3.0)),
    "jitter_brightness_only": lambda t, m: t.ColorJitter(brightness=(1.4, 1.4)),
    "jitter_hue_only": lambda t, m: t.ColorJitter(hue=(0.1, 0.1)),
    "blur_fixed_sigma": lambda t, m: t.GaussianBlur(3, sigma=0.9),
    "autocontrast_always": lambda t, m: t.RandomAutocontrast(p=1.0),
    "equalize_always": lambda t, m: t.RandomEqualize(p=1.0),
    "posterize_always": lambda t, m: t.RandomPosterize(2, p=1.0),
    "solarize_always": lambda t, m: t.RandomSolarize(90, p=1.0),
    "sharpness_always": lambda t, m: t.RandomAdjustSharpness(0.3, p=1.0),
    "invert_always": lambda t, m: t.RandomInvert(p=1.0),
}


@pytest.mark.parametrize("on", ["pil", "uint8"])
@pytest.mark.parametrize("name", sorted(FIXED))
def test_deterministic_transforms_match_torchvision(tv, name, on):
    torch, torchvision = tv
    rgb = _rgb()
    theirs = FIXED[name](torchvision.transforms, torchvision.transforms.InterpolationMode)
    ours = FIXED[name](T, T.InterpolationMode)
    if on == "pil":
        expected, got = np.asarray(theirs(Image.fromarray(rgb))), np.asarray(ours(Image.fromarray(rgb)))
    else:
        chw = rgb.transpose(2, 0, 1).copy()
        expected, got = theirs(torch.from_numpy(chw)).numpy(), ours(glassgrad.tensor(chw)).numpy()
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= (1 if name == "rotation_fixed" else 0)


@pytest.mark.parametrize("policy", ["IMAGENET", "CIFAR10", "SVHN"])
def test_autoaugment_operations_match_torchvision(tv, policy):
    """Every operation of the policy at the magnitudes it uses, signed both ways, on PIL and uint8 tensors."""
    torch, torchvision = tv
    apply_theirs = _torchvision_apply_op(torchvision)
    rgb = _rgb(1, (10, 13))
    chw = rgb.transpose(2, 0, 1).copy()
    ours_policy = T.AutoAugment(T.AutoAugmentPolicy[policy])
    assert ours_policy.policies == list(torchvision.transforms.AutoAugment(
        torchvision.transforms.AutoAugmentPolicy[policy]).policies)
    space = augmentation_space(10, 10, 13)
    seen = set()
    for sub_policy in ours_policy.policies:
        for op_name, _, magnitude_id in sub_policy:
            magnitudes, signed = space[op_name]
            magnitude = float(magnitudes[magnitude_id]) if magnitude_id is not None else 0.0
            for value in ({magnitude, -magnitude} if signed else {magnitude}):
                if (op_name, value) in seen:
                    continue
                seen.add((op_name, value))
                nearest = torchvision.transforms.InterpolationMode.NEAREST
                expected = np.asarray(apply_theirs(Image.fromarray(rgb), op_name, value, nearest, None))
                got = np.asarray(apply_op(Image.fromarray(rgb), op_name, value, T.InterpolationMode.NEAREST, None))
                np.testing.assert_array_equal(got, expected, err_msg=f"{op_name} {value} PIL")
                expected = apply_theirs(torch.from_numpy(chw), op_name, value, nearest, [0.0, 0.0, 0.0]).numpy()
                got = apply_op(glassgrad.tensor(chw), op_name, value, T.InterpolationMode.NEAREST, [0.0] * 3)
                np.testing.assert_array_equal(got.numpy(), expected, err_msg=f"{op_name} {value} uint8")


def _torchvision_apply_op(torchvision):
    """torchvision's one-operation AutoAugment step (``_apply_op``)."""
    return torchvision.transforms.autoaugment._apply_op


def test_color_jitter_ranges_match_torchvision(tv):
    torch, torchvision = tv
    for args in [dict(brightness=0.5, contrast=(0.2, 1.5), saturation=2.0, hue=0.25), dict(brightness=1.5),
                 dict(hue=(-0.1, 0.3)), dict(contrast=0)]:
        theirs, ours = torchvision.transforms.ColorJitter(**args), T.ColorJitter(**args)
        for name in ("brightness", "contrast", "saturation", "hue"):
            expected = getattr(theirs, name)
            assert getattr(ours, name) == (None if expected is None else tuple(expected)), name


# ----- the random draws ---------------------------------------------------------------------------
def test_random_crop_covers_every_offset_and_repeats_with_a_seed():
    image = np.arange(36, dtype=np.uint8).reshape(6, 6)
    crop = T.RandomCrop(4, generator=np.random.default_rng(0))
    corners = {tuple(crop(image)[0, :1].tolist() + crop(image)[:1, 0].tolist()) for _ in range(200)}
    assert len({c[0] for c in corners}) == 9  # 3 x 3 positions
    again = [T.RandomCrop(4, generator=np.random.default_rng(5))(image) for _ in range(2)]
    np.testing.assert_array_equal(*again)
    glassgrad.manual_seed(3)
    first = T.RandomCrop(4)(image)
    glassgrad.manual_seed(3)
    np.testing.assert_array_equal(T.RandomCrop(4)(image), first)  # the module generator


def test_random_resized_crop_draws_within_scale_and_ratio():
    rng = np.random.default_rng(1)
    image = Image.new("RGB", (40, 30))
    for _ in range(300):
        top, left, h, w = T.RandomResizedCrop.get_params(image, (0.2, 0.6), (0.5, 2.0), generator=rng)
        assert 0 <= top <= 30 - h and 0 <= left <= 40 - w
        assert 0.2 * 1200 - 40 <= h * w <= 0.6 * 1200 + 40  # rounding of h and w
        assert 0.5 * 0.8 <= w / h <= 2.0 * 1.25
    out = T.RandomResizedCrop(8, generator=rng)(image)
    assert out.size == (8, 8)


def test_rotation_affine_jitter_blur_draw_in_range():
    rng = np.random.default_rng(2)
    angles = [T.RandomRotation.get_params([-10.0, 30.0], generator=rng) for _ in range(200)]
    assert -10 <= min(angles) and max(angles) <= 30 and max(angles) - min(angles) > 30
    for _ in range(100):
        angle, (tx, ty), scale, (sx, sy) = T.RandomAffine.get_params([-5, 5], [0.1, 0.2], [0.9, 1.1],
                                                                     [-3, 3, 1, 2], [40, 30], generator=rng)
        assert -5 <= angle <= 5 and abs(tx) <= 4 and abs(ty) <= 6 and 0.9 <= scale <= 1.1
        assert -3 <= sx <= 3 and 1 <= sy <= 2
        order, b, c, s, h = T.ColorJitter.get_params((0.5, 1.5), None, (1.0, 2.0), (-0.1, 0.1), generator=rng)
        assert sorted(order) == [0, 1, 2, 3] and 0.5 <= b <= 1.5 and c is None and 1 <= s <= 2 and abs(h) <= 0.1
        assert 0.1 <= T.GaussianBlur.get_params(0.1, 2.0, generator=rng) <= 2.0
    jitter = T.ColorJitter(0.4, 0.4, 0.4, 0.1, generator=rng)
    image = Image.fromarray(_rgb(3))
    assert len({np.asarray(jitter(image)).tobytes() for _ in range(5)}) > 1


def test_random_erasing():
    rng = np.random.default_rng(4)
    x = glassgrad.ones(3, 20, 30)
    erased = T.RandomErasing(p=1.0, value=0, generator=rng)(x).numpy()
    zero = erased == 0
    rows, cols = np.nonzero(zero[0])
    assert zero.any() and (zero == zero[0]).all()  # the same rectangle in every channel
    assert zero[0, rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()  # a filled rectangle
    assert 0.02 * 600 - 30 <= zero[0].sum() <= 0.33 * 600 + 30
    assert x.numpy().min() == 1  # not in place
    noisy = T.RandomErasing(p=1.0, value="random", generator=rng)(x).numpy()
    assert (noisy != 1).sum() > 0 and noisy.std() > 0
    coloured = T.RandomErasing(p=1.0, value=(5, 6, 7), generator=rng)(x).numpy()
    assert set(np.unique(coloured[1])) == {1.0, 6.0}
    assert T.RandomErasing(p=0.0)(x) is x
    same = glassgrad.ones(3, 4, 4)
    assert T.RandomErasing(p=1.0, inplace=True, generator=rng)(same) is same
    with pytest.raises(ValueError, match="single value or 3"):
        T.RandomErasing(p=1.0, value=(1, 2))(x)
    with pytest.raises(TypeError, match="Tensor"):
        T.RandomErasing(p=1.0)(Image.new("RGB", (4, 4)))
    with pytest.raises(ValueError, match="'random'"):
        T.RandomErasing(value="noise")


def test_autoaugment_and_random_choice_run_on_every_kind():
    rng = np.random.default_rng(5)
    augment = T.AutoAugment(T.AutoAugmentPolicy.CIFAR10, generator=rng)
    rgb = _rgb(6, (8, 8))
    outputs = {np.asarray(augment(Image.fromarray(rgb))).tobytes() for _ in range(20)}
    assert len(outputs) > 3
    assert augment(glassgrad.tensor(rgb.transpose(2, 0, 1).copy())).shape == (3, 8, 8)
    assert augment(rgb).shape == (8, 8, 3)
    pipeline = T.Compose([T.RandomApply([T.RandomInvert(1.0)], p=0.5, generator=rng),
                          T.RandomChoice([T.Grayscale(3), T.Lambda(lambda x: x)], generator=rng),
                          T.RandomOrder([T.RandomHorizontalFlip(), T.RandomVerticalFlip()], generator=rng)])
    assert len({np.asarray(pipeline(Image.fromarray(rgb))).tobytes() for _ in range(30)}) > 3


def test_cifar_training_pipeline_on_pil_images():
    """The usual CIFAR recipe: PIL in, a normalised float Tensor (3, 32, 32) out."""
    image = Image.fromarray(_rgb(7, (32, 32)))
    pipeline = T.Compose([T.RandomCrop(32, padding=4, padding_mode="reflect"), T.RandomHorizontalFlip(),
                          T.ToTensor(), T.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))])
    out = pipeline(image)
    assert out.shape == (3, 32, 32) and out.dtype == np.float32
    assert math.isfinite(float(out.numpy().sum()))
    assert isinstance(T.ToPILImage()(T.PILToTensor()(image)), Image.Image)
    five = T.TenCrop(16)(image)
    assert len(five) == 10 and all(crop.size == (16, 16) for crop in five)
    np.testing.assert_array_equal(np.asarray(five[5]), np.asarray(F.hflip(five[1])))  # mirror's top-left
