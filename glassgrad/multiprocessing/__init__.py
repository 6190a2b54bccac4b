"""torch.multiprocessing: Python's multiprocessing, plus Tensors that travel through shared memory.

Everything of ``multiprocessing`` is here under the same names (``Process``, ``Pool``, ``Queue``,
``set_start_method``, ``get_context``, ...). What importing this module adds:

* a reduction registered with multiprocessing's pickler, so a Tensor (or Parameter) moved to shared
  memory with ``share_memory_()`` reaches another process as the same memory, not a copy
  (``shared_tensor.py``);
* ``spawn(fn, args, nprocs)``, torch's way of starting workers (``spawning.py``).

Hogwild (pytorch/examples' mnist_hogwild)::

    model.share_memory()                        # parameters now in shared memory
    workers = [mp.Process(target=train, args=(model,)) for _ in range(4)]
    ...                                         # each worker's optimizer.step() moves the parent's model
"""

from multiprocessing import *  # noqa: F403 (torch.multiprocessing re-exports the whole module)
from multiprocessing import reduction as _reduction

from glassgrad.multiprocessing import shared_tensor as _shared_tensor
from glassgrad.multiprocessing.spawning import ProcessContext as ProcessContext
from glassgrad.multiprocessing.spawning import ProcessException as ProcessException
from glassgrad.multiprocessing.spawning import ProcessExitedException as ProcessExitedException
from glassgrad.multiprocessing.spawning import ProcessRaisedException as ProcessRaisedException
from glassgrad.multiprocessing.spawning import spawn as spawn
from glassgrad.multiprocessing.spawning import start_processes as start_processes
from glassgrad.nn.parameter import Parameter as _Parameter
from glassgrad.tensor import Tensor as _Tensor

for _cls in (_Tensor, _Parameter):
    _reduction.ForkingPickler.register(_cls, _shared_tensor.reduce_tensor)


def get_sharing_strategy() -> str:
    """torch's name for how tensors are shared: here always files in /dev/shm ("file_system")."""
    return "file_system"


def set_sharing_strategy(new_strategy: str) -> None:
    if new_strategy != "file_system":
        raise ValueError(f"sharing strategy {new_strategy!r} is not supported; glassgrad shares through files "
                         "in /dev/shm ('file_system')")


def get_all_sharing_strategies() -> set[str]:
    return {"file_system"}
