"""Hyperparameters for TensorBoard's HPARAMS tab: three summaries per run.

The hparams plugin reads, in one run's event file:

1. the *experiment*: which hyperparameters and which metrics exist (the table's columns),
   with each hyperparameter's type and, optionally, its list of possible values;
2. the *session start*: this run's value of each hyperparameter;
3. the *session end*: the run's status (here always success).

The metrics' values are ordinary scalars logged in the same run under the metric names.
Each message is an ``HParamsPluginData`` carried in an otherwise empty summary value's metadata.
"""

from __future__ import annotations

import numbers
from typing import Any

from google.protobuf import struct_pb2
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.plugins.hparams import api_pb2, metadata, plugin_data_pb2

from glassgrad.utils.tensorboard.summaries import as_numpy


def _typed_value(name: str, value: Any) -> tuple[str, Any, int]:
    """(field of ``struct_pb2.Value``, the value, ``api_pb2.DataType``) for one hyperparameter value."""
    if isinstance(value, bool):
        return "bool_value", value, api_pb2.DATA_TYPE_BOOL
    if isinstance(value, str):
        return "string_value", value, api_pb2.DATA_TYPE_STRING
    if isinstance(value, numbers.Real):
        return "number_value", float(value), api_pb2.DATA_TYPE_FLOAT64
    if hasattr(value, "shape"):  # a tensor or array: its (first) number, as torch takes it
        array = as_numpy(value).reshape(-1)
        if array.size:
            return "number_value", float(array[0]), api_pb2.DATA_TYPE_FLOAT64
    raise ValueError(f"add_hparams: the value of {name!r} should be one of int, float, str, bool or a tensor, "
                     f"got {type(value).__name__}")


def _summary(tag: str, data: plugin_data_pb2.HParamsPluginData) -> Summary:
    return Summary(value=[Summary.Value(tag=tag, metadata=metadata.create_summary_metadata(data))])


def hparams_summaries(hparam_dict: dict[str, Any], metric_dict: dict[str, Any],
                      hparam_domain_discrete: dict[str, list[Any]] | None = None) -> list[Summary]:
    """The experiment, session-start and session-end summaries for one run (None values are left out)."""
    if not isinstance(hparam_dict, dict) or not isinstance(metric_dict, dict):
        raise TypeError("hparam_dict and metric_dict should be dictionary.")
    domains = hparam_domain_discrete or {}
    if not isinstance(domains, dict):
        raise TypeError("parameter: hparam_domain_discrete should be a dictionary, nothing logged.")
    for name, options in domains.items():
        if name not in hparam_dict or not isinstance(options, list) or \
                not all(isinstance(o, type(hparam_dict[name])) for o in options):
            raise TypeError(f"parameter: hparam_domain_discrete[{name}] should be a list of same type as "
                            f"hparam_dict[{name}].")
    start = plugin_data_pb2.SessionStartInfo()
    infos = []
    for name, value in hparam_dict.items():
        if value is None:
            continue
        field, plain, data_type = _typed_value(name, value)
        setattr(start.hparams[name], field, plain)
        info = api_pb2.HParamInfo(name=name, type=data_type)
        if name in domains:
            info.domain_discrete.CopyFrom(struct_pb2.ListValue(
                values=[struct_pb2.Value(**{field: _typed_value(name, o)[1]}) for o in domains[name]]))
        infos.append(info)
    metrics = [api_pb2.MetricInfo(name=api_pb2.MetricName(tag=name)) for name in metric_dict]
    version = metadata.PLUGIN_DATA_VERSION
    experiment = plugin_data_pb2.HParamsPluginData(
        version=version, experiment=api_pb2.Experiment(hparam_infos=infos, metric_infos=metrics))
    started = plugin_data_pb2.HParamsPluginData(version=version, session_start_info=start)
    ended = plugin_data_pb2.HParamsPluginData(
        version=version, session_end_info=plugin_data_pb2.SessionEndInfo(status=api_pb2.STATUS_SUCCESS))
    return [_summary(metadata.EXPERIMENT_TAG, experiment), _summary(metadata.SESSION_START_INFO_TAG, started),
            _summary(metadata.SESSION_END_INFO_TAG, ended)]
