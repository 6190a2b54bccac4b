"""Classic image classifiers with torchvision's constructors and state-dict keys (``glassgrad.vision.models``).

``resnet18(weights=None)`` builds an untrained network; ``weights="file.safetensors"`` loads a file the
user supplies (torchvision's weights saved once with safetensors; see :mod:`.weights`). Nothing is
downloaded, at import or ever. ``get_model(name, **kwargs)`` and ``list_models()`` as torchvision's.
"""

from typing import Any

from glassgrad.nn import Module
from glassgrad.vision.models.alexnet import AlexNet as AlexNet
from glassgrad.vision.models.alexnet import alexnet as alexnet
from glassgrad.vision.models.mobilenet import MobileNetV2 as MobileNetV2
from glassgrad.vision.models.mobilenet import mobilenet_v2 as mobilenet_v2
from glassgrad.vision.models.resnet import ResNet as ResNet
from glassgrad.vision.models.resnet import resnet18 as resnet18
from glassgrad.vision.models.resnet import resnet34 as resnet34
from glassgrad.vision.models.resnet import resnet50 as resnet50
from glassgrad.vision.models.squeezenet import SqueezeNet as SqueezeNet
from glassgrad.vision.models.squeezenet import squeezenet1_0 as squeezenet1_0
from glassgrad.vision.models.squeezenet import squeezenet1_1 as squeezenet1_1
from glassgrad.vision.models.vgg import VGG as VGG
from glassgrad.vision.models.vgg import vgg11 as vgg11
from glassgrad.vision.models.vgg import vgg11_bn as vgg11_bn
from glassgrad.vision.models.vgg import vgg16 as vgg16
from glassgrad.vision.models.vgg import vgg16_bn as vgg16_bn

_BUILDERS = {"alexnet": alexnet, "mobilenet_v2": mobilenet_v2, "resnet18": resnet18, "resnet34": resnet34,
             "resnet50": resnet50, "squeezenet1_0": squeezenet1_0, "squeezenet1_1": squeezenet1_1, "vgg11": vgg11,
             "vgg11_bn": vgg11_bn, "vgg16": vgg16, "vgg16_bn": vgg16_bn}


def list_models() -> list[str]:
    """The names :func:`get_model` builds."""
    return sorted(_BUILDERS)


def get_model(name: str, **config: Any) -> Module:
    """The model ``name`` built with ``config`` (``weights=``, ``num_classes=`` ...)."""
    if name.lower() not in _BUILDERS:
        raise ValueError(f"Unknown model {name}; glassgrad builds {', '.join(list_models())}")
    return _BUILDERS[name.lower()](**config)


__all__ = ["VGG", "AlexNet", "MobileNetV2", "ResNet", "SqueezeNet", "alexnet", "get_model", "list_models",
           "mobilenet_v2", "resnet18", "resnet34", "resnet50", "squeezenet1_0", "squeezenet1_1", "vgg11", "vgg11_bn",
           "vgg16", "vgg16_bn"]
