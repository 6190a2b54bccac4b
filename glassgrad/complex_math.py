"""Which ops take complex tensors, and the error for those that do not yet.

A complex tensor reaching an op whose backward was written for real numbers would give a wrong
gradient (the derivative of ``a * b`` with respect to ``a`` is ``conj(b)`` for complex numbers,
see docs/derivations/complex.md), and NumPy would silently drop imaginary parts in some forwards.
So ``Op.apply`` asks :func:`form_of` for the op to run whenever one of its inputs is complex:

* an op listed with :func:`accept` (its backward is right for complex numbers as written: ``add``,
  ``reshape``, ``sum``, indexing ...) runs as it is;
* an op given a complex twin with :func:`register` (``Mul`` -> ``ComplexMul``, whose backward
  conjugates) runs the twin instead;
* any other op raises a ``RuntimeError`` naming the op: never a silently wrong result.

Both lists are filled in one place, ``glassgrad/ops/complex_forms.py``. Until the first complex
array is made, ``in_use`` is False and ``Op.apply`` skips the question (real programs pay nothing).
"""

from __future__ import annotations

from typing import Any

_FORMS: dict[type, type] = {}  # op class -> the class that computes it on complex inputs

# Set once a complex array is made (a factory, a cast, an op with a complex result): until then
# ``Op.apply`` skips the complex test.
in_use = False


def mark(array: Any) -> Any:
    """``array``, noting that complex numbers are in use when it is complex."""
    global in_use
    if not in_use and getattr(getattr(array, "dtype", None), "kind", "") == "c":
        in_use = True
    return array


def present(arrays: Any) -> bool:
    """True when one of ``arrays`` is complex."""
    return any(getattr(getattr(a, "dtype", None), "kind", "") == "c" for a in arrays)


def accept(*ops: type) -> None:
    """Let ``ops`` run on complex inputs as they are (their backward is right for complex numbers)."""
    for op in ops:
        _FORMS[op] = op


def register(op: type, complex_op: type) -> None:
    """Run ``complex_op`` in place of ``op`` when an input is complex."""
    _FORMS[op] = complex_op


def form_of(op: type) -> type:
    """The class that computes ``op`` on complex inputs; a RuntimeError when there is none."""
    form = _FORMS.get(op)
    if form is None:
        raise RuntimeError(
            f"{op.__name__}: complex tensors are not supported by this op in glassgrad yet (its gradient "
            "would be wrong for complex numbers). Work on the real and imaginary parts "
            "(z.real, z.imag, torch.view_as_real(z)) or see docs/pytorch.md for the ops that take complex input.")
    return form


def promote(a: Any, b: Any) -> Any:
    """torch.promote_types when one of two dtypes is complex: the wider complex dtype; a float meeting
    complex64 gives complex128 only when it is float64; an integer or bool takes the complex dtype."""
    import numpy

    from glassgrad.dtypes import complex64, complex128

    a, b = numpy.dtype(a), numpy.dtype(b)
    if a.kind == "c" and b.kind == "c":
        return a if a.itemsize >= b.itemsize else b
    z, other = (a, b) if a.kind == "c" else (b, a)
    if other.kind in "biu":
        return z
    return complex128 if complex128 in (z, other) or other == numpy.float64 else complex64


def pair_dtype(a: Any, a_has_dims: bool, b: Any, b_has_dims: bool) -> Any:
    """The dtype torch computes a binary op in when an operand is complex (its ``result_type``).

    Operands of one rank (both with dimensions, or both 0-d / numbers) meet in :func:`promote`.
    Otherwise the dimensioned operand leads: complex, it keeps its dtype; a float becomes its complex
    counterpart (float32 vector + complex128 0-d tensor is complex64); an integer or bool takes the
    complex dtype of the other."""
    from glassgrad.dtypes import complex_of

    if a_has_dims == b_has_dims:
        return promote(a, b)
    lead, other = (a, b) if a_has_dims else (b, a)
    if lead.kind == "c":
        return lead
    if lead.kind in "biu":
        return other if other.kind == "c" else lead
    return complex_of(lead) if other.kind == "c" else lead


def refuse_unordered(op: str, *tensors: Any) -> None:
    """Complex numbers have no order: an op that compares or sorts values refuses them, as torch
    (NumPy would order them by real part, then imaginary part, silently)."""
    for t in tensors:
        if getattr(getattr(t, "dtype", None), "kind", "") == "c":
            raise RuntimeError(f"{op}: complex numbers have no order, so {op} does not support complex input "
                               "(compare z.abs() or z.real instead)")
