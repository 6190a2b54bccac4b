"""torch's legacy tensor types: ``torch.LongTensor(3)``, ``torch.FloatTensor([1, 2])``, ``isinstance``.

Old PyTorch programs (and some current examples, e.g. word_language_model's ONNX export) build tensors
with these constructors. Each type is a class whose metaclass does two things, as in torch:

* calling it builds a CPU tensor of its dtype: ``T()`` is empty, ``T(2, 3)`` or ``T(Size([2, 3]))`` has
  that shape (zeros here; torch leaves it uninitialised), ``T([[1, 2], [3, 4]])`` copies the data, and
  ``T(tensor)`` returns a tensor that already has the type (another dtype raises ``TypeError``);
* ``isinstance(x, T)`` is true for a tensor of that dtype on the CPU.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import dtypes
from glassgrad.tensor import Tensor, legacy_shape


class LegacyTensorType(type):
    """The metaclass of FloatTensor, LongTensor, ...: a constructor and an isinstance check by dtype."""

    dtype: numpy.dtype

    def __call__(cls, *args: Any) -> Tensor:
        from glassgrad.creation import empty, tensor

        if len(args) == 1 and isinstance(args[0], Tensor):
            if args[0].dtype != cls.dtype:
                raise TypeError(f"{cls.__name__}(tensor): expected a tensor of dtype {cls.dtype}, got "
                                f"{args[0].dtype}; use tensor.to({cls.dtype}) to convert")
            return args[0]
        shape = legacy_shape(args)
        if shape is not None:
            return empty(*shape, dtype=cls.dtype)
        if len(args) == 1 and isinstance(args[0], list | tuple | numpy.ndarray):
            return tensor(args[0], dtype=cls.dtype)
        raise TypeError(f"{cls.__name__}(): expected sizes (ints), a Size, a sequence of data or a tensor, "
                        f"got {', '.join(type(a).__name__ for a in args)}")

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype and obj.device.type == "cpu"


def _legacy_type(name: str, dtype: numpy.dtype) -> LegacyTensorType:
    return LegacyTensorType(name, (), {"dtype": dtype, "__module__": "glassgrad",
                                       "__doc__": f"torch.{name}: a {dtype} tensor on the CPU (legacy)."})


FloatTensor = _legacy_type("FloatTensor", dtypes.float32)
DoubleTensor = _legacy_type("DoubleTensor", dtypes.float64)
HalfTensor = _legacy_type("HalfTensor", dtypes.float16)
ByteTensor = _legacy_type("ByteTensor", dtypes.uint8)
CharTensor = _legacy_type("CharTensor", dtypes.int8)
ShortTensor = _legacy_type("ShortTensor", dtypes.int16)
IntTensor = _legacy_type("IntTensor", dtypes.int32)
LongTensor = _legacy_type("LongTensor", dtypes.int64)
BoolTensor = _legacy_type("BoolTensor", dtypes.bool)
