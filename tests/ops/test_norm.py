"""Finite-difference gradchecks of the normalisation ops on one fixed input each, both batch_norm
modes included. (The hypothesis-drawn checks against torch: tests/ops/table_norm.py; the layers:
tests/nn/test_norm.py.)"""

from __future__ import annotations

import numpy as np

import glassgrad as gg
from glassgrad import ops


def test_norm_gradchecks(rng):
    x = rng.standard_normal((3, 2, 2, 2))
    w, b = rng.standard_normal(2), rng.standard_normal(2)
    rm, rv = gg.tensor(np.zeros(2)), gg.tensor(np.ones(2))
    gg.gradcheck(lambda t, w_, b_: ops.batch_norm(t, rm, rv, w_, b_, training=True), [x, w, b])
    gg.gradcheck(lambda t, w_, b_: ops.batch_norm(t, rm, rv, w_, b_, training=False), [x, w, b])
    gg.gradcheck(lambda t, w_, b_: ops.group_norm(t, 1, w_, b_), [x, w, b])
    gg.gradcheck(lambda t, w_, b_: ops.layer_norm(t, (2,), w_, b_), [x, w, b])
    gg.gradcheck(lambda t: ops.weight_standardize(t), [rng.standard_normal((3, 2, 2, 2))])
    gg.gradcheck(lambda t, w_, b_: ops.instance_norm(t, w_, b_), [x, w, b])
