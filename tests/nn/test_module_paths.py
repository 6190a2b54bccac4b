"""torch's module paths: ``glassgrad.nn.modules.<file>.<Class>`` for every class torch keeps in
``torch.nn.modules.<file>`` that glassgrad has, the same class object as ``glassgrad.nn.<Class>``;
``NonDynamicallyQuantizableLinear`` (MultiheadAttention's ``out_proj``) and the argument helpers
of ``nn.modules.utils``."""

from __future__ import annotations

import importlib
import inspect

import pytest

import glassgrad as gg
from glassgrad import nn

# torch 2.13's torch.nn.modules.<file>.__all__ (the torch oracle cannot read a module's __all__, so the
# table is written out here; test_the_table_is_torchs checks it against live torch)
TORCH_PATHS = {
    "activation": [
        "Threshold", "ReLU", "RReLU", "Hardtanh", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh", "SiLU", "Mish",
        "Hardswish", "ELU", "CELU", "SELU", "GLU", "GELU", "Hardshrink", "LeakyReLU", "LogSigmoid", "Softplus",
        "Softshrink", "MultiheadAttention", "PReLU", "Softsign", "Tanhshrink", "Softmin", "Softmax", "Softmax2d",
        "LogSoftmax",
    ],
    "adaptive": ["AdaptiveLogSoftmaxWithLoss"],
    "batchnorm": [
        "BatchNorm1d", "LazyBatchNorm1d", "BatchNorm2d", "LazyBatchNorm2d", "BatchNorm3d", "LazyBatchNorm3d",
        "SyncBatchNorm",
    ],
    "channelshuffle": ["ChannelShuffle"],
    "container": ["Container", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"],
    "conv": [
        "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "LazyConv1d",
        "LazyConv2d", "LazyConv3d", "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d",
    ],
    "distance": ["PairwiseDistance", "CosineSimilarity"],
    "dropout": ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"],
    "flatten": ["Flatten", "Unflatten"],
    "fold": ["Fold", "Unfold"],
    "instancenorm": [
        "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LazyInstanceNorm1d", "LazyInstanceNorm2d",
        "LazyInstanceNorm3d",
    ],
    "lazy": ["LazyModuleMixin"],
    "linear": ["Bilinear", "Identity", "LazyLinear", "Linear"],
    "loss": [
        "L1Loss", "NLLLoss", "NLLLoss2d", "PoissonNLLLoss", "GaussianNLLLoss", "KLDivLoss", "MSELoss", "BCELoss",
        "BCEWithLogitsLoss", "HingeEmbeddingLoss", "MultiLabelMarginLoss", "SmoothL1Loss", "HuberLoss",
        "SoftMarginLoss", "CrossEntropyLoss", "LinearCrossEntropyLoss", "MultiLabelSoftMarginLoss",
        "CosineEmbeddingLoss", "MarginRankingLoss", "MultiMarginLoss", "TripletMarginLoss",
        "TripletMarginWithDistanceLoss", "CTCLoss",
    ],
    "module": [
        "register_module_forward_pre_hook", "register_module_forward_hook", "register_module_full_backward_pre_hook",
        "register_module_backward_hook", "register_module_full_backward_hook",
        "register_module_buffer_registration_hook", "register_module_module_registration_hook",
        "register_module_parameter_registration_hook", "Module",
    ],
    "normalization": ["LocalResponseNorm", "CrossMapLRN2d", "LayerNorm", "GroupNorm", "RMSNorm"],
    "padding": [
        "CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
        "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
        "ReplicationPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d",
    ],
    "pixelshuffle": ["PixelShuffle", "PixelUnshuffle"],
    "pooling": [
        "MaxPool1d", "MaxPool2d", "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d", "AvgPool1d", "AvgPool2d",
        "AvgPool3d", "FractionalMaxPool2d", "FractionalMaxPool3d", "LPPool1d", "LPPool2d", "LPPool3d",
        "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d",
        "AdaptiveAvgPool3d",
    ],
    "rnn": ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"],
    "sparse": ["Embedding", "EmbeddingBag"],
    "transformer": [
        "Transformer", "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer",
        "TransformerDecoderLayer",
    ],
    "upsampling": ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"],
    "utils": ["consume_prefix_in_state_dict_if_present"],
}


@pytest.mark.parametrize("name", list(TORCH_PATHS))
def test_every_class_glassgrad_has_is_at_torchs_path(name: str) -> None:
    ours = [c for c in TORCH_PATHS[name] if inspect.isclass(getattr(nn, c, None))]
    path = importlib.import_module(f"glassgrad.nn.modules.{name}") if ours else None
    missing = [c for c in ours if getattr(path, c, None) is not getattr(nn, c)]
    assert not missing, f"add to glassgrad/nn/modules/{name}.py: {missing}"


@pytest.mark.torch_live
def test_the_table_is_torchs() -> None:
    torch = pytest.importorskip("torch")
    for name, exported in TORCH_PATHS.items():
        assert exported == list(importlib.import_module(f"torch.nn.modules.{name}").__all__), name
    assert torch.__version__.startswith("2.13")


def test_multihead_attention_projects_through_non_dynamically_quantizable_linear(torch) -> None:
    from glassgrad.nn.modules.linear import NonDynamicallyQuantizableLinear

    ours, theirs = gg.nn.MultiheadAttention(4, 2), torch.nn.MultiheadAttention(4, 2)
    assert isinstance(ours.out_proj, NonDynamicallyQuantizableLinear) and isinstance(ours.out_proj, gg.nn.Linear)
    assert ours.out_proj._get_name() == theirs.out_proj._get_name()
    assert repr(ours.out_proj) == repr(theirs.out_proj)


def test_private_bases_programs_check_against(torch) -> None:
    layers = {"batchnorm._BatchNorm": lambda m: m.nn.BatchNorm2d(3), "conv._ConvNd": lambda m: m.nn.Conv2d(3, 4, 3),
              "loss._Loss": lambda m: m.nn.MSELoss(), "loss._WeightedLoss": lambda m: m.nn.CrossEntropyLoss(),
              "conv._ConvNd of a norm": lambda m: m.nn.BatchNorm2d(3)}
    for base, make in layers.items():
        module_name, cls = base.split(" ")[0].split(".")
        ours = getattr(importlib.import_module(f"glassgrad.nn.modules.{module_name}"), cls)
        theirs = getattr(getattr(torch.nn.modules, module_name), cls)
        assert isinstance(make(gg), ours) == isinstance(make(torch), theirs), base


def test_argument_helpers_match_torch(torch) -> None:
    from glassgrad.nn.modules import utils as ours

    theirs = torch.nn.modules.utils
    for helper in ("_single", "_pair", "_triple", "_quadruple"):
        for value in (3, (1, 2), [4, 5, 6]):
            assert getattr(ours, helper)(value) == tuple(getattr(theirs, helper)(value)), (helper, value)
    assert ours._ntuple(5)(2) == tuple(theirs._ntuple(5)(2))
    assert ours._reverse_repeat_tuple((1, 2, 3), 2) == tuple(theirs._reverse_repeat_tuple((1, 2, 3), 2))


def test_consume_prefix_strips_a_wrappers_prefix() -> None:
    from glassgrad.nn.modules.utils import consume_prefix_in_state_dict_if_present

    state = gg.nn.Sequential(gg.nn.Linear(2, 3), gg.nn.ReLU(), gg.nn.Linear(3, 1)).state_dict()
    wrapped = {"module." + key: value for key, value in state.items()}  # as DataParallel saves it
    wrapped["other.weight"] = gg.ones(1)
    consume_prefix_in_state_dict_if_present(wrapped, "module.")
    assert sorted(wrapped) == sorted([*state, "other.weight"])
    assert all(wrapped[key] is state[key] for key in state)
