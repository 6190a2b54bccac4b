"""``glassgrad.onnx``: export a model's traced graph as ONNX (torch.onnx's ``export``).

    import glassgrad as torch
    torch.onnx.export(model, (x,), "model.onnx", input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}})

Needs the ``onnx`` package (``pip install 'glassgrad[onnx]'``), imported only when ``export``
runs. The files: ``trace.py`` (the graph walk), ``graph.py`` (the ONNX graph under
construction), ``registry.py`` (the op -> mapping table), ``ops_*.py`` (the mappings by
family), ``export.py`` (the model builder).
"""

from glassgrad.onnx.export import export as export
from glassgrad.onnx.registry import UnsupportedOperatorError as UnsupportedOperatorError


def supported_ops() -> list[str]:
    """The names of the glassgrad ops that export to ONNX."""
    from glassgrad.onnx.registry import load_mappings

    return sorted(op.__name__ for op in load_mappings())


__all__ = ["UnsupportedOperatorError", "export", "supported_ops"]
