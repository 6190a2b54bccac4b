"""What the decompositions and solvers of ``torch.linalg`` share: argument checks, torch's
``LinAlgError``, small array helpers, and ``Factor``, the op behind a decomposition's several outputs.

A decomposition (SVD, eigh, QR, Cholesky, LU) returns several tensors computed together. A glassgrad
``Op`` has one output, so each output is its own ``Factor`` op: the decomposition is computed
once, and every output tensor is a ``Factor`` of the input that hands back one of the arrays. Its
backward is the decomposition's backward with only that output's gradient (the others absent). This
is exact because a decomposition's backward is linear in the output gradients:

    backward(gU, gS, gVh) = backward(gU, -, -) + backward(-, gS, -) + backward(-, -, gVh)

and the engine sums the gradients the input receives from its three ``Factor`` nodes. An output that
does not reach the loss contributes nothing, as an undefined gradient does in torch.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor


class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a matrix the algorithm cannot factor (not positive-definite, singular,
    no convergence). A ``RuntimeError``, as in torch."""


def mT(a: Any) -> Any:  # noqa: N802  (torch's name for the matrix transpose)
    """The transpose of the last two axes."""
    return backend.xp.swapaxes(a, -1, -2)


def mH(a: Any) -> Any:  # noqa: N802  (torch's name for the conjugate transpose)
    """The conjugate transpose A^H of the last two axes: the adjoint that makes one backward formula serve
    real and complex matrices alike (for a real matrix it is the transpose, conj being the identity)."""
    return backend.xp.conj(mT(a)) if a.dtype.kind == "c" else mT(a)


def diag_embed(v: Any) -> Any:
    """(..., k) -> (..., k, k) with ``v`` on the diagonal."""
    return v[..., :, None] * backend.xp.eye(v.shape[-1], dtype=v.dtype)


def shape_text(a: Tensor) -> str:
    return " by ".join(str(n) for n in a.shape[-2:])


def check_matrix(op: str, A: Any, square: bool = False, complex_ok: bool = False) -> Tensor:  # noqa: N803
    """``A`` as a tensor of (batches of) float32/float64 matrices (and complex64/complex128 ones where
    ``complex_ok``: the op's backward is written for complex numbers), refused as torch refuses it."""
    a = as_tensor(A)
    if a.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor A must have at least 2 dimensions.")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are {shape_text(a)} matrices")
    check_float(op, a, complex_ok)
    return a


def check_float(op: str, a: Tensor, complex_ok: bool = False) -> None:
    """float32 and float64 only (and complex64/complex128 when ``complex_ok``): integers are refused as torch
    refuses them, float16/bfloat16 because LAPACK (and torch on the CPU) has no half-precision factorizations."""
    if complex_ok and a.dtype.kind == "c":
        return
    if a.dtype.kind != "f" or a.dtype.itemsize < 4:
        kind = "a floating point" if a.dtype.kind != "f" and str(a.dtype) != "bfloat16" else "a float32 or float64"
        raise RuntimeError(f"{op}: Expected {kind} tensor as input. Got {a.dtype}")


def check_finite(op: str, a: Any) -> None:
    """LAPACK's iterations do not converge on inf or NaN: torch's error for them."""
    if not bool(backend.xp.isfinite(a).all()):
        raise LinAlgError(f"{op}: The algorithm failed to converge because the input matrix contained "
                          "non-finite values.")


class PhaseLedger:
    """What a loss's gradient would do to the free phases of a complex decomposition's vectors.

    A column of an SVD's U (with the matching row of Vh) or of eigh's V can be multiplied by any e^{i phi}:
    a loss that depends on those phases has no gradient, which torch detects by Im diag(U^H gU + Vh gVh^H)
    (Im diag(V^H gV) for eigh) being away from 0. Each output of the decomposition is its own ``Factor``
    node and sees only its own gradient, so each adds its share here (``Factor.phase_share``), and
    ``PhaseCheck``, the node just before the decomposition, settles the sum once all shares are in.
    """

    def __init__(self, message: str) -> None:
        self.message = message
        self.total: Any = None

    def add(self, share: Any) -> None:
        share = share.array if isinstance(share, Tensor) else share
        self.total = share if self.total is None else self.total + share

    def settle(self) -> None:
        """torch's test (the imaginary parts near 0, to 1e-2), then an empty ledger for the next backward."""
        total, self.total = self.total, None
        if total is not None and not backend.xp.allclose(total, 0.0, rtol=1e-2, atol=1e-2):
            raise RuntimeError(self.message)


class PhaseCheck(Op):
    """The identity on A, placed before a complex decomposition with free phases: its backward runs after
    every output's ``Factor`` node has sent its gradient to A, and settles their ``PhaseLedger`` there."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, *, ledger: PhaseLedger) -> Any:
        ctx.ledger = ledger
        return a.copy()

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        ctx.ledger.settle()
        return grad


def batch_text(index: tuple[int, ...], batch_shape: tuple[int, ...]) -> str:
    """torch's prefix for an error in one matrix of a batch: ``(Batch element 3): ``."""
    if not batch_shape:
        return ""
    flat = 0
    for i, n in zip(index, batch_shape):
        flat = flat * n + i
    return f"(Batch element {flat}): "


def _has_gradient(factor: Any) -> bool:
    """A float or complex factor (eig's are complex) carries a gradient; an integer one (LU's pivots) none."""
    return backend.is_float(factor.dtype) or factor.dtype.kind == "c"


class Factor(Op):
    """One output of a decomposition computed once (see the module docstring).

    ``factors`` are every output's arrays; ``which`` picks this op's. A subclass names the
    decomposition's backward, ``rule(grads, factors, needs)`` with ``grads`` one entry per output
    (None but at ``which``); it returns the input's gradient. A complex decomposition whose vectors have
    free phases also passes a ``PhaseLedger`` (``ledger``), to which each node adds ``phase_share``.
    """

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    @staticmethod
    def phase_share(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        """This output's part of Im diag(V^H gV) (see ``PhaseLedger``); None where it has none."""
        return None

    @classmethod
    def outputs(cls, a: Tensor, factors: tuple[Any, ...], count: int | None = None,
                ledger: PhaseLedger | None = None) -> list[Tensor]:
        """The first ``count`` (all) factors as tensors, each carrying its share of the gradient."""
        return [cls.apply(a, factors=factors, which=i, ledger=ledger)
                for i in range(len(factors) if count is None else count)]

    @classmethod
    def forward(cls, ctx: Context, a: Any, *, factors: tuple[Any, ...], which: int,
                ledger: PhaseLedger | None = None) -> Any:
        # run again on A's Tensor by a backward that records its graph: the factors kept for ``rule`` are then
        # the decomposition's outputs as functions of A (Factor nodes), so the rule is differentiated through them
        kept = factors
        if isinstance(a, Tensor):
            kept = tuple(cls.apply(a, factors=factors, which=i, ledger=ledger) if _has_gradient(f) else f  # (LU's perm)
                         for i, f in enumerate(factors))
        ctx.save_for_backward(*kept)
        ctx.which, ctx.ledger = which, ledger
        return factors[which].copy()  # a copy: editing one output in place cannot change what the others saved

    @classmethod
    def backward(cls, ctx: Context, grad: Any) -> Any:
        grads: list[Any] = [None] * len(ctx.saved)
        grads[ctx.which] = grad
        if ctx.ledger is not None:
            share = cls.phase_share(grads, ctx.saved)
            if share is not None:
                ctx.ledger.add(share)
        return cls.rule(grads, ctx.saved)
