"""The short-time Fourier transform and its inverse (torch.stft, torch.istft), as chains of differentiable ops.

stft: the signal (padded by n_fft // 2 on each side when ``center``) is cut into frames of n_fft samples,
hop_length apart (``Tensor.unfold``); each frame is multiplied by the window (zero-padded to n_fft, centred)
and transformed (``rfft`` for a real signal and window, one-sided; ``fft`` otherwise):

    X[f, t] = sum_k window[k] x[t hop + k] e^{-2 pi i f k / n_fft}        (times n_fft^-1/2 when ``normalized``)

istft inverts it by overlap-add: each frame's inverse transform is multiplied by the window again, the frames
are added at their positions (``index_add``), and the sum is divided by the overlap-added squared window

    x[n] = sum_t window[n - t hop] frame_t[n - t hop] / sum_t window[n - t hop]^2,

which is the least-squares inverse (it needs that denominator to be nonzero everywhere: torch's NOLA check).
The gradients come from the ops of the chain (the padding, unfold, the product, the transforms, index_add).
"""

from __future__ import annotations

import warnings
from typing import Any

from glassgrad import backend
from glassgrad.fft.functions import fft, ifft, irfft, rfft
from glassgrad.ops.complex_parts import view_as_real
from glassgrad.ops.indexing_select import index_add
from glassgrad.ops.movement_pad import pad
from glassgrad.tensor import Tensor, as_tensor


def _window(window: Any, n_fft: int, win_length: int | None, like: Tensor, warn: bool = False) -> Tensor:
    """The window as n_fft values: given (or rectangular, with torch's warning when ``warn``) over win_length,
    zero-padded on both sides."""
    win_length = n_fft if win_length is None else win_length
    if not 0 < win_length <= n_fft:
        raise RuntimeError(f"stft: expected 0 < win_length <= n_fft, but got win_length={win_length}")
    if window is None and warn:
        warnings.warn("A window was not provided. A rectangular window will be applied, which is known to cause "
                      "spectral leakage (torch warns the same; pass window=torch.ones(n_fft) to silence it)",
                      UserWarning, stacklevel=3)
    if window is None:
        window = Tensor._make(backend.xp.ones(win_length, dtype=like.real.dtype if like.is_complex() else like.dtype),
                              False)
    window = as_tensor(window)
    if window.ndim != 1 or window.shape[0] != win_length:
        raise RuntimeError(f"stft: expected a 1D window tensor of size equal to win_length={win_length}, but got "
                           f"window with size {list(window.shape)}")
    left = (n_fft - win_length) // 2
    return pad(window, [left, n_fft - win_length - left]) if win_length < n_fft else window


def stft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,  # noqa: A002
         window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect", normalized: bool = False,
         onesided: bool | None = None, return_complex: bool | None = None) -> Tensor:
    """The short-time Fourier transform (torch.stft): (L,) or (B, L) -> (n_freq, n_frames) or (B, n_freq,
    n_frames), complex."""
    x = as_tensor(input)
    if return_complex is None and (x.is_complex() or (window is not None and as_tensor(window).is_complex())):
        return_complex = True  # complex input: a complex answer, as torch
    if return_complex is None:
        raise RuntimeError("stft requires the return_complex parameter be given for real inputs, and will further "
                           "require that return_complex=True in a future PyTorch release.")
    if x.ndim not in (1, 2):
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {x.ndim}D")
    hop_length = n_fft // 4 if hop_length is None else hop_length
    if n_fft <= 0 or hop_length <= 0:
        raise RuntimeError(f"stft: expected n_fft > 0 and hop_length > 0, got n_fft={n_fft}, hop_length={hop_length}")
    w = _window(window, n_fft, win_length, x, warn=True)
    if center:
        half = n_fft // 2
        x = pad(x[None] if x.ndim == 1 else x, [half, half], mode=pad_mode)[0 if x.ndim == 1 else slice(None)]
    if not 0 < n_fft <= x.shape[-1]:
        raise RuntimeError(f"stft: expected 0 < n_fft <= {x.shape[-1]}, but got n_fft={n_fft}")
    frames = x.unfold(-1, n_fft, hop_length) * w  # (..., n_frames, n_fft)
    real = not x.is_complex() and not w.is_complex()
    onesided = real if onesided is None else onesided
    if onesided and not real:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    norm = "ortho" if normalized else "backward"
    spectrum = (rfft if onesided else fft)(frames, dim=-1, norm=norm).transpose(-1, -2)
    if not return_complex:
        warnings.warn("stft with return_complex=False is deprecated: use return_complex=True and view_as_real",
                      UserWarning, stacklevel=2)
        return view_as_real(spectrum)
    return spectrum


