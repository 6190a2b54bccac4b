"""Einstein summation (``einsum``) and ``tensordot``, with a hand-written backward.

An equation names every axis of every operand with a letter:
``"ij,jk->ik"`` is a matrix product, ``"bij,bjk->bik"`` a batched one,
``"ii->"`` a trace, ``"...ij->...ji"`` a transpose of the last two axes.
Letters in the inputs but not in the output are summed over; without ``->``
the output is every letter seen exactly once, in alphabetical order, after
the ``...`` axes (torch's and NumPy's rule).

The backward: the output is linear in each operand, so

    d out / d X_i  contracts the upstream gradient with every OTHER operand,

that is ``dX_i = einsum("out, others -> letters of X_i", grad, *others)``.
Three details complete it:

* a letter that only X_i has (summed inside X_i, as ``j`` in ``"ij->i"``) does
  not appear on the right; the gradient is constant along it, so it is
  broadcast along that axis;
* a letter repeated in X_i (a diagonal, as in ``"ii->i"``) can't be an output
  letter of einsum; the gradient of the diagonal is computed and then placed on
  the diagonal by multiplying with an identity matrix;
* an axis of size 1 that X_i broadcast against a longer one is summed back.

Operands are broadcast to the full sizes before contracting, so forward and
backward see the same shapes.
"""

from __future__ import annotations

import string
from collections import Counter
from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["einsum", "inner", "tensordot"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []

LETTERS = string.ascii_letters  # the subscripts an equation may use: a-z and A-Z


def _fresh_letters(used: str, count: int, equation: str) -> str:
    free = [c for c in LETTERS if c not in used]
    if count > len(free):
        raise RuntimeError(f"einsum(): equation {equation!r} needs more than {len(LETTERS)} distinct subscripts")
    return "".join(free[:count])


def _check_term(term: str, equation: str, where: str) -> None:
    named = term.replace("...", "", 1)
    bad = [c for c in named if c not in LETTERS]
    if bad:
        raise RuntimeError(
            f"einsum(): invalid subscript {bad[0]!r} in {where} of {equation!r}; subscripts are letters a-z, A-Z"
            " and one '...'"
        )


def parse_equation(equation: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    """The subscripts of each operand and of the output, with ``...`` written out as letters.

    >>> parse_equation("...ij,jk", [(5, 2, 3), (3, 4)])
    (['aij', 'jk'], 'aik')
    """
    text = equation.replace(" ", "")
    if text.count("->") > 1:
        raise RuntimeError(f"einsum(): equation {equation!r} has more than one '->'")
    lhs, rhs = text.split("->") if "->" in text else (text, None)
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise RuntimeError(f"einsum(): equation {equation!r} names {len(terms)} operands but {len(shapes)} were given")
    for k, term in enumerate(terms):
        _check_term(term, equation, f"operand {k}")
    if rhs is not None:
        _check_term(rhs, equation, "the output")

    # the '...' axes: as many as the operand with the most of them has; aligned at the right
    ellipsis_ranks = []
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        named = len(term.replace("...", ""))
        if "..." in term:
            if named > len(shape):
                raise RuntimeError(
                    f"einsum(): operand {k} has {len(shape)} dims, fewer than the {named} subscripts in {term!r}"
                )
            ellipsis_ranks.append(len(shape) - named)
        elif named != len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in {term!r} ({named}) does not match the number of dimensions "
                f"({len(shape)}) of operand {k} of shape {shape}, and no ellipsis was given"
            )
    rank = max(ellipsis_ranks, default=0)
    ellipsis = _fresh_letters(text, rank, equation)

    inputs = [term.replace("...", ellipsis[rank - (len(shape) - len(term) + 3):]) if "..." in term else term
              for term, shape in zip(terms, shapes)]
    if rhs is None:  # implicit output: the '...' axes, then the letters seen once, sorted
        counts = Counter("".join(terms).replace(".", ""))
        output = ellipsis + "".join(sorted(c for c, n in counts.items() if n == 1))
    else:
        output = rhs.replace("...", ellipsis)
        seen = set("".join(inputs))
        for c in output:
            if c not in seen:
                raise RuntimeError(f"einsum(): output subscript {c} of {equation!r} does not appear in any operand")
            if output.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in {equation!r}")
    return inputs, output


def letter_sizes(inputs: list[str], shapes: list[tuple[int, ...]], equation: str) -> dict[str, int]:
    """The size of each letter: equal wherever it appears, or 1 (broadcast)."""
    sizes: dict[str, int] = {}
    for k, (term, shape) in enumerate(zip(inputs, shapes)):
        for c, n in zip(term, shape):
            if term.count(c) > 1 and n != shape[term.index(c)]:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {k} of shape {shape} but the sizes don't match"
                )
            old = sizes.get(c)
            if old is None or old == 1:
                sizes[c] = n
            elif n not in (1, old):
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {k} of shape {shape}, which does not broadcast "
                    f"with the size {old} seen before (equation {equation!r})"
                )
    for k, (term, shape) in enumerate(zip(inputs, shapes)):
        for c, n in zip(term, shape):
            if term.count(c) > 1 and n != sizes[c]:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {k} of shape {shape} and would be broadcast "
                    f"to {sizes[c]}; broadcasting a diagonal is not supported"
                )
    return sizes


