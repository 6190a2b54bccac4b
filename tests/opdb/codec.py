"""A sample of the op database (tensors nested in lists, tuples and dicts, dtypes, numbers) as storable
data, and back as the objects of either framework: torch's when recording, glassgrad's when testing.

Tags added to those of tests/helpers/oracle_codec.py (a dict with exactly one key):

    {"T": [array, dtype name, requires_grad]}   a tensor (bfloat16 values kept as float32)
    {"dtype": "float32"}                         a dtype        {"device": "cpu"}   a device
    {"obj": ["nn.PairwiseDistance", {"p": 2.0, ...}]}   an object torch's sample passes as an option
                                                 (a dataclass of options, a parameterless module),
                                                 rebuilt from its public name and constructor arguments

Anything else torch may put in a sample (a memory format, a generator, a function) cannot be stored:
``encode`` raises :class:`OutOfScope` with the reason, and the sample is left out.

Complex tensors, dtypes and numbers are stored only inside :func:`allowing_complex` (record.py uses it
for the OpInfos of :func:`complex_in_scope`: the fft family and the complex-number ops glassgrad has);
for every other OpInfo they stay out of scope, so re-recording it cannot turn a passing entry into one
with complex samples glassgrad was never asked to compute.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from tests.helpers.oracle_codec import ArrayStore
from tests.helpers.oracle_codec import decode as decode_plain
from tests.helpers.oracle_codec import encode as encode_plain

IN_SCOPE_DTYPES = ("float64", "float32", "int64", "bool")
COMPLEX_DTYPES = ("complex128", "complex64")  # recorded too for the OpInfos of complex_in_scope
# the complex-number ops, and the ops glassgrad/ops/complex_forms.py lets take complex input whose complex
# samples all pass (pow is left out: a complex exponent is not supported)
COMPLEX_OPS = {
    "polar", "complex", "view_as_real", "view_as_complex", "imag", "real", "conj", "conj_physical", "resolve_conj",
    "angle", "abs", "isreal", "isnan", "isinf", "isfinite", "stft", "istft",
    "add", "sub", "mul", "div", "true_divide", "neg", "positive", "__radd__", "__rsub__", "__rmul__", "__rdiv__",
    "sum", "mean", "cumsum", "matmul", "mm", "bmm", "mv", "dot", "vdot", "outer", "einsum",
    "exp", "log", "sqrt", "rsqrt", "reciprocal", "square", "sin", "cos", "sinh", "cosh", "tanh",
    "reshape", "view", "permute", "transpose", "t", "T", "mT", "H", "mH", "flatten", "squeeze", "unsqueeze", "expand",
    "cat", "stack", "flip", "roll", "clone", "narrow", "select", "diagonal", "tril", "triu", "where",
    "index_select", "gather", "masked_fill", "repeat", "repeat_interleave", "var", "std", "var_mean", "std_mean",
    "norm", "linalg.vector_norm",
    "linalg.eig", "linalg.eigvals",  # complex results for real input too
    "linalg.multi_dot", "linalg.diagonal", "linalg.vecdot", "trace", "inner", "tensordot",  # (vecdot conjugates x)
    "linalg.inv", "linalg.det", "linalg.solve", "inverse", "det", "linalg.matrix_power",
    "addmm", "addmv", "addr", "addbmm", "baddbmm",
    "linalg.cross", "cross", "linalg.vander", "kron",
    # the decompositions and solvers written with conjugate transposes (ops/linalg_*.py)
    "linalg.eigh", "linalg.eigvalsh", "linalg.qr", "qr", "linalg.cholesky", "linalg.cholesky_ex", "cholesky",
    "cholesky_solve", "cholesky_inverse", "linalg.solve_triangular", "triangular_solve", "linalg.slogdet", "logdet",
    "linalg.pinv", "pinverse", "linalg.lstsq", "linalg.matrix_rank", "linalg.svdvals", "linalg.matrix_norm",
    "linalg.norm", "linalg.cond", "linalg.svd", "svd", "linalg.lu", "linalg.lu_factor", "linalg.lu_factor_ex",
    "linalg.lu_solve", "lu", "lu_solve", "lu_unpack", "matrix_exp", "linalg.householder_product", "geqrf", "ormqr",
    "linalg.ldl_factor", "linalg.ldl_factor_ex", "linalg.ldl_solve",
}
_complex_allowed = False


COMPLEX_LEFT_OUT: set[tuple[str, str]] = set()  # (name, variant) of a complex_in_scope OpInfo left out


def complex_in_scope(name: str, defined_in: str, variant: str = "") -> bool:
    """True for the OpInfos whose complex samples and answers are recorded and judged."""
    if (name, variant) in COMPLEX_LEFT_OUT:
        return False
    return defined_in == "fft" or name.startswith("fft.") or name in COMPLEX_OPS


@contextlib.contextmanager
def allowing_complex(allowed: bool = True) -> Iterator[None]:
    """Within it, ``encode`` stores complex tensors, dtypes and numbers instead of refusing them."""
    global _complex_allowed
    kept, _complex_allowed = _complex_allowed, allowed
    try:
        yield
    finally:
        _complex_allowed = kept


class OutOfScope(Exception):
    """A sample (or a whole OpInfo) that glassgrad leaves out by design; the message says why."""


def dtype_name(dtype: Any) -> str:
    """torch.float32 / numpy.dtype('float32') -> 'float32'."""
    return str(dtype).removeprefix("torch.")


def encode(value: Any, store: ArrayStore, torch: Any) -> Any:
    """torch's ``value`` as JSON-able data (arrays set aside in ``store``)."""
    if isinstance(value, torch.Tensor):
        return {"T": _encode_tensor(value, store, torch)}
    if isinstance(value, torch.dtype):
        if value.is_complex and not _complex_allowed:
            raise OutOfScope("complex tensors")
        return {"dtype": dtype_name(value)}
    if isinstance(value, torch.device):
        return {"device": str(value)}
    if isinstance(value, torch.memory_format | torch.layout):
        raise OutOfScope("memory formats")
    if isinstance(value, torch.nn.PairwiseDistance):
        return {"obj": ["nn.PairwiseDistance", encode({"p": value.norm, "eps": value.eps, "keepdim": value.keepdim},
                                                      store, torch)]}
    if isinstance(value, torch.nn.TransformerEncoderLayer):
        return {"obj": ["nn.TransformerEncoderLayer", encode(_encoder_layer_arguments(value, torch), store, torch)]}
    if dataclasses.is_dataclass(value) and getattr(torch.nn, type(value).__name__, None) is type(value):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {"obj": [f"nn.{type(value).__name__}", encode(fields, store, torch)]}
    if isinstance(value, complex) and not _complex_allowed:
        raise OutOfScope("complex tensors")
    if isinstance(value, dict):
        return {"d": [[encode(k, store, torch), encode(v, store, torch)] for k, v in value.items()
                      if not _is_default_layout(v, torch)]}
    if isinstance(value, list):
        return [encode(v, store, torch) for v in value]
    if isinstance(value, tuple):  # torch.Size and torch's named tuples (values, indices) included
        return {"t": [encode(v, store, torch) for v in value]}
    if callable(value) or type(value).__module__.startswith("torch"):
        raise OutOfScope(f"a {type(value).__name__} in the sample")
    try:
        return encode_plain(value, store)
    except TypeError as error:
        raise OutOfScope(str(error)) from None


