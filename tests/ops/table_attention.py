"""Op-table rows for attention (joined into ``OPS`` by op_table.py)."""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from glassgrad import ops
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, array, broadcast_shapes


@st.composite
def attention_case(draw: st.DrawFn) -> Case:
    """q (..., L, E), k (..., S, E), v (..., S, Ev) with broadcasting batch axes, and a mask kind."""
    batch_q, batch_k, batch_v = draw(broadcast_shapes(3, max_dims=2))
    n_q, n_k, e, ev = (draw(st.integers(1, 3)) for _ in range(4))
    kind = draw(st.sampled_from(["none", "causal", "bool", "float", "scale"]))
    arrays = [draw(array(batch_q + (n_q, e))), draw(array(batch_k + (n_k, e))), draw(array(batch_v + (n_k, ev)))]
    params: dict[str, Any] = {"kind": kind, "keep": None}
    if kind == "bool":
        keep = draw(hnp.arrays(np.bool_, (n_q, n_k)))
        keep[:, 0] = True  # no empty rows: finite differences need every row to have weights
        params["keep"] = keep
    if kind == "float":
        arrays.append(draw(array((n_q, n_k))))  # differentiable additive mask
    return Case(tuple(arrays), params)


def _gg_attention(q: Any, k: Any, v: Any, mask: Any = None, *, kind: str, keep: Any) -> Any:
    if kind == "causal":
        return ops.scaled_dot_product_attention(q, k, v, is_causal=True)
    if kind == "scale":
        return ops.scaled_dot_product_attention(q, k, v, scale=0.37)
    return ops.scaled_dot_product_attention(q, k, v, mask if keep is None else keep)


def _torch_attention(torch: Any, q: Any, k: Any, v: Any, mask: Any = None, *, kind: str, keep: Any) -> Any:
    sdpa = torch.nn.functional.scaled_dot_product_attention
    if kind == "causal":
        return sdpa(q, k, v, is_causal=True)
    if kind == "scale":
        return sdpa(q, k, v, scale=0.37)
    # torch's fused kernels want the batch axes of q, k, v alike; broadcast them as its math path does
    batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    q, k, v = (t.expand(batch + t.shape[-2:]) for t in (q, k, v))
    return sdpa(q, k, v, mask if keep is None else torch.from_numpy(keep))


ROWS: list[OpSpec] = [
    OpSpec("scaled_dot_product_attention", _gg_attention, _torch_attention, attention_case()),
]
