"""Element-wise math as Tensor methods: exp, log, sin, relu, clamp, bitwise ops, ...

Each method is a one-line delegation to the op of the same name in ``glassgrad.ops``
(where the math, the derivative and the dtype rules are documented).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import glassgrad
from glassgrad.ops.arguments import pick_dim

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


class PointwiseMethods:
    """Methods that act element by element."""

    # ----- arithmetic -------------------------------------------------------
    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return glassgrad.ops.add(self, other, alpha=alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return glassgrad.ops.sub(self, other, alpha=alpha)

    subtract = sub

    def mul(self, other: Any) -> Tensor:
        return glassgrad.ops.mul(self, other)

    multiply = mul

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        return glassgrad.ops.div(self, other, rounding_mode=rounding_mode)

    divide = div

    def true_divide(self, other: Any) -> Tensor:
        return glassgrad.ops.true_divide(self, other)

    def floor_divide(self, other: Any) -> Tensor:
        return glassgrad.ops.floor_divide(self, other)

    def remainder(self, other: Any) -> Tensor:
        return glassgrad.ops.remainder(self, other)

    def fmod(self, other: Any) -> Tensor:
        return glassgrad.ops.fmod(self, other)

    def neg(self) -> Tensor:
        return glassgrad.ops.neg(self)

    negative = neg

    def reciprocal(self) -> Tensor:
        return glassgrad.ops.reciprocal(self)

    def square(self) -> Tensor:
        return glassgrad.ops.square(self)

    def pow(self, exponent: Any) -> Tensor:
        return glassgrad.ops.pow(self, exponent)

    def lerp(self, end: Any, weight: Any) -> Tensor:
        return glassgrad.ops.lerp(self, end, weight)

    def hypot(self, other: Any) -> Tensor:
        return glassgrad.ops.hypot(self, other)

    def logaddexp(self, other: Any) -> Tensor:
        return glassgrad.ops.logaddexp(self, other)

    def xlogy(self, other: Any) -> Tensor:
        return glassgrad.ops.xlogy(self, other)

    # ----- exponentials, logarithms, roots --------------------------------------
    def exp(self) -> Tensor:
        return glassgrad.ops.exp(self)

    def exp2(self) -> Tensor:
        return glassgrad.ops.exp2(self)

    def expm1(self) -> Tensor:
        return glassgrad.ops.expm1(self)

    def log(self) -> Tensor:
        return glassgrad.ops.log(self)

    def log2(self) -> Tensor:
        return glassgrad.ops.log2(self)

    def log10(self) -> Tensor:
        return glassgrad.ops.log10(self)

    def log1p(self) -> Tensor:
        return glassgrad.ops.log1p(self)

    def sqrt(self) -> Tensor:
        return glassgrad.ops.sqrt(self)

    def rsqrt(self) -> Tensor:
        return glassgrad.ops.rsqrt(self)

    def erf(self) -> Tensor:
        return glassgrad.ops.erf(self)

    def erfc(self) -> Tensor:
        return glassgrad.ops.erfc(self)

    def erfinv(self) -> Tensor:
        return glassgrad.ops.erfinv(self)

    # ----- special functions (glassgrad/special/__init__.py has the rest) ---------
    def lgamma(self) -> Tensor:
        return glassgrad.ops.lgamma(self)

    def digamma(self) -> Tensor:
        return glassgrad.ops.digamma(self)

    def polygamma(self, n: int) -> Tensor:
        return glassgrad.ops.polygamma(n, self)

    def mvlgamma(self, p: int) -> Tensor:
        return glassgrad.ops.mvlgamma(self, p)

    def i0(self) -> Tensor:
        return glassgrad.ops.i0(self)

    def igamma(self, other: Any) -> Tensor:
        return glassgrad.ops.igamma(self, other)

    def igammac(self, other: Any) -> Tensor:
        return glassgrad.ops.igammac(self, other)

    # ----- trigonometric and hyperbolic -----------------------------------------
    def sin(self) -> Tensor:
        return glassgrad.ops.sin(self)

    def cos(self) -> Tensor:
        return glassgrad.ops.cos(self)

    def tan(self) -> Tensor:
        return glassgrad.ops.tan(self)

    def asin(self) -> Tensor:
        return glassgrad.ops.asin(self)

    def acos(self) -> Tensor:
        return glassgrad.ops.acos(self)

    def atan(self) -> Tensor:
        return glassgrad.ops.atan(self)

    def atan2(self, other: Any) -> Tensor:
        return glassgrad.ops.atan2(self, other)

    def sinh(self) -> Tensor:
        return glassgrad.ops.sinh(self)

    def cosh(self) -> Tensor:
        return glassgrad.ops.cosh(self)

    def asinh(self) -> Tensor:
        return glassgrad.ops.asinh(self)

    def acosh(self) -> Tensor:
        return glassgrad.ops.acosh(self)

    def atanh(self) -> Tensor:
        return glassgrad.ops.atanh(self)

    arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
    arcsinh, arccosh, arctanh = asinh, acosh, atanh

    # ----- signs and rounding ---------------------------------------------------
    def abs(self) -> Tensor:
        return glassgrad.ops.abs(self)

    def absolute(self) -> Tensor:
        return glassgrad.ops.abs(self)

    def sign(self) -> Tensor:
        return glassgrad.ops.sign(self)

    def sgn(self) -> Tensor:
        return glassgrad.ops.sgn(self)

    def signbit(self) -> Tensor:
        return glassgrad.ops.signbit(self)

    def floor(self) -> Tensor:
        return glassgrad.ops.floor(self)

    def ceil(self) -> Tensor:
        return glassgrad.ops.ceil(self)

    def round(self, *, decimals: int = 0) -> Tensor:
        return glassgrad.ops.round(self, decimals=decimals)

    def trunc(self) -> Tensor:
        return glassgrad.ops.trunc(self)

    fix = trunc

    def frac(self) -> Tensor:
        return glassgrad.ops.frac(self)

    # ----- bitwise and logical --------------------------------------------------
    def bitwise_and(self, other: Any) -> Tensor:
        return glassgrad.ops.bitwise_and(self, other)

    def bitwise_or(self, other: Any) -> Tensor:
        return glassgrad.ops.bitwise_or(self, other)

    def bitwise_xor(self, other: Any) -> Tensor:
        return glassgrad.ops.bitwise_xor(self, other)

    def bitwise_not(self) -> Tensor:
        return glassgrad.ops.bitwise_not(self)

    def bitwise_left_shift(self, other: Any) -> Tensor:
        return glassgrad.ops.bitwise_left_shift(self, other)

    def bitwise_right_shift(self, other: Any) -> Tensor:
        return glassgrad.ops.bitwise_right_shift(self, other)

    def logical_and(self, other: Any) -> Tensor:
        return glassgrad.ops.logical_and(self, other)

    def logical_or(self, other: Any) -> Tensor:
        return glassgrad.ops.logical_or(self, other)

    def logical_xor(self, other: Any) -> Tensor:
        return glassgrad.ops.logical_xor(self, other)

    def logical_not(self) -> Tensor:
        return glassgrad.ops.logical_not(self)

    # ----- activations ----------------------------------------------------------

    def relu(self) -> Tensor:
        return glassgrad.ops.relu(self)

    def sigmoid(self) -> Tensor:
        return glassgrad.ops.sigmoid(self)

    def tanh(self) -> Tensor:
        return glassgrad.ops.tanh(self)

    def hardshrink(self, lambd: float = 0.5) -> Tensor:
        return glassgrad.ops.hardshrink(self, lambd)

    def maximum(self, other: Any) -> Tensor:
        return glassgrad.ops.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        return glassgrad.ops.minimum(self, other)

    def fmax(self, other: Any) -> Tensor:
        return glassgrad.ops.fmax(self, other)

    def fmin(self, other: Any) -> Tensor:
        return glassgrad.ops.fmin(self, other)

    def softmax(self, dim: int | None = None, dtype: Any = None, *, axis: Any = None) -> Tensor:
        x = self if dtype is None else self.to(dtype)
        return glassgrad.ops.softmax(x, pick_dim(dim, axis, "softmax"))

    def log_softmax(self, dim: int | None = None, dtype: Any = None, *, axis: Any = None) -> Tensor:
        x = self if dtype is None else self.to(dtype)
        return glassgrad.ops.log_softmax(x, pick_dim(dim, axis, "log_softmax"))

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return glassgrad.ops.clip(self, min, max)

    clip = clamp

    def clamp_min(self, min: Any) -> Tensor:  # noqa: A002
        return glassgrad.ops.clip(self, min, None)

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002
        return glassgrad.ops.clip(self, None, max)

    # ----- fused products, float parts, log-odds, steps (ops/pointwise_multiply_add.py & co.) ----------
    def addcmul(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        return glassgrad.ops.addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        return glassgrad.ops.addcdiv(self, tensor1, tensor2, value=value)

    def copysign(self, other: Any) -> Tensor:
        return glassgrad.ops.copysign(self, other)

    def ldexp(self, other: Any) -> Tensor:
        return glassgrad.ops.ldexp(self, other)

    def frexp(self) -> Any:
        return glassgrad.ops.frexp(self)

    def nextafter(self, other: Any) -> Tensor:
        return glassgrad.ops.nextafter(self, other)

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> Tensor:
        return glassgrad.ops.nan_to_num(self, nan, posinf, neginf)

    def logit(self, eps: float | None = None) -> Tensor:
        return glassgrad.ops.logit(self, eps)

    def logaddexp2(self, other: Any) -> Tensor:
        return glassgrad.ops.logaddexp2(self, other)

    def float_power(self, exponent: Any) -> Tensor:
        return glassgrad.ops.float_power(self, exponent)

    def heaviside(self, values: Any) -> Tensor:
        return glassgrad.ops.heaviside(self, values)

    def sinc(self) -> Tensor:
        return glassgrad.ops.sinc(self)

    def deg2rad(self) -> Tensor:
        return glassgrad.ops.deg2rad(self)

    def rad2deg(self) -> Tensor:
        return glassgrad.ops.rad2deg(self)

    def gcd(self, other: Any) -> Tensor:
        return glassgrad.ops.gcd(self, other)

    def lcm(self, other: Any) -> Tensor:
        return glassgrad.ops.lcm(self, other)

    def positive(self) -> Tensor:
        return glassgrad.ops.positive(self)

    def isreal(self) -> Tensor:
        return glassgrad.ops.isreal(self)

    # ----- sampling with this tensor as the probabilities (glassgrad/random_tensors.py) -----------------
    def bernoulli(self, p: float | None = None, *, generator: Any = None) -> Tensor:
        return glassgrad.random_tensors.bernoulli(self, p, generator=generator)

    def multinomial(self, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
        return glassgrad.random_tensors.multinomial(self, num_samples, replacement, generator=generator)

    # ----- the complex-number ops on a real tensor (ops/complex_identities.py) -----------------------------
    @property
    def real(self) -> Tensor:
        return glassgrad.ops.real(self)

    @property
    def imag(self) -> Tensor:
        return glassgrad.ops.imag(self)

    def conj(self) -> Tensor:
        return glassgrad.ops.conj(self)

    def conj_physical(self) -> Tensor:
        return glassgrad.ops.conj_physical(self)

    def resolve_conj(self) -> Tensor:
        return glassgrad.ops.resolve_conj(self)

    def resolve_neg(self) -> Tensor:
        return glassgrad.ops.resolve_neg(self)

    def angle(self) -> Tensor:
        return glassgrad.ops.angle(self)

    def stft(self, n_fft: int, *args: Any, **kwargs: Any) -> Tensor:
        return glassgrad.stft(self, n_fft, *args, **kwargs)  # glassgrad/fft/short_time.py

    def istft(self, n_fft: int, *args: Any, **kwargs: Any) -> Tensor:
        return glassgrad.istft(self, n_fft, *args, **kwargs)

    def __rdiv__(self, other: Any) -> Tensor:
        return glassgrad.ops.div(other, self)
