"""The GAN experiments' helpers: the CNN digit judge and its real-digit reference, the generator's
weight average, and the DCGenerator's upsample-and-convolve doubling."""

import numpy as np
import pytest

import glassgrad as gg
from glassgrad_experiments.common.digit_judge import (
    calibration,
    judge_against_real,
    not_digits,
    train_judge_cnn,
    verdict,
    with_speckle,
)
from glassgrad_experiments.common.gan import DCGenerator
from glassgrad_experiments.common.weight_average import WeightAverage


def _bars(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Ten 'digits': class k is a bright horizontal bar at rows 2 + 2k, 3 + 2k, with a little noise."""
    labels = rng.integers(0, 10, n)
    images = rng.uniform(0.0, 0.1, size=(n, 1, 28, 28)).astype(np.float32)
    for i, k in enumerate(labels):
        images[i, 0, 2 + 2 * k:4 + 2 * k, 4:24] = 1.0
    return images, labels


@pytest.fixture(scope="module")
def trained_judge():
    rng = np.random.default_rng(0)
    x, y = _bars(640, rng)
    return train_judge_cnn(x, y, rng, epochs=2), _bars(200, rng)


def test_judge_learns_the_classes_and_the_reference_is_the_real_digits(trained_judge):
    judge, (real, labels) = trained_judge
    same = judge_against_real(judge, real.copy(), real, labels)
    assert same["judge_test_accuracy"] > 0.95
    assert same["real_confident_share"] > 0.8
    assert same["legibility_ratio"] == pytest.approx(1.0)  # samples indistinguishable from the real digits
    assert same["classes_present"] == same["real_classes_present"] == 10


def test_judge_ranks_blank_and_one_class_samples_below_real_digits(trained_judge):
    judge, (real, labels) = trained_judge
    blank = np.zeros_like(real)
    assert judge_against_real(judge, blank, real, labels)["legibility_ratio"] < 0.5
    one_class = real[labels == 3]  # a collapsed generator: legible, but one class only
    collapsed = judge_against_real(judge, one_class, real, labels)
    assert collapsed["classes_present"] == 1 and collapsed["class_counts"][3] == len(one_class)
    counts = verdict(judge, real)
    assert sum(counts["class_counts"]) == len(real)
    assert 0.0 < counts["mean_confidence"] <= 1.0


def test_judge_calls_pixel_noise_not_a_digit(trained_judge):
    judge, (real, labels) = trained_judge
    noise = np.random.default_rng(2).uniform(size=real.shape).astype(np.float32)
    on_noise = judge_against_real(judge, noise, real, labels)
    assert on_noise["not_a_digit_share"] > 0.9 and on_noise["confident_share"] < 0.05
    assert judge_against_real(judge, real, real, labels)["not_a_digit_share"] < 0.05


def test_not_digits_and_speckle_keep_the_images_shape_and_range():
    rng = np.random.default_rng(0)
    x, _ = _bars(20, rng)
    negatives = not_digits(x, 7, rng)
    assert negatives.shape == (7, 1, 28, 28) and negatives.dtype == np.float32
    assert negatives.min() >= 0.0 and negatives.max() <= 1.0
    speckled = with_speckle(x, rng, share=1.0)
    assert speckled.shape == x.shape and speckled.min() >= 0.0 and speckled.max() <= 1.0
    assert not np.array_equal(speckled, x)
    np.testing.assert_array_equal(with_speckle(x, rng, share=0.0), x)


def test_calibration_puts_noisy_digits_above_blank_images(trained_judge):
    judge, (real, _) = trained_judge
    ratios = calibration(judge, real, np.random.default_rng(1), noise=0.1)
    assert ratios["noisy_real_ratio"] > 0.8
    assert 0.0 <= ratios["flipped_real_ratio"] < 1.0  # the bars swap rows when flipped: other labels


def test_weight_average_trails_the_weights():
    rng = np.random.default_rng(0)
    model = gg.nn.Sequential(gg.nn.Linear(3, 2, rng=rng), gg.nn.BatchNorm1d(2))
    average = WeightAverage(model, decay=0.75)
    before = model[0].weight.detach().numpy().copy()
    with gg.no_grad():
        model[0].weight.add_(4.0)
    average.update()
    np.testing.assert_allclose(average.average[0].weight.numpy(), before + (1 - 0.75) * 4.0, rtol=1e-6)
    assert not any(p.requires_grad for p in average.average.parameters())
    with pytest.raises(ValueError, match="decay"):
        WeightAverage(model, decay=1.0)


def test_weight_average_measures_its_own_batch_norm_statistics():
    rng = np.random.default_rng(0)
    model = gg.nn.Sequential(gg.nn.Linear(3, 2, rng=rng), gg.nn.BatchNorm1d(2))
    average = WeightAverage(model, decay=0.5)
    with gg.no_grad():
        model[0].bias.add_(6.0)
    average.update()  # the average's bias moved by 3: its activations' mean moved by 3, not 6
    batches = [rng.standard_normal((4, 3)).astype(np.float32) for _ in range(3)]
    average.refresh_batch_norm(gg.tensor(b) for b in batches)
    with gg.no_grad():
        hidden = np.concatenate([average.average[0](gg.tensor(b)).numpy() for b in batches])
    np.testing.assert_allclose(average.average[1].running_mean.numpy(), hidden.mean(0), rtol=1e-5, atol=1e-6)
    assert average.average[1].momentum == 0.1 and average.average.training  # both as they were


def test_dcgenerator_nearest_upsampling_makes_28_by_28_images():
    rng = np.random.default_rng(0)
    gen = DCGenerator(8, 4, rng, upsample="nearest")
    out = gen(gg.tensor(rng.standard_normal((3, 8)).astype(np.float32)))
    assert out.shape == (3, 1, 28, 28) and float(out.abs().max()) <= 1.0
    with pytest.raises(ValueError, match="upsample"):
        DCGenerator(8, 4, rng, upsample="bilinear-ish")
