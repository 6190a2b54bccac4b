"""torch.masked: reductions and normalisations over the elements a boolean mask keeps (strided
tensors; torch's MaskedTensor class is not here). See reductions.py for the rule they share."""

from glassgrad.masked.along_dim import cumprod as cumprod
from glassgrad.masked.along_dim import cumsum as cumsum
from glassgrad.masked.along_dim import log_softmax as log_softmax
from glassgrad.masked.along_dim import logaddexp as logaddexp
from glassgrad.masked.along_dim import normalize as normalize
from glassgrad.masked.along_dim import softmax as softmax
from glassgrad.masked.along_dim import softmin as softmin
from glassgrad.masked.reductions import amax as amax
from glassgrad.masked.reductions import amin as amin
from glassgrad.masked.reductions import argmax as argmax
from glassgrad.masked.reductions import argmin as argmin
from glassgrad.masked.reductions import logsumexp as logsumexp
from glassgrad.masked.reductions import mean as mean
from glassgrad.masked.reductions import median as median
from glassgrad.masked.reductions import norm as norm
from glassgrad.masked.reductions import prod as prod
from glassgrad.masked.reductions import std as std
from glassgrad.masked.reductions import sum as sum  # noqa: A004
from glassgrad.masked.reductions import var as var
