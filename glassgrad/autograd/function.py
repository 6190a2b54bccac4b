"""``torch.autograd.Function``: a custom op written over Tensors, as PyTorch users write one.

    class Cube(glassgrad.autograd.Function):
        '''y = x^3;  dy/dx = 3 x^2'''

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    y = Cube.apply(x)

glassgrad's own ops are ``glassgrad.op.Op`` subclasses whose forward and backward work on
raw arrays. This file is an adapter between the two worlds, not a second engine:

1. ``apply`` runs the user's ``forward`` on the Tensors under ``no_grad`` (what forward computes is
   not recorded: its backward is the user's ``backward``, not the ops inside forward);
2. when a gradient is needed it records ONE array-level node, an ``_UserNode`` subclass named after
   the user's class (so ``y.grad_fn.name()`` is ``"CubeBackward"``), whose inputs are the Tensor
   arguments;
3. that node's array-level ``backward(ctx, grad)`` wraps the incoming gradient arrays as Tensors,
   calls the user's ``backward`` (under ``no_grad``), checks what came back and returns arrays.

Several outputs: the engine's nodes have one output each, so the differentiable outputs are packed
into one flat hidden tensor made by the user's node, and each output is a slice of it (``_Unpack``).
The engine sums the slices' gradients into the packed gradient (zeros where an output was not used,
as torch's "materialised" gradients), which the node splits again, one gradient per output.
"""

from __future__ import annotations

import copy
from typing import Any

from glassgrad import backend
from glassgrad.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad
from glassgrad.autograd.graph import Node
from glassgrad.op import Context, Op
from glassgrad.ops.indexing import ArrayIndex, written_at
from glassgrad.tensor import Tensor


