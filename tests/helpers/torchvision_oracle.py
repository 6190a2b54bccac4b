"""torchvision as a test oracle: imported where it is installed, replayed from the recording where not.

The ``tv`` fixture (tests/vision/conftest.py) hands a test ``(torch, torchvision)``, both through
the ``torch`` fixture's recording proxy (tests/helpers/torch_proxy.py), so what torchvision
answers is stored with the test's other torch answers and replayed without it. torchvision is not a
test dependency: with torch installed but torchvision absent, the test replays its recording.

A torchvision wheel built against another flavour of torch (its CUDA build next to a CPU-only
torch) fails to register its C++ operators (``nms`` and friends) at import; transforms, data sets
and models do not need them, so :func:`import_torchvision` then imports it without those
registrations.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any


def import_torchvision() -> Any:
    """The torchvision module, or None when it is not installed."""
    if "torchvision" in sys.modules and hasattr(sys.modules["torchvision"], "transforms"):
        return sys.modules["torchvision"]
    if importlib.util.find_spec("torchvision") is None:
        return None
    try:
        import torchvision
    except RuntimeError as error:
        if "does not exist" not in str(error):  # not the missing-operator case: a real problem
            raise
        for name in [n for n in sys.modules if n == "torchvision" or n.startswith("torchvision.")]:
            del sys.modules[name]
        sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
        import torchvision
    return torchvision