def _encoder_layer_arguments(layer: Any, torch: Any) -> dict[str, Any]:
    """The constructor arguments of a TransformerEncoderLayer, read back from its parts."""
    activations = {torch.nn.functional.relu: "relu", torch.nn.functional.gelu: "gelu"}
    if layer.activation not in activations:
        raise OutOfScope("a TransformerEncoderLayer with a custom activation")
    return {"d_model": layer.self_attn.embed_dim, "nhead": layer.self_attn.num_heads,
            "dim_feedforward": layer.linear1.out_features, "dropout": layer.dropout.p,
            "activation": activations[layer.activation], "layer_norm_eps": layer.norm1.eps,
            "batch_first": layer.self_attn.batch_first, "norm_first": layer.norm_first,
            "bias": layer.linear1.bias is not None}


def _is_default_layout(value: Any, torch: Any) -> bool:
    """``memory_format=torch.preserve_format`` / ``contiguous_format``, ``layout=torch.strided``: what every
    glassgrad tensor has, so a keyword that asks for it is dropped (other formats stay out of scope)."""
    return any(value is default for default in (torch.preserve_format, torch.contiguous_format, torch.strided))


def _encode_tensor(tensor: Any, store: ArrayStore, torch: Any) -> list[Any]:
    if tensor.layout != torch.strided:
        raise OutOfScope("sparse tensors")
    if tensor.is_quantized:
        raise OutOfScope("quantized tensors")
    if tensor.is_complex() and not _complex_allowed:
        raise OutOfScope("complex tensors")
    data = tensor.detach().cpu().resolve_conj().resolve_neg()
    if data.dtype == torch.bfloat16:
        data = data.float()
    return [store.put(data.numpy(force=True).copy()), dtype_name(tensor.dtype), bool(tensor.requires_grad)]