def istft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,  # noqa: A002
          window: Tensor | None = None, center: bool = True, normalized: bool = False, onesided: bool | None = None,
          length: int | None = None, return_complex: bool = False) -> Tensor:
    """The inverse short-time Fourier transform by overlap-add (torch.istft): (n_freq, n_frames) or (B, n_freq,
    n_frames) complex -> (L,) or (B, L)."""
    spectrum = as_tensor(input)
    if not spectrum.is_complex():
        raise RuntimeError("istft requires a complex-valued input tensor")
    if spectrum.ndim not in (2, 3):
        raise RuntimeError(f"istft: expected a 2D or 3D complex tensor, but got {spectrum.ndim}D")
    hop_length = n_fft // 4 if hop_length is None else hop_length
    w = _window(window, n_fft, win_length, spectrum, warn=True)
    n_freq, n_frames = spectrum.shape[-2], spectrum.shape[-1]
    onesided = n_freq != n_fft if onesided is None else onesided
    if onesided and n_freq != n_fft // 2 + 1:
        raise RuntimeError(f"istft: expected the frequency dimension (3rd to the last) of the input tensor to match "
                           f"n_fft / 2 + 1 when onesided=True, but got {n_freq}")
    norm = "ortho" if normalized else "backward"
    columns = spectrum.transpose(-1, -2)  # (..., n_frames, n_freq)
    if onesided and return_complex:
        raise RuntimeError("istft: cannot have onesided output if the output is complex")
    if return_complex:
        frames = ifft(columns, n=n_fft, dim=-1, norm=norm)
    else:  # a real signal: its spectrum's first half says it all (torch reads only that half, as here)
        frames = irfft(columns[..., : n_fft // 2 + 1], n=n_fft, dim=-1, norm=norm)
    frames = frames * w  # (..., n_frames, n_fft)
    signal = _overlap_add(frames, hop_length)
    envelope = _overlap_add((w * w.conj()).real.expand(n_frames, n_fft), hop_length)  # sum_t window[n - t hop]^2
    total = signal.shape[-1]
    start = n_fft // 2 if center else 0
    end = total - (n_fft // 2 if center else 0) if length is None else start + length
    covered = min(end, total)
    envelope = envelope[start:covered]
    if envelope.numel() and backend.xp.abs(envelope.array).min() < 1e-11:
        raise RuntimeError("istft: window overlap add min: the window's squares overlap-added are zero somewhere "
                           "(the NOLA condition fails); use a window and hop_length whose frames overlap")
    signal = signal[..., start:covered] / envelope
    return pad(signal, [0, end - covered]) if end > covered else signal  # beyond the frames: zeros, as torch


def _overlap_add(frames: Tensor, hop_length: int) -> Tensor:
    """(..., n_frames, n_fft) -> (..., n_fft + hop (n_frames - 1)): each frame added at t * hop (index_add)."""
    xp = backend.xp
    n_frames, n_fft = frames.shape[-2], frames.shape[-1]
    positions = (xp.arange(n_frames)[:, None] * hop_length + xp.arange(n_fft)[None, :]).reshape(-1)
    flat = frames.reshape(*frames.shape[:-2], n_frames * n_fft)
    zeros = Tensor._make(xp.zeros(flat.shape[:-1] + (n_fft + hop_length * (n_frames - 1),), dtype=flat.dtype), False)
    return index_add(zeros, -1, Tensor._make(positions, False), flat)
