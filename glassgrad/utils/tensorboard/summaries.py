"""Summary protocol buffers: what one logged value looks like inside a TensorBoard event file.

An event file is a sequence of ``Event`` records; each carries a wall time, a step and a
``Summary`` holding one or more tagged values. This module builds those ``Summary`` messages
with the ``tensorboard`` package's protobuf classes, one function per kind of value:

* a scalar is a ``simple_value`` (TensorBoard's Scalars tab), or a 0-d float tensor (``new_style``);
* a histogram is a ``HistogramProto``: count, min, max, sum, sum of squares, and for each bucket its
  right edge (``bucket_limit``) and its count (``bucket``);
* text is a 1-element string tensor for the text plugin, under ``<tag>/text_summary``;
* hyperparameters are three messages for the hparams plugin (the experiment's columns, this
  session's values, its end status).

Images are built in ``images.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary, SummaryMetadata
from tensorboard.compat.proto.tensor_pb2 import TensorProto
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto


def as_numpy(value: Any) -> np.ndarray:
    """A glassgrad or torch tensor, NumPy array or Python number as a NumPy array (detached, on the host)."""
    if hasattr(value, "detach"):
        value = value.detach()
    if hasattr(value, "cpu"):
        value = value.cpu()
    return np.asarray(value)


def scalar(tag: str, value: Any, new_style: bool = False, double_precision: bool = False) -> Summary:
    """One number under ``tag``: a ``simple_value`` (float32 in the file), or with ``new_style`` a 0-d
    tensor for the scalars plugin (float32, or float64 with ``double_precision``)."""
    array = as_numpy(value)
    if array.size != 1:
        raise ValueError(f"add_scalar: the value of {tag!r} must hold one element, got shape {array.shape}")
    number = float(array.reshape(()))
    if not new_style:
        return Summary(value=[Summary.Value(tag=tag, simple_value=number)])
    if double_precision:
        tensor = TensorProto(dtype="DT_DOUBLE", double_val=[number])
    else:
        tensor = TensorProto(dtype="DT_FLOAT", float_val=[number])
    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="scalars"))
    return Summary(value=[Summary.Value(tag=tag, tensor=tensor, metadata=metadata)])


def default_bucket_edges() -> np.ndarray:
    """TensorFlow's default histogram buckets, which torch's ``bins='tensorflow'`` uses.

    Positive edges grow geometrically by 10% from 1e-12 while below 1e20; the negative edges
    mirror them, and 0 sits between: ``[-e_k, ..., -e_0, 0, e_0, ..., e_k]`` with ``e_i = 1e-12 * 1.1**i``
    (each edge the previous one times 1.1, rounded as float64 multiplication rounds).
    """
    growth = np.full(800, 1.1)
    growth[0] = 1e-12
    positive = np.cumprod(growth)  # 1e-12, 1.1e-12, ... sequential products, as a running loop gives
    positive = positive[positive < 1e20]
    return np.concatenate([-positive[::-1], [0.0], positive])


def histogram(tag: str, values: Any, bins: Any, max_bins: int | None = None) -> Summary:
    """A histogram of ``values`` (any shape, as float64) under ``tag``.

    ``bins`` is what ``numpy.histogram`` takes: a count, a name ('auto', 'fd', ...) or the edges.
    With ``max_bins``, neighbouring buckets are merged (``len // max_bins`` at a time) until at
    most about ``max_bins`` remain. Only the stretch from the first to the last non-empty bucket is
    stored, preceded by one empty bucket whose right edge is where the data's first bucket begins,
    so TensorBoard knows the left edge of every bucket it draws.
    """
    data = as_numpy(values).astype(np.float64).reshape(-1)
    if data.size == 0:
        raise ValueError(f"add_histogram: the values of {tag!r} are empty")
    counts, edges = np.histogram(data, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        counts, edges = _merge_buckets(counts, edges, len(counts) // max_bins)
    filled = np.flatnonzero(counts)
    if filled.size == 0:
        raise ValueError(f"add_histogram: no value of {tag!r} falls inside the bins")
    first, last = int(filled[0]), int(filled[-1])
    # Put an empty bucket in front: bucket j of `padded` ends at edges[j].
    padded = np.concatenate([[0], counts])
    proto = HistogramProto(min=float(data.min()), max=float(data.max()), num=int(data.size), sum=float(data.sum()),
                           sum_squares=float(data @ data), bucket_limit=edges[first:last + 2].tolist(),
                           bucket=padded[first:last + 2].tolist())
    return Summary(value=[Summary.Value(tag=tag, histo=proto)])


def _merge_buckets(counts: np.ndarray, edges: np.ndarray, group: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum each run of ``group`` neighbouring buckets (the last run padded with empty buckets)."""
    short = -len(counts) % group
    merged = np.concatenate([counts, np.zeros(short, counts.dtype)]).reshape(-1, group).sum(axis=1)
    new_edges = np.concatenate([edges[:-1:group], edges[-1:]])
    return merged, new_edges


def histogram_raw(tag: str, min: float, max: float, num: int, sum: float, sum_squares: float,  # noqa: A002
                  bucket_limits: Any, bucket_counts: Any) -> Summary:
    """A histogram given by its statistics and buckets (``bucket_limits[i]`` is bucket i's right edge)."""
    limits, counts = as_numpy(bucket_limits).reshape(-1), as_numpy(bucket_counts).reshape(-1)
    if len(limits) != len(counts):
        raise ValueError(f"add_histogram_raw: {len(limits)} bucket limits for {len(counts)} bucket counts; "
                         "give one limit (right edge) per bucket")
    proto = HistogramProto(min=float(min), max=float(max), num=int(num), sum=float(sum),
                           sum_squares=float(sum_squares), bucket_limit=limits.tolist(), bucket=counts.tolist())
    return Summary(value=[Summary.Value(tag=tag, histo=proto)])


def text(tag: str, string: str) -> Summary:
    """``string`` (markdown) for the text plugin, under ``<tag>/text_summary`` as torch names it."""
    from tensorboard.plugins.text.plugin_data_pb2 import TextPluginData

    content = TextPluginData(version=0).SerializeToString()
    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="text", content=content))
    tensor = TensorProto(dtype="DT_STRING", string_val=[string.encode("utf-8")],
                         tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]))
    return Summary(value=[Summary.Value(tag=f"{tag}/text_summary", tensor=tensor, metadata=metadata)])
