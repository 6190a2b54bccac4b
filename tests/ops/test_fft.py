"""glassgrad.fft (glassgrad/fft/): every transform's values and gradients against torch (recorded) over
``n``/``s``, ``dim`` and the three norms, float64 gradchecks perturbing real and imaginary parts, the
adjoint identities of docs/derivations/fft.md, the frequencies and shifts, and torch's errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad
from tests.helpers.complex_oracle import compare_complex_with_torch

NORMS = [None, "ortho", "forward"]
ONE_D_COMPLEX_IN = ["fft", "ifft", "hfft", "irfft"]
ONE_D_REAL_IN = ["rfft", "ihfft"]
N_D_COMPLEX_IN = ["fft2", "ifft2", "fftn", "ifftn", "hfft2", "irfft2", "hfftn", "irfftn"]
N_D_REAL_IN = ["rfft2", "ihfft2", "rfftn", "ihfftn"]


def _complex(rng, *shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def _by_name(name, **kwargs):
    """The same call on glassgrad.fft and torch.fft."""
    return (lambda lib: lambda x: getattr(lib.fft, name)(x, **kwargs))


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 3, 8])
def test_one_dimensional_transforms_match_torch(rng, torch, n, norm):
    for name in ONE_D_COMPLEX_IN:
        call = _by_name(name, n=n, dim=0, norm=norm)
        compare_complex_with_torch(call(glassgrad), call(torch), [_complex(rng, 5, 2)], torch)
    for name in ONE_D_REAL_IN + ONE_D_COMPLEX_IN:  # a real input to a complex transform: its gradient is real
        call = _by_name(name, n=n, norm=norm)
        compare_complex_with_torch(call(glassgrad), call(torch), [rng.standard_normal((2, 5))], torch)


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("s", [None, (3, 4), (6, -1), (3, 7)])
def test_n_dimensional_transforms_match_torch(rng, torch, s, norm):
    for name in N_D_COMPLEX_IN:
        call = _by_name(name, s=s, norm=norm)
        compare_complex_with_torch(call(glassgrad), call(torch), [_complex(rng, 2, 4, 5)], torch)
    for name in N_D_REAL_IN:
        call = _by_name(name, s=s, norm=norm)
        compare_complex_with_torch(call(glassgrad), call(torch), [rng.standard_normal((2, 4, 5))], torch)


def test_chosen_dims_and_dtypes_match_torch(rng, torch):
    for name, dims, array in [
            ("fftn", (0, 2), _complex(rng, 2, 3, 4)), ("rfftn", (2, 0), rng.standard_normal((2, 3, 4))),
            ("irfftn", (2, 0), _complex(rng, 2, 3, 4)), ("ifftn", [-1], _complex(rng, 3, 4))]:
        call = _by_name(name, dim=dims)
        compare_complex_with_torch(call(glassgrad), call(torch), [array], torch)
    for name in ("fft", "rfft", "ihfft", "irfft", "hfft"):  # float32 -> complex64, and complex64 -> float32
        compare_complex_with_torch(getattr(glassgrad.fft, name), getattr(torch.fft, name),
                                   [rng.standard_normal(6).astype(np.float32)], torch)
    compare_complex_with_torch(glassgrad.fft.irfft, torch.fft.irfft, [_complex(rng, 4).astype(np.complex64)], torch)
    for name in ("fft", "rfft"):  # integers: the default float / complex dtype, no gradient
        compare_complex_with_torch(getattr(glassgrad.fft, name), getattr(torch.fft, name), [np.arange(6)], torch)


def test_frequencies_and_shifts_match_torch(rng, torch):
    for n in (1, 4, 5):
        for d in (1.0, 0.1):
            np.testing.assert_allclose(glassgrad.fft.fftfreq(n, d).numpy(), torch.fft.fftfreq(n, d).numpy())
            np.testing.assert_allclose(glassgrad.fft.rfftfreq(n, d).numpy(), torch.fft.rfftfreq(n, d).numpy())
    assert glassgrad.fft.fftfreq(4, dtype=glassgrad.float64).dtype == glassgrad.float64
    z = _complex(rng, 5, 4)
    compare_complex_with_torch(glassgrad.fft.fftshift, torch.fft.fftshift, [z], torch)
    compare_complex_with_torch(lambda x: glassgrad.fft.ifftshift(x, dim=0), lambda x: torch.fft.ifftshift(x, dim=0),
                               [z], torch)
    x = glassgrad.tensor(z)
    assert np.array_equal(glassgrad.fft.ifftshift(glassgrad.fft.fftshift(x)).numpy(), z)


@pytest.mark.parametrize("norm", NORMS)
def test_gradcheck_every_transform(rng, norm):
    cases = [(name, {"n": n}, _complex(rng, 5)) for name in ONE_D_COMPLEX_IN for n in (None, 3, 7)]
    cases += [(name, {"n": n}, rng.standard_normal(5)) for name in ONE_D_REAL_IN for n in (None, 4, 7)]
    cases += [(name, {"s": (3, 4)}, _complex(rng, 3, 3)) for name in N_D_COMPLEX_IN]
    cases += [(name, {"s": (2, 5)}, rng.standard_normal((3, 4))) for name in N_D_REAL_IN]
    for name, sizes, array in cases:
        transform = _by_name(name, norm=norm, **sizes)(glassgrad)
        assert glassgrad.gradcheck(transform, [glassgrad.tensor(array, requires_grad=True)]), (name, sizes)


def _inner(a, b):
    """The real inner product <a, b> = Re sum conj(a) b of docs/derivations/fft.md."""
    return float(np.sum(np.conj(a) * b).real)


def test_adjoint_identities_of_the_derivation_page(rng):
    """<fft(x), g> = <x, n ifft(g)>; <rfft(x), g> = <x, irfft(h, n, norm="forward")> with h = g whose entries
    1 .. ceil(n/2)-1 are halved; <irfft(X), g> = <X, c rfft(g) / n> with c = 2 for those entries, else 1."""
    for n in (6, 7):
        x, g = _complex(rng, n), _complex(rng, n)
        assert _inner(np.fft.fft(x), g) == pytest.approx(_inner(x, n * np.fft.ifft(g)))
        real, half = rng.standard_normal(n), _complex(rng, n // 2 + 1)
        h = half.copy()
        h[1:(n + 1) // 2] /= 2
        assert _inner(np.fft.rfft(real), half) == pytest.approx(_inner(real, np.fft.irfft(h, n, norm="forward")))
        signal = rng.standard_normal(n)
        counts = np.ones(n // 2 + 1)
        counts[1:(n + 1) // 2] = 2
        assert _inner(np.fft.irfft(half, n), signal) == pytest.approx(_inner(half, counts * np.fft.rfft(signal) / n))
        # and the op's backward is that adjoint
        t = glassgrad.tensor(real, requires_grad=True)
        weights = glassgrad.tensor(np.stack([half.real, half.imag], -1))
        (glassgrad.view_as_real(glassgrad.fft.rfft(t)) * weights).sum().backward()
        np.testing.assert_allclose(t.grad.numpy(), np.fft.irfft(h, n, norm="forward"))


def test_bad_input_raises_torch_errors():
    z = glassgrad.tensor([1 + 1j, 2, 3, 4j])
    with pytest.raises(RuntimeError, match="rfft expects a real input tensor, but got ComplexFloat"):
        glassgrad.fft.rfft(z)
    with pytest.raises(RuntimeError, match=r"Invalid number of data points \(0\) specified"):
        glassgrad.fft.irfft(glassgrad.tensor([1j]))  # default n = 2 (1 - 1) = 0
    with pytest.raises(RuntimeError, match=r"Invalid number of data points \(0\) specified"):
        glassgrad.fft.fft(z, n=0)
    with pytest.raises(RuntimeError, match='Invalid normalization mode: "foo"'):
        glassgrad.fft.fft(z, norm="foo")
    with pytest.raises(RuntimeError, match="FFT dims must be unique"):
        glassgrad.fft.fftn(z.reshape(2, 2), dim=(0, 0))
    with pytest.raises(RuntimeError, match="same length"):
        glassgrad.fft.fftn(z.reshape(2, 2), s=(2,), dim=(0, 1))
    with pytest.raises(IndexError, match="Dimension out of range"):
        glassgrad.fft.fft(z, dim=3)
    # an odd output length is allowed, as in torch: it must be asked for, the default is even
    assert glassgrad.fft.irfft(z, n=5).shape == (5,) and glassgrad.fft.irfft(z).shape == (6,)


def _stft_cases(rng):
    """(name, call on a library, inputs) for stft and istft, torch's spectra made by the test itself."""
    x, window = rng.standard_normal((2, 30)), np.hanning(8) + 0.1
    signal = x[0] + 1j * x[1]

    def spectrum(values, **options):
        from numpy.lib.stride_tricks import sliding_window_view

        padded = np.pad(values, 4, mode="reflect")  # centre, as stft's default, then frames two samples apart
        frames = sliding_window_view(padded, 8)[::2] * options.get("window", np.ones(8))
        return (np.fft.fft(frames, axis=-1) if options.get("twosided") else np.fft.rfft(frames, axis=-1)).T

    return [
        ("stft", lambda lib: lambda s: lib.stft(s, 8, return_complex=True), [x]),
        ("stft window", lambda lib: lambda s, w: lib.stft(s, 8, 3, 6, w, return_complex=True), [x[0], np.hanning(6)]),
        ("stft no centre", lambda lib: lambda s, w: lib.stft(s, 8, 2, window=w, center=False, normalized=True,
                                                              return_complex=True), [x, window]),
        ("stft constant pad", lambda lib: lambda s: lib.stft(s, 8, 2, pad_mode="constant", return_complex=True), [x]),
        ("stft two-sided", lambda lib: lambda s: lib.stft(s, 8, 2, onesided=False, return_complex=True), [x[0]]),
        ("stft complex", lambda lib: lambda s: lib.stft(s, 8, 2, return_complex=True), [signal]),
        ("istft", lambda lib: lambda z, w: lib.istft(z, 8, 2, window=w), [spectrum(x[0], window=window), window]),
        ("istft length", lambda lib: lambda z: lib.istft(z, 8, 2, length=25), [spectrum(x[0])]),
        ("istft longer", lambda lib: lambda z: lib.istft(z, 8, 2, length=40), [spectrum(x[0])]),
        ("istft two-sided", lambda lib: lambda z: lib.istft(z, 8, 2, onesided=False), [spectrum(x[0], twosided=True)]),
        ("istft complex", lambda lib: lambda z: lib.istft(z, 8, 2, onesided=False, return_complex=True),
         [spectrum(signal, twosided=True)]),
    ]