@dataclasses.dataclass(frozen=True)
class Framework:
    """How one framework (torch, glassgrad, or plain answers) makes a tensor, a dtype and a device."""

    make_tensor: Callable[[np.ndarray, Any, bool], Any]
    dtype: Callable[[str], Any]
    device: Callable[[str], Any]
    make_object: Callable[[str, dict[str, Any]], Any]


def _dtype_in(module: Any) -> Callable[[str], Any]:
    def dtype(name: str) -> Any:
        found = getattr(module, name, None)
        if found is None:
            raise NotImplementedError(f"{module.__name__} has no dtype {name!r}")
        return found
    return dtype


def _device_in(module: Any) -> Callable[[str], Any]:
    return lambda name: module.device(name) if hasattr(module, "device") else name


def _object_in(module: Any) -> Callable[[str, dict[str, Any]], Any]:
    def make(path: str, arguments: dict[str, Any]) -> Any:
        target = module
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                raise AttributeError(f"{module.__name__}.{path} does not exist")
        return target(**arguments)
    return make


def torch_framework(torch: Any) -> Framework:
    return Framework(lambda array, dtype, requires_grad: torch.tensor(array).to(dtype).requires_grad_(requires_grad),
                     _dtype_in(torch), _device_in(torch), _object_in(torch))


def glassgrad_framework(glassgrad: Any) -> Framework:
    return Framework(lambda array, dtype, requires_grad: glassgrad.tensor(array.astype(dtype),
                                                                          requires_grad=requires_grad),
                     _dtype_in(glassgrad), _device_in(glassgrad), _object_in(glassgrad))


@dataclasses.dataclass
class Answer:
    """A tensor of a recorded answer as plain data: its values (bfloat16 as float32) and dtype name."""

    values: np.ndarray
    dtype: str


ANSWERS = Framework(lambda array, dtype, requires_grad: Answer(array, dtype), lambda name: name, lambda name: name,
                    lambda path, arguments: (path, arguments))


def decode(data: Any, store: ArrayStore, framework: Framework) -> Any:
    """The inverse of :func:`encode`, building ``framework``'s tensors, dtypes and devices."""
    if isinstance(data, list):
        return [decode(v, store, framework) for v in data]
    if not isinstance(data, dict):
        return data
    ((tag, body),) = data.items()
    if tag == "T":
        ref, name, requires_grad = body
        return framework.make_tensor(store.get(ref), framework.dtype(name), requires_grad)
    if tag == "dtype":
        return framework.dtype(body)
    if tag == "device":
        return framework.device(body)
    if tag == "obj":
        return framework.make_object(body[0], decode(body[1], store, framework))
    if tag == "t":
        return tuple(decode(v, store, framework) for v in body)
    if tag == "d":
        return {decode(k, store, framework): decode(v, store, framework) for k, v in body}
    return decode_plain(data, store)


def walk(value: Any) -> Iterator[Any]:
    """Every leaf of a nest of lists, tuples and dicts, in a fixed order (dicts by insertion)."""
    if isinstance(value, list | tuple):
        for item in value:
            yield from walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    else:
        yield value