class FunctionCtx:
    """The ``ctx`` a user's forward and backward share (torch.autograd.function.FunctionCtx).

    Attributes:
        needs_input_grad: one bool per forward argument: does that argument need a gradient?
        saved_tensors: the tensors given to ``save_for_backward``, read in backward.
    """

    def __init__(self) -> None:
        self.needs_input_grad: tuple[bool, ...] = ()
        self.materialize_grads = True
        self._saved: tuple[Tensor | None, ...] = ()
        self._non_differentiable: set[int] = set()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep tensors (inputs, outputs or None) for backward; editing one in place later is caught."""
        for position, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save Tensors or None, but argument {position} is "
                                f"a {type(t).__name__}; keep other values as attributes of ctx (ctx.value = ...)")
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        return self._saved

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """Outputs that get no gradient (indices, masks): they do not require grad; backward sees zeros."""
        self._non_differentiable.update(id(t) for t in tensors)

    def set_materialize_grads(self, value: bool) -> None:
        """Accepted for compatibility. glassgrad always passes zeros (never None) for an output's unused
        gradient, which code that checks ``if grad is not None`` handles as well."""
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors: Tensor) -> None:
        raise NotImplementedError("ctx.mark_dirty (in-place custom Functions) is not supported by glassgrad; "
                                  "return a new tensor from forward instead of editing an input")


def once_differentiable(fn: Any) -> Any:
    """torch.autograd.function.once_differentiable: the backward runs as usual, but its gradients cannot
    be differentiated again (with create_graph=True they raise torch's error when differentiated)."""
    fn.once_differentiable = True
    return fn


class _Unpack(Op):
    """One output of a several-output custom Function: a slice of the packed flat array.

    y = packed[start:stop].reshape(shape);  d packed = zeros with d y (flattened) in [start, stop).
    """

    @staticmethod
    def forward(ctx: Context, packed: Any, start: int, stop: int, shape: tuple[int, ...], dtype: Any) -> Any:
        ctx.packed_shape, ctx.packed_dtype, ctx.start, ctx.stop = packed.shape, packed.dtype, start, stop
        return packed[start:stop].reshape(shape).astype(dtype)

    differentiable_backward = True

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return written_at(ctx.packed_shape, ArrayIndex(slice(ctx.start, ctx.stop)), grad.reshape(-1), accumulate=False)


class _UserNode(Op):
    """The array-level node of one ``Function.apply``; subclassed per user class (see ``_node_class``)."""

    user_function: type = None  # type: ignore[assignment]
    differentiable_backward = True  # the user's backward, run on the graph's tensors (see backward)

    @classmethod
    def backward(cls, ctx: Context, grad: Any) -> Any:
        """The user's backward on Tensors. On arrays (the ordinary path) under no_grad, returning arrays; on a
        Tensor (create_graph=True, glassgrad/autograd/higher_order.py) under grad mode, so the glassgrad ops it calls
        record the graph of the gradients it returns, as torch differentiates a custom Function twice."""
        recording = isinstance(grad, Tensor)
        user_ctx: FunctionCtx = ctx.user_ctx
        if recording:
            user_ctx = _graph_user_ctx(cls.user_function.__name__, user_ctx, ctx)
        output_grads = []
        for layout in ctx.output_layout:  # one gradient per forward output, in order
            if layout[0] == "packed":
                _, start, stop, shape, dtype = layout
                piece = (grad if ctx.single else grad[start:stop].reshape(shape)).astype(dtype, copy=False)
                output_grads.append(piece if recording else Tensor._make(piece, False))
            else:  # a non-differentiable output: zeros of its shape
                _, shape, dtype = layout
                output_grads.append(Tensor._make(backend.xp.zeros(shape, dtype=dtype), False))
        with enable_grad() if recording else no_grad():
            returned = cls.user_function.backward(user_ctx, *output_grads)
        return _check_returned(cls.user_function.__name__, returned, ctx.arg_is_tensor, ctx.input_shapes, recording)


def _graph_user_ctx(name: str, user_ctx: FunctionCtx, ctx: Context) -> FunctionCtx:
    """The user's ctx for a backward that records its graph: saved inputs are the graph's inputs already; a saved
    output (one output only) becomes the graph's output tensor. Anything else computed in forward has a dependence
    on the inputs the graph does not know: refused, so a second derivative is never silently wrong."""
    output = getattr(ctx, "graph_output", None)
    saved = []
    for position, t in enumerate(user_ctx.saved_tensors):
        if t is None or id(t) in ctx.input_ids or not backend.is_float(t.dtype):
            saved.append(t)
        elif id(t.array) in ctx.output_ids and ctx.single and output is not None and t.array is output.array:
            saved.append(output)
        else:
            raise NotImplementedError(f"{name}: saved tensor {position} is neither an input nor the output of "
                                      "forward, so its dependence on the inputs is unknown to the graph (save inputs "
                                      "or the output, as torch asks)")
    for attribute, value in vars(user_ctx).items():
        if isinstance(value, Tensor) and backend.is_float(value.dtype) and id(value) not in ctx.input_ids:
            raise NotImplementedError(f"{name}: ctx.{attribute} is a tensor computed in forward; its dependence on "
                                      "the inputs is unknown to the graph (save the inputs with save_for_backward)")
    graph_ctx = copy.copy(user_ctx)
    graph_ctx._saved = tuple(saved)
    return graph_ctx


def _check_returned(name: str, returned: Any, arg_is_tensor: tuple[bool, ...], input_shapes: list,
                    keep_tensors: bool = False) -> tuple:
    """The user's backward result as one array (or None) per Tensor argument, checked as torch checks it
    (``keep_tensors``: the Tensors themselves, with their graph)."""
    if not isinstance(returned, tuple | list):
        returned = (returned,)
    returned = tuple(returned)
    n_args = len(arg_is_tensor)
    if len(returned) > n_args and all(g is None for g in returned[n_args:]):
        returned = returned[:n_args]
    if len(returned) != n_args:
        raise RuntimeError(f"function {name}Backward returned an incorrect number of gradients (expected "
                           f"{n_args}, got {len(returned)}): backward must return one gradient (or None) per "
                           "argument of forward")
    arrays = []
    for position, (g, is_tensor) in enumerate(zip(returned, arg_is_tensor)):
        if not is_tensor:
            if g is not None:
                raise RuntimeError(f"function {name}Backward returned a gradient different than None at position "
                                   f"{position}, but the corresponding forward input was not a Tensor")
            continue
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"function {name}Backward returned a {type(g).__name__} at position {position}; "
                            "expected a Tensor or None")
        arrays.append(None if g is None else g if keep_tensors else g.array)
    for position, (g, shape) in enumerate(zip(arrays, input_shapes)):
        if g is not None and g.shape != tuple(shape) and not _reducible(g.shape, tuple(shape)):
            raise RuntimeError(f"function {name}Backward returned an invalid gradient at index {position} - got "
                               f"{list(g.shape)} but expected shape compatible with {list(shape)}")
    return tuple(arrays)


