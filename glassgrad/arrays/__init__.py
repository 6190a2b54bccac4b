"""Array helpers: the floor below ``Tensor`` that ops and kernels both stand on.

Everything here takes and returns plain arrays (``backend.xp``: NumPy) and imports nothing of
glassgrad but ``backend``: no ``Tensor``, no op, no module. One concept per file:

    window.py    the sliding-window arithmetic of convolution and pooling (output sizes, tap slices,
                 ``ConvGeometry`` and ``PoolGeometry``)
    im2col.py    im2col and its adjoint col2im, the channel-major layout they work in
    erf.py       erf, erfc and erfinv (NumPy has none): a series and a continued fraction
    sigmoid.py   the logistic sigmoid without overflow, and in place for the fused kernels

The ops (``glassgrad/ops``) and the fast kernels (``glassgrad/kernels``) import from here; this
package never imports them. While a backward records its graph (``create_graph=True``) these
functions may meet Tensors: then they use only ``backend.xp``'s differentiable twins or the
Tensor's own methods, never an import from above.
"""