def test_stft_and_istft_match_torch(rng, torch):
    for _name, call, inputs in _stft_cases(rng):
        with warnings.catch_warnings():  # both warn that a missing window is a rectangular one
            warnings.simplefilter("ignore", UserWarning)
            compare_complex_with_torch(call(glassgrad), call(torch), inputs, torch)


def test_istft_inverts_stft_and_gradchecks(rng):
    x, window = rng.standard_normal(30), glassgrad.tensor(np.hanning(8) + 0.1)
    spectrum = glassgrad.stft(glassgrad.tensor(x), 8, 2, window=window, return_complex=True)
    back = glassgrad.istft(spectrum, 8, 2, window=window, length=30)
    np.testing.assert_allclose(back.numpy(), x, atol=1e-12)
    assert glassgrad.gradcheck(lambda s, w: glassgrad.stft(s, 8, 3, window=w, return_complex=True),
                               [glassgrad.tensor(x[:20], requires_grad=True), window.detach().requires_grad_()])
    assert glassgrad.gradcheck(lambda z: glassgrad.istft(z, 8, 2, window=window), [spectrum.detach().requires_grad_()])


def test_stft_bad_input_raises_torch_errors():
    x = glassgrad.ones(20)
    with pytest.raises(RuntimeError, match="return_complex parameter be given"):
        glassgrad.stft(x, 8)
    with pytest.warns(UserWarning, match="rectangular window"):
        glassgrad.stft(x, 8, return_complex=True)
    with pytest.raises(RuntimeError, match="window with size"):
        glassgrad.stft(x, 8, window=glassgrad.ones(5), return_complex=True)
    spectrum = glassgrad.stft(x, 8, 2, window=glassgrad.ones(8), return_complex=True)
    with pytest.raises(RuntimeError, match="window overlap add min"):  # zeros where frames overlap: no inverse
        glassgrad.istft(spectrum, 8, 2, window=glassgrad.zeros(8))
    with pytest.raises(RuntimeError, match="complex-valued input"):
        glassgrad.istft(spectrum.real, 8, 2)
