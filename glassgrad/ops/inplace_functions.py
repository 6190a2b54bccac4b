"""torch's module-level in-place functions: ``torch.exp_(x)`` is ``x.exp_()``.

torch has a function ``torch.X_`` for many of its in-place methods; each here calls the Tensor
method of the same name (glassgrad/methods/inplace.py, where the edit and its graph are handled)
and returns the edited tensor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_", "asin_",
    "asinh_", "atan_", "atanh_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "conj_physical_", "cos_",
    "cosh_", "deg2rad_", "detach_", "erf_", "erfc_", "exp2_", "exp_", "expm1_", "fill_", "fix_", "floor_", "frac_",
    "gcd_", "i0_", "index_put_", "lcm_", "ldexp_", "log10_", "log1p_", "log2_", "log_", "logit_", "nan_to_num_",
    "neg_", "negative_", "rad2deg_", "reciprocal_", "relu_", "resize_as_", "round_", "rsqrt_", "sigmoid_", "sin_",
    "sinc_", "sinh_", "sqrt_", "square_", "tan_", "tanh_", "trunc_", "xlogy_", "zero_",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _calls_method(name: str) -> Callable[..., Any]:
    """``torch.<name>(input, *args, **kwargs)`` as ``input.<name>(*args, **kwargs)``."""

    def function(input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        return getattr(input, name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``input.{name}(...)``: edits ``input`` in place and returns it (torch.{name})."
    return function


abs_ = _calls_method("abs_")
acos_ = _calls_method("acos_")
acosh_ = _calls_method("acosh_")
arccos_ = _calls_method("arccos_")
arccosh_ = _calls_method("arccosh_")
arcsin_ = _calls_method("arcsin_")
arcsinh_ = _calls_method("arcsinh_")
arctan_ = _calls_method("arctan_")
arctanh_ = _calls_method("arctanh_")
asin_ = _calls_method("asin_")
asinh_ = _calls_method("asinh_")
atan_ = _calls_method("atan_")
atanh_ = _calls_method("atanh_")
ceil_ = _calls_method("ceil_")
clamp_ = _calls_method("clamp_")
clamp_max_ = _calls_method("clamp_max_")
clamp_min_ = _calls_method("clamp_min_")
clip_ = _calls_method("clip_")
conj_physical_ = _calls_method("conj_physical_")
cos_ = _calls_method("cos_")
cosh_ = _calls_method("cosh_")
deg2rad_ = _calls_method("deg2rad_")
detach_ = _calls_method("detach_")
erf_ = _calls_method("erf_")
erfc_ = _calls_method("erfc_")
exp2_ = _calls_method("exp2_")
exp_ = _calls_method("exp_")
expm1_ = _calls_method("expm1_")
fill_ = _calls_method("fill_")
fix_ = _calls_method("fix_")
floor_ = _calls_method("floor_")
frac_ = _calls_method("frac_")
gcd_ = _calls_method("gcd_")
i0_ = _calls_method("i0_")
index_put_ = _calls_method("index_put_")
lcm_ = _calls_method("lcm_")
ldexp_ = _calls_method("ldexp_")
log10_ = _calls_method("log10_")
log1p_ = _calls_method("log1p_")
log2_ = _calls_method("log2_")
log_ = _calls_method("log_")
logit_ = _calls_method("logit_")
nan_to_num_ = _calls_method("nan_to_num_")
neg_ = _calls_method("neg_")
negative_ = _calls_method("negative_")
rad2deg_ = _calls_method("rad2deg_")
reciprocal_ = _calls_method("reciprocal_")
relu_ = _calls_method("relu_")
resize_as_ = _calls_method("resize_as_")
round_ = _calls_method("round_")
rsqrt_ = _calls_method("rsqrt_")
sigmoid_ = _calls_method("sigmoid_")
sin_ = _calls_method("sin_")
sinc_ = _calls_method("sinc_")
sinh_ = _calls_method("sinh_")
sqrt_ = _calls_method("sqrt_")
square_ = _calls_method("square_")
tan_ = _calls_method("tan_")
tanh_ = _calls_method("tanh_")
trunc_ = _calls_method("trunc_")
xlogy_ = _calls_method("xlogy_")
zero_ = _calls_method("zero_")
