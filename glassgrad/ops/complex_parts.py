"""A complex tensor's parts, and complex tensors made from parts.

For z = x + iy the gradient glassgrad (like torch) stores is

    z.grad = dL/dx + i dL/dy

for a real loss L (docs/derivations/complex.md). Every backward below follows from that one rule:
the gradient with respect to a part is the matching part of the gradient, and a complex gradient
flowing into a real input keeps its real part.

    real(z) = x                 dL/dz = g            (g real: the real part only)
    imag(z) = y                 dL/dz = i g
    conj(z) = x - iy            dL/dz = conj(g)
    complex(x, y) = x + iy      dL/dx = Re g,  dL/dy = Im g
    polar(r, t) = r e^{it}      dL/dr = Re(conj(e^{it}) g),  dL/dt = r Im(conj(e^{it}) g)
    abs(z) = |z|                dL/dz = g z / |z|            (0 at z = 0, as torch)
    angle(z) = atan2(y, x)      dL/dz = g i z / |z|^2        (0 at z = 0)
    view_as_real(z) = [x, y]    dL/dz = g[..., 0] + i g[..., 1]
    view_as_complex([x, y])     dL/d[x, y] = [Re g, Im g]

``real``, ``imag``, ``view_as_real`` and ``view_as_complex`` share memory with their input, as
torch's views do; ``conj`` is a copy (torch's is a lazy view with ``is_conj()`` True: glassgrad has
no lazy conjugation, so ``is_conj()`` stays False and the values are the same).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, complex_math, dtypes
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor

__all__ = ["complex", "imag", "polar", "view_as_complex", "view_as_real"]  # glassgrad/ops/families.py
TORCH_NAMES = ["complex", "imag", "polar", "view_as_complex", "view_as_real"]
FUNCTIONAL_NAMES: list[str] = []


def _complex_array(real: Any, imag: Any) -> Any:
    """real + i imag as one complex array (the dtype pairs the parts' float dtype); on Tensors (a
    backward recording its graph), the ``Complex`` op, so the result has a backward."""
    if isinstance(real, Tensor) or isinstance(imag, Tensor):
        return Complex.apply(as_tensor(real), as_tensor(imag))
    out = backend.xp.empty(real.shape, dtype=dtypes.complex_of(real.dtype))
    out.real, out.imag = real, imag
    return complex_math.mark(out)


class Real(Op):
    """x = Re z (a view);  dL/dz = g + 0i."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        return z.real

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _complex_array(grad, backend.xp.zeros_like(grad))


class Imag(Op):
    """y = Im z (a view);  dL/dz = 0 + i g."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        return z.imag

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _complex_array(backend.xp.zeros_like(grad), grad)


class Conj(Op):
    """w = conj z = x - iy;  dL/dz = conj(g) (the map is its own adjoint)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        return backend.xp.conj(z)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.conj(grad)


class Complex(Op):
    """z = x + iy from two real tensors;  dL/dx = Re g,  dL/dy = Im g."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, real: Any, imag: Any) -> Any:
        real, imag = backend.xp.broadcast_arrays(real, imag)
        return _complex_array(real, imag)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        return grad.real, grad.imag


class Polar(Op):
    """z = r e^{it};  dL/dr = Re(conj(e^{it}) g),  dL/dt = r Im(conj(e^{it}) g)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, r: Any, t: Any) -> Any:
        xp = backend.xp
        r, t = xp.broadcast_arrays(r, t)
        ctx.save_for_backward(r, t)
        return _complex_array(r * xp.cos(t), r * xp.sin(t))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        r, t = ctx.saved
        turned = xp.conj(_complex_array(xp.cos(t), xp.sin(t))) * grad  # conj(e^{it}) g
        return turned.real, r * turned.imag


