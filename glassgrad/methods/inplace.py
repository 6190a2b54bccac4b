"""In-place edits, made safe: ``add_``, ``mul_``, ``zero_``, ``t[key] = value``, ...

How an in-place edit works (``_inplace``):

* With no graph to record (grad mode off, or nothing involved requires grad),
  the op is computed and written into this tensor's own array, so every
  tensor sharing the array (``.data``, ``.detach()``, a slice) sees it.
  (For ``+ - * /`` the fast kernel mode has NumPy's ufunc write the result
  straight into that array instead: ``_arithmetic_in_place`` below.)
* With a graph to record, the op is applied to a snapshot of this tensor (its
  old value and its old node), and this tensor takes the result's value,
  node and version counter: the graph stays correct and the old values saved
  by earlier ops are untouched. The old counter still goes up, so an op that
  saved the old value refuses it at backward, as in torch (``y = x.exp();
  y.add_(1)`` then backward through exp fails), while ``x.mul_(y).add_(1)``
  works because the multiply saved the snapshot, not the edited tensor. As
  in torch, a leaf that requires grad cannot be edited in place while grad
  mode is on (edit it under ``no_grad()``).

Either way the tensor's version goes up by one; backward refuses a tensor
saved at an older version (see ``glassgrad.autograd.graph.check_versions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy

import glassgrad
from glassgrad import autograd, backend, kernels
from glassgrad.autograd import grad_mode, graph, view_edits, views
from glassgrad.errors import OpInputError
from glassgrad.profiler import recording as profiler_recording
from glassgrad.random import draw_as, resolve_rng

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


def _why_read_only(array: Any) -> str:
    """Name why NumPy refuses writes to ``array``: a broadcast view repeats one element through a
    stride of 0; anything else is a read-only array the tensor was given (memory-mapped, say)."""
    if 0 in getattr(array, "strides", ()) and array.size > 1:
        return "an expanded or broadcast view"
    return "its array is read-only, e.g. a read-only or memory-mapped NumPy array"


def _polygamma_of_order(x: Tensor, n: int) -> Tensor:
    """polygamma(n, x) with the tensor first, as ``_inplace`` calls its op (Tensor.polygamma_(n))."""
    return glassgrad.ops.polygamma(n, x)


def _written_region(tensor: Tensor, indices: Any) -> Any:
    """The part of ``tensor``'s array that ``tensor[indices] = ...`` can write: the view its ints and
    slices select (its index tensors pick within that), or None where the index is not understood here."""
    try:
        return glassgrad.ops.indexing.parse_index(indices, tensor.array.shape).view(tensor.array)
    except (IndexError, TypeError, ValueError):
        return None


def _apart_from(edited: Tensor, old: Tensor, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """The operands of an edit of ``edited`` as they are before it: ``edited`` itself (``x.add_(x)``) is its
    value before the edit (``old``), and a tensor over the memory the edit writes (``a[0:2].mul_(a[1:3])``)
    is its clone, so neither the new node's inputs nor what it saved change with the edit (torch refuses
    both: the first at backward, the second at once; the answer here is the one with a clone() written)."""

    def apart(value: Any) -> Any:
        if value is edited:
            return old
        array = getattr(value, "array", None)
        if array is None or not backend.xp.may_share_memory(array, edited.array):
            return value
        return value.clone()

    return tuple(apart(a) for a in args), {k: apart(v) for k, v in kwargs.items()}


_UFUNCS: dict[Any, Any] = {}  # glassgrad.ops.add -> numpy.add, ...: filled on first use (ops import this module)


def _ufunc_of(op: Any) -> Any:
    if not _UFUNCS:
        ops = glassgrad.ops
        _UFUNCS.update({ops.add: numpy.add, ops.sub: numpy.subtract, ops.mul: numpy.multiply, ops.div: numpy.divide})
    return _UFUNCS.get(op)


def _arithmetic_in_place(tensor: Tensor, op: Any, other: Any) -> bool:
    """The fast twin of an edit ``tensor op= other`` (``+ - * /``) with no graph to record.

    The readable path (``_inplace``) computes the op's result as a new tensor and writes its values
    into ``tensor``'s array. Here NumPy's ufunc writes them there itself, ``numpy.add(x, y, out=x)``:
    no result tensor, no new array, one pass over memory. It is served only where the ufunc computes
    what the op computes, bit for bit: a NumPy array (not read-only) of a float, or an integer dtype
    (no division), and an operand that is a Tensor of the same dtype with no more dims, a Python float
    (float32 and float64) or a small Python int (NumPy converts it to the array's dtype, as
    ``_constant_like`` does for the op). Anything else, and a shape that does not broadcast, returns
    False with nothing written, and the readable path runs (and raises torch's error where one is due).
    """
    array = tensor.array
    if array.__class__ is not numpy.ndarray or profiler_recording.active is not None:  # (profiled: the op's event)
        return False
    if views.catch_up_needed and grad_mode._grad_enabled:  # (a view may first need remaking: Op.run does it)
        return False
    ufunc = _ufunc_of(op)
    kind = array.dtype.kind
    if ufunc is None or kind not in "fiu" or (kind != "f" and ufunc is numpy.divide):
        return False
    if other.__class__ is float:
        if kind != "f" or array.dtype.itemsize < 4:
            return False
    elif other.__class__ is int:
        if not (0 if kind == "u" else -128) <= other <= 127:
            return False
    else:
        operand = getattr(other, "array", None)
        if operand.__class__ is not numpy.ndarray or operand.dtype != array.dtype or operand.ndim > array.ndim:
            return False
        other = operand
    if not array.flags.writeable:
        return False
    try:
        if ufunc is numpy.divide:
            with numpy.errstate(divide="ignore", invalid="ignore"):  # x / 0 is +-inf and 0 / 0 NaN, as the op's
                ufunc(array, other, out=array)
        else:
            ufunc(array, other, out=array)
    except ValueError:  # (does not broadcast to this tensor's shape: checked before anything is written)
        return False
    tensor._version_counter[0] += 1
    return True


def _requires_grad(value: Any) -> bool:
    return getattr(value, "requires_grad", False)


class InPlaceMethods:
    """Methods that edit the tensor they are called on, ending in ``_``."""

    def _inplace(self, op: Any, *args: Any, _region: Any = None, **kwargs: Any) -> Tensor:
        """Make ``op(self, *args, **kwargs)`` this tensor's new value; returns self. ``_region``: the part of
        this tensor's array the edit can change, where it is known to be less than all of it (a setitem)."""
        recording = grad_mode._grad_enabled and self.requires_grad
        if grad_mode._grad_enabled and not recording:  # (a plain loop: the common edit by a number costs no frame)
            for arg in args:
                if getattr(arg, "requires_grad", False):
                    recording = True
                    break
        if not recording:
            if kernels.fast() and len(args) == 1 and not kwargs and _arithmetic_in_place(self, op, args[0]):
                return self
            out = op(self, *args, **kwargs)
            if out.array.shape != self.array.shape:
                _check_same_shape(out.array.shape, self.array.shape, op)
            self._write(out.array, op)
            return self
        self._refuse_leaf_edit()
        Tensor = autograd.engine.tensor_class()  # noqa: N806  (the class, reached without an import per call)
        self._version_counter[0] += 1  # the value earlier ops saw is replaced: they may no longer use it
        edit = graph.edit_number()  # nodes made before this edit keep the value before it
        shared = self._shared  # other tensors read this memory: the new values are written into it
        old = Tensor._make(self.array.copy() if shared else self.array, self.requires_grad)
        old._node = self._node  # the value before the edit, with its own counter: nothing else writes it
        if shared or any(a is self for a in args) or any(v is self for v in kwargs.values()):
            args, kwargs = _apart_from(self, old, args, kwargs)
        out = op(old, *args, **kwargs)
        _check_same_shape(out.shape, self.shape, op)
        _check_castable(out.dtype, self.dtype, op)
        new = out.array if out.dtype == self.dtype else out.array.astype(self.dtype)
        if shared:
            self._write_through(new, op)
        elif new.base is None and getattr(new.flags, "writeable", True):  # (CuPy arrays are always writeable)
            self.array = new
        else:  # the op gave a view (copy_'s broadcast source is read-only, and is another tensor's memory)
            self.array = new.copy()
        graph.remember_former(self, old, edit)
        self._node, self.requires_grad = out._node, out.requires_grad
        if self._node is not None:
            self._count_as_output(out)
        if shared:
            if self._view_of is None and not old.requires_grad and self.requires_grad:
                views.gained_a_graph(self)  # a base given a graph: views made of it before may need one
            view_edits.write_into_base(self, edit)
            view_edits.refresh_views(self, self.array if _region is None else _region)
        return self

    def _write_through(self, values: Any, op: Any) -> None:
        """Write ``values`` into this tensor's own memory, which other tensors read too."""
        if not getattr(self.array, "flags", None) or not self.array.flags.writeable:
            raise RuntimeError(f"in-place edit of a read-only tensor of shape {tuple(self.shape)} "
                               f"({_why_read_only(self.array)}); clone() it first")
        self.array[...] = values

    def _count_as_output(self, out: Tensor) -> None:
        """This tensor now holds the values of ``out``, whose node is now its node: where the node saved
        ``out``'s array, it checks this tensor's version from now on (torch refuses ``y.exp_()`` then
        ``y.add_(1)`` then backward through exp), and it saved this tensor's array when they hold the same."""
        node, counter = self._node, out._version_counter
        if counter is self._version_counter:
            return
        if out.array is not self.array and out.dtype == self.dtype and node.ctx.saved:
            node.ctx.saved = tuple(self.array if saved is out.array else saved for saved in node.ctx.saved)
        node.saved_versions = tuple(
            (self._version_counter, self._version_counter[0], which) if c is counter else (c, expected, which)
            for c, expected, which in node.saved_versions
        )

    def _refuse_leaf_edit(self) -> None:
        """torch's refusal, while grad mode is on, to edit a leaf that requires grad (or a view of one)."""
        if self.requires_grad and self._node is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation; "
                "edit it under glassgrad.no_grad() (as optimisers and nn.init do)"
            )
        view_edits.refuse_view_of_leaf(self)

    def _write(self, values: Any, op: Any = None) -> None:
        """Write ``values`` into this tensor's own array (no graph) and bump the version."""
        if values.dtype != self.array.dtype:
            _check_castable(values.dtype, self.array.dtype, op)
        if not getattr(self.array, "flags", None) or not self.array.flags.writeable:
            raise RuntimeError(f"in-place edit of a read-only tensor of shape {tuple(self.shape)} "
                               f"({_why_read_only(self.array)}); clone() it first")
        try:
            self.array[...] = values
        except ValueError as err:  # a value that does not broadcast to this shape: torch's RuntimeError
            raise OpInputError(f"in-place edit of a tensor of shape {tuple(self.shape)}: {err}") from err
        self._version_counter[0] += 1

    # ----- arithmetic -------------------------------------------------------
    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return self._inplace(glassgrad.ops.add, other if alpha == 1 else other * alpha)

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return self._inplace(glassgrad.ops.sub, other if alpha == 1 else other * alpha)

    def mul_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.mul, other)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        if rounding_mode is None:
            return self._inplace(glassgrad.ops.div, other)
        return self._inplace(glassgrad.ops.div, other, rounding_mode=rounding_mode)

    def pow_(self, exponent: Any) -> Tensor:
        return self._inplace(glassgrad.ops.pow, exponent)

    def neg_(self) -> Tensor:
        return self._inplace(glassgrad.ops.neg)

    def abs_(self) -> Tensor:
        return self._inplace(glassgrad.ops.abs)

    def exp_(self) -> Tensor:
        return self._inplace(glassgrad.ops.exp)

    def log_(self) -> Tensor:
        return self._inplace(glassgrad.ops.log)

    def sqrt_(self) -> Tensor:
        return self._inplace(glassgrad.ops.sqrt)

    def relu_(self) -> Tensor:
        return self._inplace(glassgrad.ops.relu)

    def sigmoid_(self) -> Tensor:
        return self._inplace(glassgrad.ops.sigmoid)

    def tanh_(self) -> Tensor:
        return self._inplace(glassgrad.ops.tanh)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return self._inplace(glassgrad.ops.clip, min, max)

    clip_ = clamp_

    def addcmul_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """self += value * tensor1 * tensor2"""
        return self._inplace(glassgrad.ops.addcmul, tensor1, tensor2, value=value)

    def addcdiv_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """self += value * tensor1 / tensor2"""
        return self._inplace(glassgrad.ops.addcdiv, tensor1, tensor2, value=value)

    def lerp_(self, end: Any, weight: Any) -> Tensor:
        """self += weight * (end - self)"""
        return self._inplace(glassgrad.ops.lerp, end, weight)

    # ----- in-place forms of the element-wise ops (x.sin_() is x = sin(x), kept in x) ----------
    def sin_(self) -> Tensor:
        return self._inplace(glassgrad.ops.sin)

    def cos_(self) -> Tensor:
        return self._inplace(glassgrad.ops.cos)

    def tan_(self) -> Tensor:
        return self._inplace(glassgrad.ops.tan)

    def asin_(self) -> Tensor:
        return self._inplace(glassgrad.ops.asin)

    def acos_(self) -> Tensor:
        return self._inplace(glassgrad.ops.acos)

    def atan_(self) -> Tensor:
        return self._inplace(glassgrad.ops.atan)

    def sinh_(self) -> Tensor:
        return self._inplace(glassgrad.ops.sinh)

    def cosh_(self) -> Tensor:
        return self._inplace(glassgrad.ops.cosh)

    def asinh_(self) -> Tensor:
        return self._inplace(glassgrad.ops.asinh)

    def acosh_(self) -> Tensor:
        return self._inplace(glassgrad.ops.acosh)

    def atanh_(self) -> Tensor:
        return self._inplace(glassgrad.ops.atanh)

    arccos_, arcsin_, arctan_, arccosh_, arcsinh_, arctanh_ = acos_, asin_, atan_, acosh_, asinh_, atanh_

    def conj_physical_(self) -> Tensor:
        """The conjugate in place: nothing to change in a real tensor."""
        return self

    def arctan2_(self, other: Any) -> Tensor:
        return self.atan2_(other)

    def divide_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        return self.div_(other, rounding_mode=rounding_mode)

    def multiply_(self, other: Any) -> Tensor:
        return self.mul_(other)

    def subtract_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return self.sub_(other, alpha=alpha)

    def cumsum_(self, dim: int, *, dtype: Any = None) -> Tensor:
        return self._inplace(glassgrad.ops.cumsum, dim, dtype=dtype)

    def cumprod_(self, dim: int, *, dtype: Any = None) -> Tensor:
        return self._inplace(glassgrad.ops.cumprod, dim, dtype=dtype)

    # comparisons in place: this tensor holds 1 where the comparison is true, 0 elsewhere (its dtype kept)
    def eq_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.eq, other)

    def ne_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.ne, other)

    def lt_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.lt, other)

    def le_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.le, other)

    def gt_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.gt, other)

    def ge_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.ge, other)

    not_equal_, less_, less_equal_, greater_, greater_equal_ = ne_, lt_, le_, gt_, ge_

    # ----- Python callables element by element (never recorded; slow, as torch warns) --------------------
    def _apply_python(self, name: str, function: Any, *others: Any) -> Tensor:
        if self.requires_grad:
            raise RuntimeError(f"Can't call {name}() on Variable that requires grad. "
                               f"Use var.detach().{name}() instead.")
        arrays = [backend.to_numpy(self.array)]
        for other in others:
            if getattr(other, "dtype", self.dtype) != self.dtype:
                raise TypeError(f"{name}: expected a tensor of dtype {self.dtype}, got {other.dtype}")
            arrays.append(numpy.broadcast_to(backend.to_numpy(other.array), tuple(self.shape)))
        values = [function(*(a.flat[i].item() for a in arrays)) for i in range(arrays[0].size)]
        self._write(backend.xp.asarray(numpy.asarray(values, dtype=numpy.float64).astype(self.dtype)
                                       .reshape(tuple(self.shape))))
        return self

    def apply_(self, callable: Any) -> Tensor:  # noqa: A002
        """Each element x replaced by ``callable(x)`` (a Python function of a number)."""
        return self._apply_python("apply_", callable)

    def map_(self, tensor: Any, callable: Any) -> Tensor:  # noqa: A002
        """Each element x replaced by ``callable(x, y)``, y the element of ``tensor`` (broadcast) at its place."""
        return self._apply_python("map_", callable, tensor)

    def map2_(self, x: Any, y: Any, callable: Any) -> Tensor:  # noqa: A002
        """Each element s replaced by ``callable(s, a, b)`` with the elements of x and y at its place."""
        return self._apply_python("map2_", callable, x, y)

    def fill_diagonal_(self, fill_value: Any, wrap: bool = False) -> Tensor:
        """The main diagonal set to ``fill_value`` (a tall matrix's restarts below with ``wrap``)."""
        return self._inplace(glassgrad.ops.indexing_view_scatter.fill_diagonal, fill_value, wrap)

    # ----- shape changes in place: this tensor becomes a view of its own values in a new shape -------
    def _restride(self, op: Any, *args: Any) -> Tensor:
        """Make this tensor ``op(self, *args)``, a movement (same values, new shape); no value changes,
        so the version stays. As torch, a leaf that requires grad refuses it while grad mode is on."""
        from glassgrad.tensor import Tensor

        if autograd.is_grad_enabled():
            self._refuse_leaf_edit()
        old = Tensor._make(self.array, self.requires_grad)
        old._node, old._version_counter = self._node, self._version_counter
        out = op(old, *args)
        self.array, self._node, self.requires_grad = out.array, out._node, out.requires_grad
        return self

    def t_(self) -> Tensor:
        return self._restride(glassgrad.ops.t)

    def transpose_(self, dim0: int, dim1: int) -> Tensor:
        return self._restride(glassgrad.ops.transpose, dim0, dim1)

    swapaxes_ = swapdims_ = transpose_

    def squeeze_(self, dim: Any = None) -> Tensor:
        return self._restride(glassgrad.ops.squeeze, dim)

    def unsqueeze_(self, dim: int) -> Tensor:
        return self._restride(glassgrad.ops.unsqueeze, dim)

    def exp2_(self) -> Tensor:
        return self._inplace(glassgrad.ops.exp2)

    def expm1_(self) -> Tensor:
        return self._inplace(glassgrad.ops.expm1)

    def log2_(self) -> Tensor:
        return self._inplace(glassgrad.ops.log2)

    def log10_(self) -> Tensor:
        return self._inplace(glassgrad.ops.log10)

    def log1p_(self) -> Tensor:
        return self._inplace(glassgrad.ops.log1p)

    def rsqrt_(self) -> Tensor:
        return self._inplace(glassgrad.ops.rsqrt)

    def reciprocal_(self) -> Tensor:
        return self._inplace(glassgrad.ops.reciprocal)

    def square_(self) -> Tensor:
        return self._inplace(glassgrad.ops.square)

    def erf_(self) -> Tensor:
        return self._inplace(glassgrad.ops.erf)

    def erfc_(self) -> Tensor:
        return self._inplace(glassgrad.ops.erfc)

    def erfinv_(self) -> Tensor:
        return self._inplace(glassgrad.ops.erfinv)

    def lgamma_(self) -> Tensor:
        return self._inplace(glassgrad.ops.lgamma)

    def digamma_(self) -> Tensor:
        return self._inplace(glassgrad.ops.digamma)

    def polygamma_(self, n: int) -> Tensor:
        return self._inplace(_polygamma_of_order, n)

    def mvlgamma_(self, p: int) -> Tensor:
        return self._inplace(glassgrad.ops.mvlgamma, p)

    def i0_(self) -> Tensor:
        return self._inplace(glassgrad.ops.i0)

    def igamma_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.igamma, other)

    def igammac_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.igammac, other)

    def sign_(self) -> Tensor:
        return self._inplace(glassgrad.ops.sign)

    def sgn_(self) -> Tensor:
        return self._inplace(glassgrad.ops.sgn)

    def floor_(self) -> Tensor:
        return self._inplace(glassgrad.ops.floor)

    def ceil_(self) -> Tensor:
        return self._inplace(glassgrad.ops.ceil)

    def trunc_(self) -> Tensor:
        return self._inplace(glassgrad.ops.trunc)

    fix_ = trunc_

    def frac_(self) -> Tensor:
        return self._inplace(glassgrad.ops.frac)

    def negative_(self) -> Tensor:
        return self._inplace(glassgrad.ops.negative)

    def absolute_(self) -> Tensor:
        return self._inplace(glassgrad.ops.absolute)

    def logical_not_(self) -> Tensor:
        return self._inplace(glassgrad.ops.logical_not)

    def bitwise_not_(self) -> Tensor:
        return self._inplace(glassgrad.ops.bitwise_not)

    def atan2_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.atan2, other)

    def hypot_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.hypot, other)

    def xlogy_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.xlogy, other)

    def fmod_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.fmod, other)

    def remainder_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.remainder, other)

    def floor_divide_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.floor_divide, other)

    def true_divide_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.true_divide, other)

    def bitwise_and_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.bitwise_and, other)

    def bitwise_or_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.bitwise_or, other)

    def bitwise_xor_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.bitwise_xor, other)

    def bitwise_left_shift_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.bitwise_left_shift, other)

    def bitwise_right_shift_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.bitwise_right_shift, other)

    def logical_and_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.logical_and, other)

    def logical_or_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.logical_or, other)

    def logical_xor_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.logical_xor, other)

    def maximum_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.maximum, other)

    def minimum_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.minimum, other)

    def fmax_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.fmax, other)

    def fmin_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.fmin, other)

    def round_(self, *, decimals: int = 0) -> Tensor:
        return self._inplace(glassgrad.ops.round, decimals=decimals)

    def clamp_min_(self, min: Any) -> Tensor:  # noqa: A002
        return self._inplace(glassgrad.ops.clip, min, None)

    def clamp_max_(self, max: Any) -> Tensor:  # noqa: A002
        return self._inplace(glassgrad.ops.clip, None, max)

    def copysign_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.copysign, other)

    def ldexp_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.ldexp, other)

    def nextafter_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.nextafter, other)

    def nan_to_num_(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> Tensor:
        return self._inplace(glassgrad.ops.nan_to_num, nan, posinf, neginf)

    def logit_(self, eps: float | None = None) -> Tensor:
        return self._inplace(glassgrad.ops.logit, eps)

    def float_power_(self, exponent: Any) -> Tensor:
        """self = self^exponent in float64; torch requires self to be float64 already."""
        if self.dtype != numpy.float64:
            raise RuntimeError(f"the base given to float_power_ has dtype {self.dtype} but the operation's "
                               "result requires dtype float64")
        return self._inplace(glassgrad.ops.float_power, exponent)

    def heaviside_(self, values: Any) -> Tensor:
        return self._inplace(glassgrad.ops.heaviside, values)

    def sinc_(self) -> Tensor:
        return self._inplace(glassgrad.ops.sinc)

    def deg2rad_(self) -> Tensor:
        return self._inplace(glassgrad.ops.deg2rad)

    def rad2deg_(self) -> Tensor:
        return self._inplace(glassgrad.ops.rad2deg)

    def gcd_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.gcd, other)

    def lcm_(self, other: Any) -> Tensor:
        return self._inplace(glassgrad.ops.lcm, other)

    # ----- filling and copying ----------------------------------------------
    def zero_(self) -> Tensor:
        return self.fill_(0)

    def fill_(self, value: Any) -> Tensor:
        """Every element set to ``value`` (a number or a one-element tensor)."""
        if _requires_grad(value) or (autograd.is_grad_enabled() and self.requires_grad):
            return self._inplace(lambda s, v: s * 0 + v, value)
        self._write(backend.xp.asarray(value.array if hasattr(value, "array") else value).astype(self.dtype))
        return self

    def copy_(self, src: Any, non_blocking: bool = False) -> Tensor:  # noqa: ARG002
        """Values of ``src`` (broadcast to this shape, cast to this dtype); gradients flow to ``src``."""
        src = src if hasattr(src, "array") else glassgrad.tensor(src)
        if autograd.is_grad_enabled() and (src.requires_grad or self.requires_grad):
            return self._inplace(lambda s, source: glassgrad.ops.expand(source.to(s.dtype) + s * 0, s.shape), src)
        self._write(backend.to_numpy(src.array).astype(self.dtype, copy=False)
                    if backend.name == "numpy" else src.array.astype(self.dtype))
        return self

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        return self._inplace(glassgrad.ops.masked_fill, mask, value)

    def index_put_(self, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
        """``self[indices] = values`` (or ``+=`` with ``accumulate``); differentiable in both."""
        if accumulate or getattr(values, "requires_grad", False) or (self.requires_grad and autograd.is_grad_enabled()):
            region = _written_region(self, indices) if self._shared else None  # the views to remake: those over it
            return self._inplace(glassgrad.ops.index_put, indices, values, accumulate=accumulate, _region=region)
        indexing = glassgrad.ops.indexing
        key = indexing.parse_index(indices, self.array.shape)  # torch's indexing rules
        if values.__class__ in indexing.NUMBERS:  # a Python number: torch's conversion (ops/indexing_numbers.py)
            value = indexing.written_number(values, self.array.dtype)
        else:
            value = values.array if hasattr(values, "array") else backend.xp.asarray(values)
            if value.dtype != self.array.dtype:
                _check_castable(value.dtype, self.array.dtype, "setitem")
        try:
            if key.advanced is None:  # ints and slices: NumPy writes the view they select (key.write, written out)
                self.array[key.view_key] = value
            else:
                key.write(self.array, value)
        except (IndexError, ValueError) as err:
            if isinstance(err, IndexError):  # an index array out of bounds (NumPy checks them): torch's message
                indexing.raise_torch_index_error(indices, self.array.shape)
            kind = OpInputError if isinstance(err, ValueError) else type(err)  # a shape error: torch's RuntimeError
            raise kind(f"setitem: cannot assign values of shape {numpy.shape(value)} at {indices!r} "
                       f"in a tensor of shape {tuple(self.shape)}: {err}") from None
        self._version_counter[0] += 1
        return self

    def put_(self, index: Any, source: Any, accumulate: bool = False) -> Tensor:
        return self._inplace(glassgrad.ops.put, index, source, accumulate)

    def index_reduce_(self, dim: int, index: Any, source: Any, reduce: str, *, include_self: bool = True) -> Tensor:
        return self._inplace(glassgrad.ops.index_reduce, dim, index, source, reduce, include_self=include_self)

    def renorm_(self, p: float, dim: int, maxnorm: float) -> Tensor:
        return self._inplace(glassgrad.ops.renorm, p, dim, maxnorm)

    def resize_(self, *sizes: Any) -> Tensor:
        """This tensor's shape changed in place to ``sizes``: its first elements (row-major) are kept, new
        ones are zero (torch leaves them uninitialised). Not for a tensor that requires grad, as torch."""
        shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], tuple | list) else tuple(sizes)
        if any(int(n) < 0 for n in shape):
            raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
        if self.requires_grad:
            raise RuntimeError("cannot resize variables that require grad")
        flat = self.array.reshape(-1)
        size = int(numpy.prod(shape, dtype=numpy.int64))
        kept = flat[:size]
        if kept.size < size:
            kept = backend.xp.concatenate([kept, backend.xp.zeros(size - kept.size, dtype=flat.dtype)])
        self.array = backend.xp.ascontiguousarray(kept).reshape(shape)
        self._version_counter[0] += 1
        return self

    def resize_as_(self, other: Any) -> Tensor:
        return self.resize_(tuple(other.shape))

    # ----- random fills (never recorded) -------------------------------------
    def _random_fill(self, values: numpy.ndarray) -> Tensor:
        if autograd.is_grad_enabled():
            self._refuse_leaf_edit()
        self._write(backend.xp.asarray(values.astype(self.dtype)))
        return self

    def _continuous_fill(self, name: str, check: bool, message: str) -> None:
        """torch's checks before a continuous distribution fills this tensor: a float dtype, valid parameters."""
        if self.dtype.kind != "f":
            raise RuntimeError(f"{name}: a continuous distribution needs a floating dtype, got {self.dtype}")
        if not check:
            raise RuntimeError(f"{name} expects {message}")

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        self._continuous_fill("normal_", std >= 0, f"std >= 0.0, but found std {std}")
        draws = resolve_rng(generator).standard_normal  # mean + std z, a chunk at a time for float32 (draw_as)
        return self._random_fill(draw_as(draws, tuple(self.shape), self.array.dtype, std, mean))

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        self._continuous_fill("uniform_", a <= b, f"to return a [from, to) range, but found from={a} > to={b}")
        draws = resolve_rng(generator).random  # a + (b - a) u, as NumPy's uniform, a chunk at a time (draw_as)
        return self._random_fill(draw_as(draws, tuple(self.shape), self.array.dtype, b - a, a))

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """1 with probability p (a number, or a tensor broadcast to this shape), else 0."""
        probability = backend.to_numpy(p.array) if hasattr(p, "array") else numpy.asarray(p, dtype=numpy.float64)
        if ((probability < 0) | (probability > 1) | numpy.isnan(probability)).any():
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        return self._random_fill(resolve_rng(generator).random(self.shape) < probability)

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
        """Exponential samples of rate ``lambd`` (density lambd e^(-lambd x), x >= 0)."""
        self._continuous_fill("exponential_", lambd > 0, f"lambda > 0.0, but found lambda={lambd}")
        return self._random_fill(resolve_rng(generator).exponential(1.0 / lambd, self.shape))

    def geometric_(self, p: float, *, generator: Any = None) -> Tensor:
        """The number of Bernoulli(p) trials up to and including the first success: 1, 2, 3, ..."""
        if not 0 < p < 1:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
        return self._random_fill(resolve_rng(generator).geometric(p, self.shape))

    def cauchy_(self, median: float = 0.0, sigma: float = 1.0, *, generator: Any = None) -> Tensor:
        """Cauchy samples: density 1 / (pi sigma (1 + ((x - median) / sigma)^2))."""
        self._continuous_fill("cauchy_", sigma > 0, f"sigma > 0.0, but found sigma={sigma}")
        return self._random_fill(median + sigma * resolve_rng(generator).standard_cauchy(self.shape))

    def log_normal_(self, mean: float = 1.0, std: float = 2.0, *, generator: Any = None) -> Tensor:
        """e^N with N normal of mean ``mean`` and standard deviation ``std`` (the log's parameters)."""
        self._continuous_fill("log_normal_", std > 0, f"std > 0.0, but found std={std}")
        return self._random_fill(resolve_rng(generator).lognormal(mean, std, self.shape))

    def random_(self, *bounds: int, to: int | None = None, generator: Any = None) -> Tensor:
        """Integers drawn uniformly from [from, to - 1]: ``random_(to)``, ``random_(from, to)``, or, with no
        bounds, from 0 to the dtype's largest integer (2^mantissa for floats: 2^24 for float32, 2^53 for
        float64, so every value is exact), as torch."""
        if len(bounds) > 2 or (to is not None and len(bounds) == 2):
            raise TypeError("random_() takes random_(to), random_(from, to) or random_(from=0, to=None)")
        if len(bounds) == 2:
            low, high = bounds
        elif len(bounds) == 1:
            low, high = (0, bounds[0]) if to is None else (bounds[0], to)
        else:
            low, high = 0, to
        if high is None:
            high = _random_ceiling(self.dtype) + 1
        if low >= high:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
        if self.dtype.kind in "iub" and not _random_floor(self.dtype) <= low <= high - 1 <= _random_ceiling(self.dtype):
            raise RuntimeError(f"random_: [from, to - 1] = [{low}, {high - 1}] is out of bounds for {self.dtype}")
        draws = resolve_rng(generator).integers(low, high - 1, self.shape, dtype=numpy.int64, endpoint=True)
        return self._random_fill(draws)


