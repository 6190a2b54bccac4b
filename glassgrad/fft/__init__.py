"""``torch.fft`` for glassgrad: discrete Fourier transforms with hand-written backward passes.

    import glassgrad as torch
    spectrum = torch.fft.rfft(signal)          # (..., n) real -> (..., n//2 + 1) complex
    signal = torch.fft.irfft(spectrum, n)      # and back

Every transform is one of three ops (transforms.py: C2C, R2C, C2R) or a chain of them
(functions.py); the backward of each is derived in docs/derivations/fft.md. ``n``, ``s``, ``dim`` and
``norm`` ("backward", "ortho", "forward") mean what they mean in torch.
"""

from glassgrad.fft.frequencies import fftfreq as fftfreq
from glassgrad.fft.frequencies import fftshift as fftshift
from glassgrad.fft.frequencies import ifftshift as ifftshift
from glassgrad.fft.frequencies import rfftfreq as rfftfreq
from glassgrad.fft.functions import fft as fft
from glassgrad.fft.functions import fft2 as fft2
from glassgrad.fft.functions import fftn as fftn
from glassgrad.fft.functions import hfft as hfft
from glassgrad.fft.functions import hfft2 as hfft2
from glassgrad.fft.functions import hfftn as hfftn
from glassgrad.fft.functions import ifft as ifft
from glassgrad.fft.functions import ifft2 as ifft2
from glassgrad.fft.functions import ifftn as ifftn
from glassgrad.fft.functions import ihfft as ihfft
from glassgrad.fft.functions import ihfft2 as ihfft2
from glassgrad.fft.functions import ihfftn as ihfftn
from glassgrad.fft.functions import irfft as irfft
from glassgrad.fft.functions import irfft2 as irfft2
from glassgrad.fft.functions import irfftn as irfftn
from glassgrad.fft.functions import rfft as rfft
from glassgrad.fft.functions import rfft2 as rfft2
from glassgrad.fft.functions import rfftn as rfftn
