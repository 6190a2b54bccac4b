"""torch.nn.modules.utils: the argument helpers custom layers import (defined in glassgrad/nn/arg_tuples.py)."""

from glassgrad.nn.arg_tuples import _ntuple as _ntuple
from glassgrad.nn.arg_tuples import _pair as _pair
from glassgrad.nn.arg_tuples import _quadruple as _quadruple
from glassgrad.nn.arg_tuples import _reverse_repeat_tuple as _reverse_repeat_tuple
from glassgrad.nn.arg_tuples import _single as _single
from glassgrad.nn.arg_tuples import _triple as _triple
from glassgrad.nn.arg_tuples import consume_prefix_in_state_dict_if_present as consume_prefix_in_state_dict_if_present

__all__ = ["consume_prefix_in_state_dict_if_present"]  # the _pair family is private in torch too