def _random_ceiling(dtype: Any) -> int:
    """The largest value ``random_()`` draws for ``dtype``: its largest integer, 2^mantissa for floats."""
    dtype = numpy.dtype(dtype)
    if dtype.kind == "b":
        return 1
    if dtype.kind == "f":
        return 2 ** (numpy.finfo(dtype).nmant + 1)
    return int(numpy.iinfo(dtype).max)


def _random_floor(dtype: Any) -> int:
    dtype = numpy.dtype(dtype)
    return 0 if dtype.kind in "bu" else int(numpy.iinfo(dtype).min)


def _check_same_shape(result: Any, own: Any, op: Any) -> None:
    """An in-place edit keeps the tensor's shape; torch refuses a result that broadcast to a bigger one."""
    if result != own and tuple(result) != tuple(own):
        name = getattr(op, "__name__", str(op))
        raise RuntimeError(f"{name}_: output with shape {tuple(own)} doesn't match the broadcast shape {tuple(result)}")


def _check_castable(source: Any, target: Any, op: Any) -> None:
    """torch refuses an in-place result that the tensor's dtype cannot hold."""
    if source == target:  # the common case, answered without ranking
        return
    order = "biufc"
    rank = lambda dtype: order.index("f" if backend.is_float(dtype) else numpy.dtype(dtype).kind)  # noqa: E731
    if rank(source) > rank(target):
        name = getattr(op, "__name__", str(op))
        raise RuntimeError(f"{name}: result type {source} can't be cast to the desired output type {target}")
