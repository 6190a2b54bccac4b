"""What a tensor is, as torch programs ask it: device flags, dtype kind, layout and memory.

These are attributes and questions, not ops: none of them makes a graph. A dense glassgrad
tensor is a strided NumPy (or CuPy) array, so the answers follow from the array (a sparse COO
tensor answers its own: ``glassgrad/sparse/coo.py``):

* device flags (``is_cpu``, ``is_cuda``, ``is_mps``, ``is_xpu``, ``is_meta`` ...) from where the
  array lives (``is_cuda`` is in tensor.py); only CPU and CUDA arrays exist here;
* the kinds a dense tensor is not (sparse, quantized, nested, MKL-DNN, conjugate, negative views)
  are always False, as they are for torch's dense strided tensors;
* ``stride()``, ``storage_offset()``, ``data_ptr()`` and ``nbytes`` read the array's memory, in
  elements as torch counts them (NumPy counts strides in bytes).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from glassgrad import layout as layouts
from glassgrad.bfloat16_math import bfloat16

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


def _base_array(array: Any) -> Any:
    """The array that owns the memory ``array`` looks into (``array`` itself when it owns it)."""
    while type(getattr(array, "base", None)) is type(array):
        array = array.base
    return array


def _contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Row-major strides in elements: the last axis steps by 1, each earlier one by the sizes after it."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= builtins.max(size, 1)
    return tuple(reversed(strides))


def _address(array: Any) -> int:
    """The address of the array's first element (NumPy's interface; CuPy's device pointer)."""
    interface = getattr(array, "__array_interface__", None)
    return interface["data"][0] if interface is not None else array.data.ptr


