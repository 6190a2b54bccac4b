"""Every layer glassgrad.nn shares with torch.nn, built with simple arguments on both: the same
``named_children()`` / ``named_modules()`` order (and parameter and buffer names), and outputs of
the same shapes that are contiguous exactly where torch's are (so ``view`` after any layer works
where torch's does)."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import glassgrad as gg

RNG = np.random.default_rng(21)


def _randn(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def _log_softmax(a: np.ndarray, axis: int) -> np.ndarray:
    shifted = a - a.max(axis=axis, keepdims=True)
    return (shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))).astype(np.float32)


ARRAYS = {
    "x1": _randn(2, 3, 8), "x2": _randn(2, 3, 8, 8), "x3": _randn(2, 3, 4, 4, 4), "x2c4": _randn(2, 4, 8, 8),
    "flat": _randn(2, 6), "flat2": _randn(2, 6), "flat3": _randn(2, 6), "vec": _randn(2), "vec2": _randn(2),
    "seq": _randn(5, 2, 6), "src": _randn(5, 2, 8), "tgt": _randn(4, 2, 8), "cols": _randn(2, 12, 9),
    "probs": RNG.uniform(0.1, 0.9, (2, 6)).astype(np.float32),
    "target01": RNG.integers(0, 2, (2, 6)).astype(np.float32),
    "pos": RNG.uniform(0.5, 2.0, (2, 6)).astype(np.float32),
    "sign": np.array([1.0, -1.0], dtype=np.float32), "sign6": np.sign(_randn(2, 6)) + (np.float32(0)),
    "labels": np.array([1, 4]), "multilabel": np.array([[3, 0, -1, 1, 2, 5], [1, -1, 0, 0, 0, 0]]),
    "logp": _log_softmax(_randn(2, 6), 1), "ctc_logp": _log_softmax(_randn(6, 2, 4), 2),
    "ctc_targets": np.array([[1, 2, 3], [2, 1, 1]]), "ctc_in_len": np.array([6, 6]), "ctc_tgt_len": np.array([3, 2]),
    "idx": np.array([[1, 3, 9], [0, 0, 7]]),
}


def _cases() -> dict:
    """name -> (build(m) -> layer, input keys, optional call(m, layer, *inputs))."""
    act = {name: ((lambda n: lambda m: getattr(m.nn, n)())(name), ["x2"]) for name in (
        "CELU", "ELU", "GELU", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh", "LeakyReLU", "LogSigmoid",
        "Mish", "PReLU", "RReLU", "ReLU", "ReLU6", "SELU", "SiLU", "Sigmoid", "Softplus", "Softshrink", "Softsign",
        "Tanh", "Tanhshrink", "Softmax2d", "Identity", "Flatten", "Dropout", "AlphaDropout", "Dropout2d")}
    pair_losses = {name: ((lambda n: lambda m: getattr(m.nn, n)())(name), ["flat", "flat2"]) for name in (
        "HuberLoss", "L1Loss", "MSELoss", "SmoothL1Loss", "KLDivLoss")}

    def with_indices(pool: str, unpool: str, key: str):
        def call(m, layer, x):
            pooled, indices = getattr(m.nn, pool)(2, return_indices=True)(x)
            return layer(pooled, indices)
        return (lambda m: getattr(m.nn, unpool)(2), [key], call)

    def encoder_layer(m):
        return m.nn.TransformerEncoderLayer(8, 2, 16, 0.0)

    def decoder_layer(m):
        return m.nn.TransformerDecoderLayer(8, 2, 16, 0.0)

    return {
        **act, **pair_losses,
        "Threshold": (lambda m: m.nn.Threshold(0.1, 20.0), ["x2"]),
        "GLU": (lambda m: m.nn.GLU(1), ["x2c4"]),
        "Softmax": (lambda m: m.nn.Softmax(dim=1), ["x2"]),
        "LogSoftmax": (lambda m: m.nn.LogSoftmax(dim=1), ["x2"]),
        "Softmin": (lambda m: m.nn.Softmin(dim=1), ["x2"]),
        "Dropout1d": (lambda m: m.nn.Dropout1d(0.5), ["x1"]),
        "Dropout3d": (lambda m: m.nn.Dropout3d(0.5), ["x3"]),
        "ChannelShuffle": (lambda m: m.nn.ChannelShuffle(3), ["x2"]),
        "AdaptiveAvgPool1d": (lambda m: m.nn.AdaptiveAvgPool1d(2), ["x1"]),
        "AdaptiveAvgPool2d": (lambda m: m.nn.AdaptiveAvgPool2d(2), ["x2"]),
        "AdaptiveAvgPool3d": (lambda m: m.nn.AdaptiveAvgPool3d(2), ["x3"]),
        "AdaptiveMaxPool1d": (lambda m: m.nn.AdaptiveMaxPool1d(2), ["x1"]),
        "AdaptiveMaxPool2d": (lambda m: m.nn.AdaptiveMaxPool2d(2), ["x2"]),
        "AdaptiveMaxPool3d": (lambda m: m.nn.AdaptiveMaxPool3d(2), ["x3"]),
        "AvgPool1d": (lambda m: m.nn.AvgPool1d(2), ["x1"]),
        "AvgPool2d": (lambda m: m.nn.AvgPool2d(2), ["x2"]),
        "AvgPool3d": (lambda m: m.nn.AvgPool3d(2), ["x3"]),
        "MaxPool1d": (lambda m: m.nn.MaxPool1d(2), ["x1"]),
        "MaxPool2d": (lambda m: m.nn.MaxPool2d(2), ["x2"]),
        "MaxPool3d": (lambda m: m.nn.MaxPool3d(2), ["x3"]),
        "LPPool1d": (lambda m: m.nn.LPPool1d(2, 2), ["x1"]),
        "LPPool2d": (lambda m: m.nn.LPPool2d(2, 2), ["x2"]),
        "LPPool3d": (lambda m: m.nn.LPPool3d(2, 2), ["x3"]),
        "FractionalMaxPool2d": (lambda m: m.nn.FractionalMaxPool2d(2, output_size=(4, 4)), ["x2"]),
        "FractionalMaxPool3d": (lambda m: m.nn.FractionalMaxPool3d(2, output_size=(2, 2, 2)), ["x3"]),
        "MaxUnpool1d": with_indices("MaxPool1d", "MaxUnpool1d", "x1"),
        "MaxUnpool2d": with_indices("MaxPool2d", "MaxUnpool2d", "x2"),
        "MaxUnpool3d": with_indices("MaxPool3d", "MaxUnpool3d", "x3"),
        "BatchNorm1d": (lambda m: m.nn.BatchNorm1d(3), ["x1"]),
        "BatchNorm2d": (lambda m: m.nn.BatchNorm2d(3), ["x2"]),
        "BatchNorm3d": (lambda m: m.nn.BatchNorm3d(3), ["x3"]),
        "InstanceNorm1d": (lambda m: m.nn.InstanceNorm1d(3), ["x1"]),
        "InstanceNorm2d": (lambda m: m.nn.InstanceNorm2d(3), ["x2"]),
        "InstanceNorm3d": (lambda m: m.nn.InstanceNorm3d(3), ["x3"]),
        "GroupNorm": (lambda m: m.nn.GroupNorm(1, 3), ["x2"]),
        "LayerNorm": (lambda m: m.nn.LayerNorm(8), ["x2"]),
        "RMSNorm": (lambda m: m.nn.RMSNorm(8), ["x2"]),
        "LocalResponseNorm": (lambda m: m.nn.LocalResponseNorm(2), ["x2"]),
        "CircularPad1d": (lambda m: m.nn.CircularPad1d(1), ["x1"]),
        "CircularPad2d": (lambda m: m.nn.CircularPad2d(1), ["x2"]),
        "CircularPad3d": (lambda m: m.nn.CircularPad3d(1), ["x3"]),
        "ConstantPad1d": (lambda m: m.nn.ConstantPad1d(1, 0.5), ["x1"]),
        "ConstantPad2d": (lambda m: m.nn.ConstantPad2d(1, 0.5), ["x2"]),
        "ConstantPad3d": (lambda m: m.nn.ConstantPad3d(1, 0.5), ["x3"]),
        "ReflectionPad1d": (lambda m: m.nn.ReflectionPad1d(1), ["x1"]),
        "ReflectionPad2d": (lambda m: m.nn.ReflectionPad2d(1), ["x2"]),
        "ReflectionPad3d": (lambda m: m.nn.ReflectionPad3d(1), ["x3"]),
        "ReplicationPad1d": (lambda m: m.nn.ReplicationPad1d(1), ["x1"]),
        "ReplicationPad2d": (lambda m: m.nn.ReplicationPad2d(1), ["x2"]),
        "ReplicationPad3d": (lambda m: m.nn.ReplicationPad3d(1), ["x3"]),
        "ZeroPad1d": (lambda m: m.nn.ZeroPad1d(1), ["x1"]),
        "ZeroPad2d": (lambda m: m.nn.ZeroPad2d(1), ["x2"]),
        "ZeroPad3d": (lambda m: m.nn.ZeroPad3d(1), ["x3"]),
        "Conv1d": (lambda m: m.nn.Conv1d(3, 4, 3), ["x1"]),
        "Conv2d": (lambda m: m.nn.Conv2d(3, 4, 3), ["x2"]),
        "Conv3d": (lambda m: m.nn.Conv3d(3, 4, 3), ["x3"]),
        "ConvTranspose1d": (lambda m: m.nn.ConvTranspose1d(3, 4, 3), ["x1"]),
        "ConvTranspose2d": (lambda m: m.nn.ConvTranspose2d(3, 4, 3), ["x2"]),
        "ConvTranspose3d": (lambda m: m.nn.ConvTranspose3d(3, 4, 3), ["x3"]),
        "Linear": (lambda m: m.nn.Linear(6, 4), ["flat"]),
        "LazyLinear": (lambda m: m.nn.LazyLinear(4), ["flat"]),
        "LazyConv1d": (lambda m: m.nn.LazyConv1d(4, 3), ["x1"]),
        "LazyConv2d": (lambda m: m.nn.LazyConv2d(4, 3), ["x2"]),
        "LazyConv3d": (lambda m: m.nn.LazyConv3d(4, 3), ["x3"]),
        "LazyConvTranspose1d": (lambda m: m.nn.LazyConvTranspose1d(4, 3), ["x1"]),
        "LazyConvTranspose2d": (lambda m: m.nn.LazyConvTranspose2d(4, 3), ["x2"]),
        "LazyConvTranspose3d": (lambda m: m.nn.LazyConvTranspose3d(4, 3), ["x3"]),
        "LazyBatchNorm1d": (lambda m: m.nn.LazyBatchNorm1d(), ["x1"]),
        "LazyBatchNorm2d": (lambda m: m.nn.LazyBatchNorm2d(), ["x2"]),
        "LazyBatchNorm3d": (lambda m: m.nn.LazyBatchNorm3d(), ["x3"]),
        "LazyInstanceNorm1d": (lambda m: m.nn.LazyInstanceNorm1d(), ["x1"]),
        "LazyInstanceNorm2d": (lambda m: m.nn.LazyInstanceNorm2d(), ["x2"]),
        "LazyInstanceNorm3d": (lambda m: m.nn.LazyInstanceNorm3d(), ["x3"]),
        "Bilinear": (lambda m: m.nn.Bilinear(6, 6, 4), ["flat", "flat2"]),
        "Unflatten": (lambda m: m.nn.Unflatten(1, (3, 1)), ["x2"]),
        "Fold": (lambda m: m.nn.Fold(output_size=(4, 4), kernel_size=2), ["cols"]),
        "Unfold": (lambda m: m.nn.Unfold(kernel_size=2), ["x2"]),
        "PixelShuffle": (lambda m: m.nn.PixelShuffle(2), ["x2c4"]),
        "PixelUnshuffle": (lambda m: m.nn.PixelUnshuffle(2), ["x2"]),
        "Upsample": (lambda m: m.nn.Upsample(scale_factor=2), ["x2"]),
        "CosineSimilarity": (lambda m: m.nn.CosineSimilarity(), ["flat", "flat2"]),
        "PairwiseDistance": (lambda m: m.nn.PairwiseDistance(), ["flat", "flat2"]),
        "Embedding": (lambda m: m.nn.Embedding(10, 4), ["idx"]),
        "EmbeddingBag": (lambda m: m.nn.EmbeddingBag(10, 4), ["idx"]),
        "RNN": (lambda m: m.nn.RNN(6, 4), ["seq"]),
        "LSTM": (lambda m: m.nn.LSTM(6, 4), ["seq"]),
        "GRU": (lambda m: m.nn.GRU(6, 4), ["seq"]),
        "RNNBase": (lambda m: m.nn.RNNBase("LSTM", 6, 4), []),
        "RNNCell": (lambda m: m.nn.RNNCell(6, 4), ["flat"]),
        "LSTMCell": (lambda m: m.nn.LSTMCell(6, 4), ["flat"]),
        "GRUCell": (lambda m: m.nn.GRUCell(6, 4), ["flat"]),
        "MultiheadAttention": (lambda m: m.nn.MultiheadAttention(6, 2), ["seq", "seq", "seq"]),
        "TransformerEncoderLayer": (encoder_layer, ["src"]),
        "TransformerDecoderLayer": (decoder_layer, ["tgt", "src"]),
        "TransformerEncoder": (lambda m: m.nn.TransformerEncoder(encoder_layer(m), 2), ["src"]),
        "TransformerDecoder": (lambda m: m.nn.TransformerDecoder(decoder_layer(m), 2), ["tgt", "src"]),
        "Transformer": (lambda m: m.nn.Transformer(8, 2, 1, 1, 16, 0.0), ["src", "tgt"]),
        "Sequential": (lambda m: m.nn.Sequential(m.nn.Linear(6, 4), m.nn.ReLU(), m.nn.Linear(4, 2)), ["flat"]),
        "ModuleList": (lambda m: m.nn.ModuleList([m.nn.Linear(6, 4), m.nn.ReLU()]), []),
        "ModuleDict": (lambda m: m.nn.ModuleDict({"proj": m.nn.Linear(6, 4), "act": m.nn.ReLU()}), []),
        "ParameterList": (lambda m: m.nn.ParameterList([m.nn.Parameter(m.ones(2))]), []),
        "ParameterDict": (lambda m: m.nn.ParameterDict({"scale": m.nn.Parameter(m.ones(2))}), []),
        "Module": (lambda m: m.nn.Module(), []),
        "DataParallel": (lambda m: m.nn.DataParallel(m.nn.Linear(6, 4)), ["flat"]),
        "BCELoss": (lambda m: m.nn.BCELoss(), ["probs", "target01"]),
        "BCEWithLogitsLoss": (lambda m: m.nn.BCEWithLogitsLoss(), ["flat", "target01"]),
        "CTCLoss": (lambda m: m.nn.CTCLoss(), ["ctc_logp", "ctc_targets", "ctc_in_len", "ctc_tgt_len"]),
        "CosineEmbeddingLoss": (lambda m: m.nn.CosineEmbeddingLoss(), ["flat", "flat2", "sign"]),
        "CrossEntropyLoss": (lambda m: m.nn.CrossEntropyLoss(), ["flat", "labels"]),
        "NLLLoss": (lambda m: m.nn.NLLLoss(), ["logp", "labels"]),
        "GaussianNLLLoss": (lambda m: m.nn.GaussianNLLLoss(), ["flat", "flat2", "pos"]),
        "PoissonNLLLoss": (lambda m: m.nn.PoissonNLLLoss(), ["flat", "pos"]),
        "HingeEmbeddingLoss": (lambda m: m.nn.HingeEmbeddingLoss(), ["flat", "sign6"]),
        "SoftMarginLoss": (lambda m: m.nn.SoftMarginLoss(), ["flat", "sign6"]),
        "MarginRankingLoss": (lambda m: m.nn.MarginRankingLoss(), ["vec", "vec2", "sign"]),
        "MultiLabelMarginLoss": (lambda m: m.nn.MultiLabelMarginLoss(), ["flat", "multilabel"]),
        "MultiLabelSoftMarginLoss": (lambda m: m.nn.MultiLabelSoftMarginLoss(), ["flat", "target01"]),
        "MultiMarginLoss": (lambda m: m.nn.MultiMarginLoss(), ["flat", "labels"]),
        "TripletMarginLoss": (lambda m: m.nn.TripletMarginLoss(), ["flat", "flat2", "flat3"]),
        "TripletMarginWithDistanceLoss": (lambda m: m.nn.TripletMarginWithDistanceLoss(), ["flat", "flat2", "flat3"]),
    }


CASES = _cases()


def _tensors(out) -> list:
    """The tensors of a layer's output (a tensor, or nested tuples of them and None)."""
    if out is None:
        return []
    if hasattr(out, "is_contiguous"):
        return [out]
    return [t for item in out for t in _tensors(item)]