class ComplexAbs(Op):
    """r = |z| (a real tensor);  dL/dz = g z / |z|, taken as 0 at z = 0."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        r = backend.xp.abs(z)
        ctx.save_for_backward(z, r)
        return r

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        z, r = ctx.saved
        at_zero = r == 0
        unit = xp.where(at_zero, 0, z / xp.where(at_zero, 1, r))  # (no 0/0, whose derivative would be NaN)
        return grad * unit


class ComplexAngle(Op):
    """t = atan2(y, x) (a real tensor);  dL/dz = g i z / |z|^2, taken as 0 at z = 0."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        ctx.save_for_backward(z)
        return backend.xp.angle(z)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        (z,) = ctx.saved
        square = (z * xp.conj(z)).real
        with xp.errstate(divide="ignore", invalid="ignore"):
            turn = xp.where(square == 0, 0, 1j * z / square)
        return (grad * turn).astype(z.dtype)


class ViewAsReal(Op):
    """[x, y] along a new last axis (a view);  dL/dz = g[..., 0] + i g[..., 1]."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        xp = backend.xp
        z = z if z.flags.c_contiguous or z.ndim == 0 else xp.ascontiguousarray(z)
        return z.reshape(z.shape + (1,)).view(dtypes.real_of(z.dtype))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _complex_array(grad[..., 0], grad[..., 1])


class ViewAsComplex(Op):
    """z = x[..., 0] + i x[..., 1] (a view of a last axis of size 2);  dL/dx = [Re g, Im g]."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return complex_math.mark(x.view(dtypes.complex_of(x.dtype))[..., 0])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.stack([grad.real, grad.imag], axis=-1)


def _require_complex(op: str, z: Tensor) -> None:
    if z.dtype.kind != "c":
        raise RuntimeError(f"{op} is only supported for complex tensors, got {z.dtype}")


def real_part(z: Tensor) -> Tensor:
    """Re z of a complex tensor, sharing its memory (torch.real)."""
    return Real.apply(z)


def imag(input: Tensor) -> Tensor:  # noqa: A002  (torch's argument name)
    """Im z of a complex tensor, sharing its memory (torch.imag); torch refuses real tensors."""
    z = as_tensor(input)
    if z.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return Imag.apply(z)


def conj_complex(z: Tensor) -> Tensor:
    """conj z of a complex tensor (a copy; see the module text)."""
    return Conj.apply(z)


def complex(real: Tensor, imag: Tensor) -> Tensor:  # noqa: A001  (torch's name)
    """real + i imag from two float tensors of one dtype (torch.complex): float32 gives complex64,
    float64 complex128."""
    real, imag = as_tensor(real), as_tensor(imag)
    for part in (real, imag):
        if part.dtype not in (dtypes.float32, dtypes.float64, dtypes.float16):
            raise RuntimeError(f"complex: Expected both inputs to be Half, Float or Double tensors but got "
                               f"{real.dtype} and {imag.dtype}")
    if real.dtype != imag.dtype:
        raise RuntimeError(f"complex: Expected object of scalar type {real.dtype} but got scalar type "
                           f"{imag.dtype} for second argument")
    return Complex.apply(real, imag)


def polar(abs: Tensor, angle: Tensor) -> Tensor:  # noqa: A002  (torch's argument names)
    """abs * (cos(angle) + i sin(angle)) (torch.polar): float32 gives complex64, float64 complex128."""
    r, t = as_tensor(abs), as_tensor(angle)
    if r.dtype != t.dtype or r.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError(f"polar: Expected both inputs to be Float or Double tensors of one dtype but got "
                           f"{r.dtype} and {t.dtype}")
    return Polar.apply(r, t)


def view_as_real(input: Tensor) -> Tensor:  # noqa: A002
    """A complex tensor of shape S as a real one of shape S + (2,): [real, imag] (torch.view_as_real)."""
    z = as_tensor(input)
    _require_complex("view_as_real", z)
    return ViewAsReal.apply(z)


def view_as_complex(input: Tensor) -> Tensor:  # noqa: A002
    """A float tensor whose last dimension has size 2 (and stride 1) as a complex one (torch.view_as_complex)."""
    x = as_tensor(input)
    if x.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError(f"view_as_complex is only supported for float and double tensors, but got a tensor "
                           f"of scalar type: {x.dtype}")
    if x.ndim == 0 or x.shape[-1] != 2:
        raise RuntimeError(f"Tensor must have a last dimension of size 2, got shape {tuple(x.shape)}")
    if x.array.strides[-1] != x.array.itemsize:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % (2 * x.array.itemsize) for s in x.array.strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    return ViewAsComplex.apply(x)
