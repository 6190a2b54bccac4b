"""torch's ``nn.utils``: gradient clipping, flat-vector views of the parameters, ``rnn.pad_sequence``."""

from glassgrad.nn.utils.clip_grad import clip_grad_norm as clip_grad_norm
from glassgrad.nn.utils.clip_grad import clip_grad_norm_ as clip_grad_norm_
from glassgrad.nn.utils.clip_grad import clip_grad_value_ as clip_grad_value_
from glassgrad.nn.utils.clip_grad import clip_grads_with_norm_ as clip_grads_with_norm_
from glassgrad.nn.utils.clip_grad import get_total_norm as get_total_norm
from glassgrad.nn.utils.convert_parameters import parameters_to_vector as parameters_to_vector
from glassgrad.nn.utils.convert_parameters import vector_to_parameters as vector_to_parameters
from glassgrad.nn.utils import rnn as rnn

__all__ = [
    "clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
    "parameters_to_vector", "rnn", "vector_to_parameters",
]

# --- autograd extras: weight normalization ---
from glassgrad.nn.utils.weight_norm import remove_weight_norm as remove_weight_norm  # noqa: E402
from glassgrad.nn.utils.weight_norm import weight_norm as weight_norm  # noqa: E402

__all__ += ["remove_weight_norm", "weight_norm"]