def _run(m, name: str) -> dict:
    build, keys, *call = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's advice (nested tensors, unbatched inputs ...): not the subject
        layer = build(m)
        answer = {"children": [n for n, _ in layer.named_children()], "modules": [n for n, _ in layer.named_modules()],
                  "parameters": [n for n, _ in layer.named_parameters()],
                  "buffers": [n for n, _ in layer.named_buffers()]}
        if keys:
            inputs = [m.tensor(ARRAYS[k]) for k in keys]
            out = call[0](m, layer, *inputs) if call else layer(*inputs)
            answer["outputs"] = [(tuple(t.shape), bool(t.is_contiguous())) for t in _tensors(out)]
    return answer


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_structure_and_output_layout_match_torch(torch, name: str) -> None:
    ours, theirs = _run(gg, name), _run(torch, name)
    assert ours["children"] == theirs["children"]
    assert ours["modules"] == theirs["modules"]
    assert ours["parameters"] == theirs["parameters"] and ours["buffers"] == theirs["buffers"]
    if "outputs" in theirs:
        assert ours["outputs"] == theirs["outputs"], "(shape, is_contiguous) of each output"


def test_every_layer_glassgrad_shares_with_torch_is_in_the_table(torch) -> None:
    ours = sorted(n for n, v in vars(gg.nn).items() if inspect.isclass(v) and issubclass(v, gg.nn.Module))
    shared = [n for n in ours if hasattr(torch.nn, n)]
    missing = [n for n in shared if n not in CASES]
    assert not missing, f"add a row for {missing} to CASES"
