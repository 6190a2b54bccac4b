"""Gradient clipping, kept here for ``glassgrad.optim.clip_grad_norm_``; it lives in ``glassgrad.nn.utils``
(torch's ``torch.nn.utils.clip_grad_norm_``), see ``glassgrad/nn/utils/clip_grad.py``."""

from glassgrad.nn.utils.clip_grad import clip_grad_norm_ as clip_grad_norm_
from glassgrad.nn.utils.clip_grad import clip_grad_value_ as clip_grad_value_
