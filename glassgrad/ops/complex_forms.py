"""The one list of ops that take complex tensors (``glassgrad/complex_math.py`` reads it).

Three kinds of op:

1. **Real-linear ops with real coefficients** (add, sub, neg, sum, mean, cumsum, reshape, permute, expand,
   unfold, indexing, gather, index_select, index_add, masked_fill, repeat, cat, flip, roll, clone, pad ...).
   Their backward is the transpose of a real matrix, and applied to dL/dx + i dL/dy it acts on the two
   parts separately: it is right for complex numbers as written. They are *accepted*.
2. **Holomorphic ops** w = f(z) (mul, div, matmul, outer, einsum, exp, log, sqrt, rsqrt, reciprocal, x ** p
   for a real p, sin, cos, sinh, cosh, tanh, linalg.inv, linalg.det, linalg.solve, kron, cross, vander). With
   torch's convention (docs/derivations/complex.md) the gradient is dL/dz = conj(f'(z)) g. Each
   real backward here computes f'(z) g from values it saved in forward; f has real Taylor
   coefficients, so conj(f'(z)) = f'(conj z): running the real backward on the *conjugates* of those
   values turns it into the complex one. :func:`conjugating` makes that twin (e.g. ``ComplexMul``:
   dL/da = g conj(b)). It saves what the real op saves and conjugates in backward, so it is twice
   differentiable as the real op is: with ``create_graph=True`` the saved values are the graph's
   tensors (glassgrad/autograd/higher_order.py), ``xp.conj`` records a ``Conj`` node, and the backward
   records conj(f'(z)) g as complex ops, whose own backward is this rule again.
3. **Ops with a real result or real parts** (abs, angle): their own classes in complex_parts.py.
4. **Ops written for complex numbers from the start** (fft's C2C and C2R, linalg.eig's EigFactor, and the
   decompositions and solvers whose one backward formula is written with conjugate transposes: svd, eigh,
   qr, cholesky, cholesky_solve, solve_triangular, lu, lu_solve, slogdet, pinv, matrix_exp,
   householder_product): accepted.

Every other op refuses complex input with a RuntimeError (complex_math.form_of). An op joins the lists
only with a test against torch: its forward must also be right on complex input (sigmoid's is not: its
forward drops the imaginary part, so it stays refused).
"""

from __future__ import annotations

import copy
from typing import Any

from glassgrad import backend, complex_math
from glassgrad.fft.transforms import C2C, C2R
from glassgrad.op import Context
from glassgrad.ops.activation import Tanh
from glassgrad.ops.compare import Cast
from glassgrad.ops.complex_identities import Angle
from glassgrad.ops.complex_parts import ComplexAbs, ComplexAngle, Conj, Imag, Real, ViewAsComplex, ViewAsReal
from glassgrad.ops.copy import Clone
from glassgrad.ops.einsum import Einsum
from glassgrad.ops.elementwise import Abs, Add, Div, Exp, Log, Mul, Neg, Sqrt, Sub, Where
from glassgrad.ops.indexing import GetItem, WriteAt
from glassgrad.ops.indexing_scatter import Gather
from glassgrad.ops.indexing_select import IndexAdd, IndexSelect, MaskedFill
from glassgrad.ops.linalg import Kron, Outer
from glassgrad.ops.linalg_cholesky import CholeskyFactor, CholeskySolve, CholeskyUpperFactor
from glassgrad.ops.linalg_common import PhaseCheck
from glassgrad.ops.linalg_determinant import DeterminantSign, LogAbsDet
from glassgrad.ops.linalg_eig import EigFactor
from glassgrad.ops.linalg_eigen import EighFactor
from glassgrad.ops.linalg_householder import GeqrfFactor, HouseholderProduct
from glassgrad.ops.linalg_inverse import Det, Inverse, Solve
from glassgrad.ops.linalg_ldl import LdlFactor, LdlSolve
from glassgrad.ops.linalg_lu import LuFactor, LuPacked
from glassgrad.ops.linalg_lu_solve import LuSolve
from glassgrad.ops.linalg_matrix_functions import MatrixExp
from glassgrad.ops.linalg_pinv import PseudoInverse
from glassgrad.ops.linalg_qr import QrFactor, QrOnlyR
from glassgrad.ops.linalg_svd import SvdFactor
from glassgrad.ops.linalg_triangular import SolveTriangular
from glassgrad.ops.linalg_vectors import Cross, Vander
from glassgrad.ops.matmul import MatMul
from glassgrad.ops.movement import Expand, Permute, Reshape
from glassgrad.ops.movement_diag import Diagonal, Triangle
from glassgrad.ops.movement_join import Cat
from glassgrad.ops.movement_order import Flip, Repeat, RepeatInterleave, Roll, Unfold
from glassgrad.ops.movement_pad import ConstantPad, CopyPad
from glassgrad.ops.pointwise_math import Reciprocal, Rsqrt
from glassgrad.ops.pointwise_trig import Cos, Cosh, Sin, Sinh
from glassgrad.ops.power import PowScalar
from glassgrad.ops.reduce import Mean, Sum
from glassgrad.ops.scan import CumSum


def conjugating(op: type) -> type:
    """The complex twin of a holomorphic op: the same forward; the backward, the real one run on the
    conjugates of the saved values."""

    def forward(ctx: Context, *arrays: Any, **params: Any) -> Any:
        return complex_math.mark(op.forward(ctx, *arrays, **params))

    def backward(ctx: Context, grad: Any) -> Any:
        conjugated = copy.copy(ctx)
        conjugated.saved = tuple(None if saved is None else backend.xp.conj(saved) for saved in ctx.saved)
        return op.backward(conjugated, grad)

    twin = type(f"Complex{op.__name__}", (op,), {
        "forward": staticmethod(forward),
        "backward": staticmethod(backward),
        "__doc__": f"{op.__name__} on complex tensors: dL/dz = conj(f'(z)) g (the saved values conjugated).",
    })
    return twin


complex_math.accept(Real, Imag, Conj, ViewAsReal, ViewAsComplex, ComplexAbs, ComplexAngle)  # complex_parts.py
complex_math.accept(C2C, C2R)  # glassgrad/fft/transforms.py (R2C takes real input)
complex_math.accept(EigFactor)  # linalg.eig / eigvals: its backward is written for complex numbers (linalg_eig.py)
complex_math.accept(SvdFactor, EighFactor, QrFactor, QrOnlyR, CholeskyFactor, CholeskyUpperFactor, CholeskySolve,
                    SolveTriangular,
                    LogAbsDet, DeterminantSign, PseudoInverse, PhaseCheck, LuFactor, LuPacked, LuSolve,
                    MatrixExp, HouseholderProduct, GeqrfFactor,
                    LdlFactor, LdlSolve)  # written with A^H (ops/linalg_*.py; ldl: no derivative, as torch)
complex_math.accept(Add, Sub, Neg, Sum, Mean, Reshape, Permute, Expand, GetItem, WriteAt, Cat, Flip, Roll, Clone, Cast,
                    ConstantPad, Diagonal, Triangle, Where, Repeat, RepeatInterleave, IndexSelect, Gather, MaskedFill,
                    CumSum, Unfold, CopyPad, IndexAdd)
for _op in (Mul, Div, MatMul, Exp, Log, Sqrt, Sin, Cos, Sinh, Cosh, Tanh, Reciprocal, Rsqrt, PowScalar,
            Outer, Einsum, Inverse, Det, Solve, Kron, Cross, Vander):
    complex_math.register(_op, conjugating(_op))
complex_math.register(Abs, ComplexAbs)
complex_math.register(Angle, ComplexAngle)