def _reducible(grad_shape: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    """True when a gradient of ``grad_shape`` is ``shape`` broadcast (the engine sums it back down)."""
    try:
        return backend.xp.broadcast_shapes(grad_shape, shape) == grad_shape
    except ValueError:
        return False


_node_classes: dict[type, type] = {}


def _node_class(user_function: type) -> type:
    """The ``_UserNode`` subclass named after the user's class, so its node prints ``<NameBackward>``."""
    if user_function not in _node_classes:
        once = getattr(user_function.backward, "once_differentiable", False)
        _node_classes[user_function] = type(user_function.__name__, (_UserNode,), {
            "user_function": user_function, "differentiable_backward": not once,
            "not_differentiable_reason": "trying to differentiate twice a function that was marked with "
                                         "@once_differentiable" if once else None})
    return _node_classes[user_function]


class Function:
    """Base class of a custom autograd op over Tensors (torch.autograd.Function); see the module docstring.

    Subclasses define ``@staticmethod forward(ctx, *args)`` and ``@staticmethod backward(ctx, *grad_outputs)``
    (or torch 2's ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``), and are called as
    ``MyFunction.apply(*args)``, never instantiated.
    """

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a custom Function must define @staticmethod forward(ctx, *args)")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Tensor) -> Any:
        raise NotImplementedError("a custom Function must define @staticmethod backward(ctx, *grad_outputs) "
                                  "to be differentiated")

    @staticmethod
    def setup_context(ctx: FunctionCtx, inputs: tuple[Any, ...], output: Any) -> None:
        raise NotImplementedError

    vjp = backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` on the arguments and record one node whose backward is ``cls.backward``."""
        if kwargs:
            raise TypeError(f"{cls.__name__}.apply takes positional arguments only (as torch's), got keyword "
                            f"arguments {sorted(kwargs)}")
        arg_is_tensor = tuple(isinstance(a, Tensor) for a in args)
        tensor_inputs = tuple(a for a in args if isinstance(a, Tensor))
        record = is_grad_enabled() and any(t.requires_grad for t in tensor_inputs)
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(record and isinstance(a, Tensor) and a.requires_grad for a in args)
        separate_setup = cls.setup_context is not Function.setup_context
        with no_grad():
            output = cls.forward(*args) if separate_setup else cls.forward(ctx, *args)
            if separate_setup:
                cls.setup_context(ctx, args, output)
        return _wrap_outputs(cls, ctx, output, tensor_inputs, arg_is_tensor, record)


def _wrap_outputs(cls: type, ctx: FunctionCtx, output: Any, tensor_inputs: tuple[Tensor, ...],
                  arg_is_tensor: tuple[bool, ...], record: bool) -> Any:
    """Fresh output tensors (sharing the forward's arrays and version counters), joined to one node."""
    several = isinstance(output, tuple | list)
    outputs = tuple(output) if several else (output,)
    for position, out in enumerate(outputs):
        if not isinstance(out, Tensor):
            raise TypeError(f"{cls.__name__}.forward must return a Tensor or a tuple of Tensors; output "
                            f"{position} is a {type(out).__name__}")
    differentiable = [record and backend.is_float(o.dtype) and id(o) not in ctx._non_differentiable
                      for o in outputs]
    if not any(differentiable):
        return output if several else _fresh(outputs[0], False)

    node_ctx = Context()
    node_ctx.user_ctx, node_ctx.arg_is_tensor = ctx, arg_is_tensor
    node_ctx.input_shapes = [t.shape for t in tensor_inputs]
    node_ctx.input_ids = frozenset(id(t) for t in tensor_inputs)  # (ids: the checks under create_graph)
    node_ctx.output_ids = frozenset(id(o.array) for o in outputs)
    node_ctx.params = {}
    node_ctx.needs_input_grad = tuple(t.requires_grad for t in tensor_inputs)
    node_ctx.single = sum(differentiable) == 1
    chosen = [o for o, d in zip(outputs, differentiable) if d]
    packed_dtype = backend.xp.result_type(*(o.dtype for o in chosen))
    layout, start = [], 0
    for out, is_diff in zip(outputs, differentiable):
        if is_diff:
            layout.append(("packed", start, start + out.array.size, out.array.shape, out.dtype))
            start += out.array.size
        else:
            layout.append(("constant", out.array.shape, out.dtype))
    node_ctx.output_layout = layout
    if node_ctx.single:
        packed_array = chosen[0].array
    else:
        packed_array = backend.xp.concatenate([o.array.reshape(-1).astype(packed_dtype) for o in chosen])
    packed = Tensor._make(packed_array, True)
    packed._node = Node(_node_class(cls), node_ctx, tensor_inputs)
    packed._node.saved_versions = tuple((t._version_counter, t._version_counter[0], f"saved tensor {i}")
                                        for i, t in enumerate(ctx.saved_tensors) if t is not None)
    if node_ctx.single:
        packed._version_counter = chosen[0]._version_counter
        results = [packed if d else _fresh(o, False) for o, d in zip(outputs, differentiable)]
    else:
        results = []
        for out, is_diff, piece in zip(outputs, differentiable, layout):
            if is_diff:
                _, begin, end, shape, dtype = piece
                results.append(_Unpack.apply(packed, start=begin, stop=end, shape=shape, dtype=dtype))
            else:
                results.append(_fresh(out, False))
    return tuple(results) if several else results[0]


def _fresh(out: Tensor, requires_grad: bool) -> Tensor:
    t = Tensor._make(out.array, requires_grad)
    t._version_counter = out._version_counter
    return t