class QueryMethods:
    """Attribute queries torch programs make on a tensor (``x.is_xpu``, ``x.stride()``, ...)."""

    # ----- device -----------------------------------------------------------
    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    @property
    def is_mps(self) -> bool:
        return self.device.type == "mps"

    @property
    def is_meta(self) -> bool:
        return self.device.type == "meta"

    @property
    def is_xpu(self) -> bool:
        return False  # no Intel GPU arrays in glassgrad

    @property
    def is_ipu(self) -> bool:
        return False

    @property
    def is_xla(self) -> bool:
        return False

    @property
    def is_vulkan(self) -> bool:
        return False

    @property
    def is_maia(self) -> bool:
        return False

    @property
    def is_mtia(self) -> bool:
        return False

    def get_device(self) -> int:
        """The CUDA device index, or -1 for a CPU tensor (torch's convention)."""
        return -1 if self.device.type == "cpu" else (self.device.index or 0)

    def is_pinned(self) -> bool:
        """False: pinned (page-locked) host memory only matters for copies to a GPU."""
        return False

    def pin_memory(self, device: Any = None) -> Tensor:  # noqa: ARG002  (torch's signature)
        """This tensor itself: glassgrad has no page-locked memory to copy it into (torch without a
        GPU refuses instead; here ``DataLoader(pin_memory=True)`` programs run unchanged)."""
        return self

    # ----- kinds of tensor glassgrad does not have --------------------------
    @property
    def layout(self) -> layouts.layout:
        """``torch.strided``: every glassgrad tensor is a dense strided array."""
        return layouts.strided

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def is_sparse_csr(self) -> bool:
        return False

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_nested(self) -> bool:
        return False

    @property
    def is_mkldnn(self) -> bool:
        return False

    def is_complex(self) -> bool:
        return self.array.dtype.kind == "c"

    def is_conj(self) -> bool:
        return False  # no lazily conjugated views

    def is_neg(self) -> bool:
        return False  # no lazily negated views

    def is_inference(self) -> bool:
        """False: ``inference_mode`` here is ``no_grad``, and the tensors made inside it are
        ordinary tensors (torch marks them as inference tensors)."""
        return False

    def is_distributed(self) -> bool:
        return False

    def sparse_dim(self) -> int:
        return 0  # a dense tensor: no sparse dimensions, as torch answers

    def dense_dim(self) -> int:
        return self.array.ndim

    def is_coalesced(self) -> bool:
        raise RuntimeError("is_coalesced expected sparse coordinate tensor layout but got Strided")

    # the sparse tensor's parts (glassgrad/sparse/coo.py): a dense tensor refuses them, as torch
    def indices(self) -> Tensor:
        raise RuntimeError("indices expected sparse coordinate tensor layout but got Strided")

    def values(self) -> Tensor:
        raise RuntimeError("values expected sparse tensor layout but got Strided")

    def coalesce(self) -> Tensor:
        raise RuntimeError("coalesce expected sparse coordinate tensor layout but got Strided")

    @property
    def output_nr(self) -> int:
        return 0  # every glassgrad op has one output per node

    # ----- dtype ------------------------------------------------------------
    def is_signed(self) -> bool:
        """True for floats and signed integers; False for bool and uint8."""
        return self.array.dtype.kind in "fic" or self.array.dtype == bfloat16

    @property
    def itemsize(self) -> int:
        """Bytes per element (``element_size()`` as an attribute)."""
        return self.array.itemsize

    @property
    def nbytes(self) -> int:
        """Bytes the elements take, as torch counts them: ``numel() * itemsize`` (an expanded view
        counts every repeat, though it stores one)."""
        return int(self.array.size) * self.array.itemsize

    # ----- memory -----------------------------------------------------------
    def stride(self, dim: int | None = None) -> Any:
        """Elements to step over to move one place along each axis (a tuple), or along ``dim``.
        A broadcast (expanded) axis has stride 0; a flipped view here has a negative stride. An
        empty tensor has the strides of a contiguous one (NumPy gives it zeros)."""
        if self.array.size == 0:
            strides = _contiguous_strides(self.array.shape)
        else:
            strides = tuple(s // self.array.itemsize for s in self.array.strides)
        return strides if dim is None else strides[self._dim(dim)]

    def storage_offset(self) -> int:
        """Where this tensor's first element sits in the memory it shares, in elements."""
        base = _base_array(self.array)
        return (_address(self.array) - _address(base)) // self.array.itemsize

    def share_memory_(self) -> Tensor:
        """Move the array into shared memory, so other processes see this tensor's values and edits
        (glassgrad/multiprocessing/shared_tensor.py); returns the tensor."""
        from glassgrad.multiprocessing.shared_tensor import share_memory_

        return share_memory_(self)

    def is_shared(self) -> builtins.bool:
        """True when the array is in shared memory (``share_memory_``)."""
        from glassgrad.multiprocessing.shared_tensor import is_shared

        return is_shared(self)

    def data_ptr(self) -> int:
        """The address of the first element (for identity checks; glassgrad gives no raw access)."""
        return _address(self.array)

    def is_set_to(self, tensor: Tensor) -> bool:
        """True when both tensors look at the same memory with the same shape and strides."""
        a, b = self.array, tensor.array
        same_memory = _base_array(a) is _base_array(b) and _address(a) == _address(b)
        return same_memory and a.shape == b.shape and a.strides == b.strides

    def dim_order(self) -> tuple[int, ...]:
        """The axes from outermost to innermost in memory (``(0, 1, ...)`` when contiguous)."""
        strides = self.stride()
        return tuple(sorted(range(self.array.ndim), key=lambda d: -strides[d]))

    # ----- values -----------------------------------------------------------
    def is_same_size(self, other: Tensor) -> bool:
        return self.array.shape == other.array.shape

    def is_nonzero(self) -> bool:
        """The truth of a one-element tensor; torch refuses any other size."""
        if self.array.size == 0:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
        if self.array.size > 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self.array.reshape(()).item())


# torch's function forms of the same questions: torch.is_complex(x), torch.is_nonzero(x), ...
def is_complex(input: Tensor) -> bool:  # noqa: A002  (torch's argument name)
    return input.is_complex()


def is_conj(input: Tensor) -> bool:  # noqa: A002
    return input.is_conj()


def is_neg(input: Tensor) -> bool:  # noqa: A002
    return input.is_neg()


def is_signed(input: Tensor) -> bool:  # noqa: A002
    return input.is_signed()


def is_inference(input: Tensor) -> bool:  # noqa: A002
    return input.is_inference()


def is_nonzero(input: Tensor) -> bool:  # noqa: A002
    return input.is_nonzero()


def is_same_size(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    return input.is_same_size(other)


def is_storage(obj: Any) -> bool:  # noqa: ARG001
    """False: glassgrad has no Storage objects (a tensor's memory is its array)."""
    return False