def _contract(inputs: list[str], output: str, arrays: list[Any]) -> Any:
    """NumPy's (or CuPy's) einsum. With two or more operands ``optimize=True`` lets it
    contract pairwise through BLAS (matmul speed, ~25x faster for attention-sized batches)."""
    spec = ",".join(inputs) + "->" + output
    return backend.xp.einsum(spec, *arrays, optimize=len(arrays) > 1)


class Einsum(Op):
    """out = einsum(equation, X_1, ..., X_n);  dX_i = einsum(out, X_j (j != i) -> X_i) (see the module text)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, *operands: Any, inputs: list[str], output: str, sizes: dict[str, int]) -> Any:
        ctx.save_for_backward(*operands)
        ctx.inputs, ctx.output, ctx.sizes = inputs, output, sizes
        full = [backend.xp.broadcast_to(x, tuple(sizes[c] for c in term)) for x, term in zip(operands, inputs)]
        out = _contract(inputs, output, full)
        # a contraction of several operands is a fresh contiguous tensor in torch (NumPy may hand back a
        # transposed view of its last product); one operand's permutation stays a view in both
        return out.copy() if len(operands) > 1 and not out.flags.c_contiguous else out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xp = backend.xp
        operands, inputs, output, sizes = ctx.saved, ctx.inputs, ctx.output, ctx.sizes
        full = [xp.broadcast_to(x, tuple(sizes[c] for c in term)) for x, term in zip(operands, inputs)]
        grads = []
        for i, term in enumerate(inputs):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            other_terms = [t for j, t in enumerate(inputs) if j != i]
            other_arrays = [x for j, x in enumerate(full) if j != i]
            reachable = set(output + "".join(other_terms))
            unique = "".join(dict.fromkeys(term))  # X_i's letters, each once, in order
            kept = "".join(c for c in unique if c in reachable)
            g = _contract([output, *other_terms], kept, [grad, *other_arrays])
            # letters summed inside X_i alone: the gradient is the same all along them
            g = g.reshape(tuple(sizes[c] if c in kept else 1 for c in unique))
            g = xp.broadcast_to(g, tuple(sizes[c] for c in unique))
            if len(unique) < len(term):
                g = _onto_diagonal(g, unique, term, sizes, "".join(inputs) + output)
            # size-1 axes of X_i that were broadcast: sum the gradient back onto them
            shape = operands[i].shape
            axes = tuple(k for k, c in enumerate(term) if shape[k] == 1 and sizes[c] != 1)
            grads.append(g.sum(axis=axes, keepdims=True) if axes else g)
        return tuple(grads)


def _onto_diagonal(g: Any, unique: str, term: str, sizes: dict[str, int], used: str) -> Any:
    """Spread ``g`` (indexed by ``unique``) onto the layout ``term`` with repeated letters.

    A second occurrence of letter i gets a fresh letter A and an identity matrix
    delta_iA, so that the result is g on the diagonal (i == A) and 0 elsewhere:
    for "ii", result[i, A] = g[i] * delta[i, A].
    """
    xp = backend.xp
    fresh = iter(_fresh_letters(used, len(term) - len(unique), term))
    layout, delta_terms, deltas = "", [], []
    for c in term:
        if c in layout:  # a repeat: a new letter, tied to c by an identity matrix
            new = next(fresh)
            layout += new
            delta_terms.append(c + new)
            deltas.append(xp.eye(sizes[c], dtype=g.dtype))
        else:
            layout += c
    return xp.einsum(",".join([unique, *delta_terms]) + "->" + layout, g, *deltas)


def _from_sublists(args: tuple[Any, ...]) -> tuple[str, list[Any]]:
    """torch's other form, einsum(op1, [0, 1], op2, [1, 2], [0, 2]), as an equation and operands.

    Each operand is followed by its axes as integers in [0, 52) (``...`` as Ellipsis);
    an odd number of arguments means the last one lists the output's axes.
    """
    def letters(sublist: Any) -> str:
        return "".join("..." if s is Ellipsis else LETTERS[int(s)] for s in sublist)

    pairs = args if len(args) % 2 == 0 else args[:-1]
    operands = list(pairs[0::2])
    equation = ",".join(letters(s) for s in pairs[1::2])
    if len(args) % 2 == 1:
        equation += "->" + letters(args[-1])
    return equation, operands


def einsum(equation: Any, *operands: Any) -> Tensor:
    """Einstein summation over the operands, as ``torch.einsum``.

    ``einsum("ij,jk->ik", a, b)``, ``einsum("ij,jk", [a, b])`` (a list of
    operands) and the sublist form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``.
    All operands must have one dtype.
    """
    if not isinstance(equation, str):
        equation, operand_list = _from_sublists((equation, *operands))
    elif len(operands) == 1 and isinstance(operands[0], list | tuple):
        operand_list = list(operands[0])
    else:
        operand_list = list(operands)
    if not operand_list:
        raise RuntimeError("einsum(): must provide at least one operand")
    tensors = [as_tensor(x) for x in operand_list]
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) > 1:
        raise RuntimeError(f"einsum(): operands must share one dtype, got {[str(t.dtype) for t in tensors]}")
    shapes = [tuple(t.shape) for t in tensors]
    inputs, output = parse_equation(equation, shapes)
    sizes = letter_sizes(inputs, shapes, equation)
    return Einsum.apply(*tensors, inputs=inputs, output=output, sizes=sizes)


def tensordot(a: Any, b: Any, dims: Any = 2) -> Tensor:
    """Contract the last ``dims`` axes of ``a`` with the first ``dims`` of ``b``,
    or the axes listed in ``dims = (axes_of_a, axes_of_b)``; an einsum underneath."""
    a, b = as_tensor(a), as_tensor(b)
    if isinstance(dims, int):
        n = dims
        if n < 0 or n > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot: dims={n} must lie in [0, {min(a.ndim, b.ndim)}] for shapes "
                               f"{tuple(a.shape)} and {tuple(b.shape)}")
        axes_a, axes_b = list(range(a.ndim - n, a.ndim)), list(range(n))
    else:
        axes_a, axes_b = ([int(d)] if isinstance(d, int) else [int(x) for x in d] for d in dims)
    if len(axes_a) != len(axes_b):
        raise RuntimeError(f"tensordot: both sides of dims must list as many axes, got {axes_a} and {axes_b}")
    axes_a, axes_b = [d % max(a.ndim, 1) for d in axes_a], [d % max(b.ndim, 1) for d in axes_b]
    for da, db in zip(axes_a, axes_b):  # a contracted size 1 broadcasts against the other side's, as torch
        if a.shape[da] == 1 and b.shape[db] != 1:
            a = a.expand(*(b.shape[db] if k == da else n for k, n in enumerate(a.shape)))
        elif b.shape[db] == 1 and a.shape[da] != 1:
            b = b.expand(*(a.shape[da] if k == db else n for k, n in enumerate(b.shape)))
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(f"tensordot: contracted dimensions need to match, but first has size {a.shape[da]} "
                               f"in dim {da} and second has size {b.shape[db]} in dim {db}")
    term_a = LETTERS[: a.ndim]
    term_b = list(LETTERS[a.ndim: a.ndim + b.ndim])
    for da, db in zip(axes_a, axes_b):
        term_b[db] = term_a[da]
    term_b_text = "".join(term_b)
    output = "".join(c for k, c in enumerate(term_a) if k not in axes_a)
    output += "".join(c for k, c in enumerate(term_b_text) if k not in axes_b)
    return einsum(f"{term_a},{term_b_text}->{output}", a, b)


def inner(input: Any, other: Any) -> Tensor:  # noqa: A002
    """Sum over the last axis of both: shape input.shape[:-1] + other.shape[:-1] (a 0-d operand scales)."""
    a, b = as_tensor(input), as_tensor(other)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner: the last dimensions of shapes {tuple(a.shape)} and {tuple(b.shape)} differ")
    return tensordot(a, b, dims=([-1], [-1]))
