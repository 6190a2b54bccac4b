"""The families of docs/pytorch.md's op database table, and the OpInfos left out by design.

An OpInfo's family follows from where torch defines it and what kind of OpInfo it is (both stored
in the fixture index), refined by name for the ops that torch files under its general list.
"""

from __future__ import annotations

FAMILIES = ("pointwise/unary", "binary", "reduction", "shape/indexing", "creation/random", "nn.functional",
            "linalg", "special", "fft")

# Out of scope by design, with the reason; docs/pytorch.md repeats this list.
OUT_OF_SCOPE = {
    "CUDA-only": "glassgrad runs on the CPU; ops that exist only on CUDA (jiterator kernels, flash and "
                 "memory-efficient attention kernels, float8 matmul) have no CPU form in torch either",
    "sparse tensors": "sparse layouts arrive with the linear-algebra issue",
    "complex tensors": "complex samples and answers are recorded for the fft family and the complex-number ops "
                       "(codec.complex_in_scope); other OpInfos' are left out",
    "quantized tensors": "glassgrad has no quantized dtypes: quantization is a deployment format",
    "memory formats": "glassgrad's tensors are NumPy arrays; channels_last and other strides are not exposed",
    "out=": "glassgrad ops return fresh tensors; writing into a preallocated `out=` is not offered "
            "(op_db's samples do not use it, so no OpInfo is left out for it)",
    "internal ATen operators": "torch.ops.aten.* and underscore-prefixed torch internals (backward kernels, "
                               "decompositions) are not part of torch's public API",
    "low-precision dtypes only": "the OpInfo supports none of float64, float32, int64, bool on the CPU",
}

_LINALG_TOP_LEVEL = {
    "cholesky", "cholesky_inverse", "cholesky_solve", "det", "geqrf", "inverse", "logdet", "lu", "lu_solve",
    "lu_unpack", "matrix_exp", "ormqr", "pinverse", "qr", "slogdet", "svd", "svd_lowrank", "pca_lowrank",
    "triangular_solve", "linalg.svdvals", "symeig", "cross", "cov", "corrcoef", "addr", "tensordot",
}
_BINARY_PRODUCTS = {
    "matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm", "addmv", "addbmm", "baddbmm",
    "chain_matmul", "kron", "einsum", "__rmatmul__", "nn.functional.bilinear",
}
_REDUCTIONS = {
    "max", "min", "median", "nanmedian", "mode", "var", "std", "var_mean", "std_mean", "logsumexp", "cumsum",
    "cumprod", "cummax", "cummin", "logcumsumexp", "cumulative_trapezoid", "trapezoid", "trapz", "aminmax",
    "quantile", "nanquantile", "kthvalue", "norm", "renorm", "dist", "histc", "histogram", "histogramdd",
    "bincount", "count_nonzero", "unique", "unique_consecutive", "trace", "_segment_reduce", "diff", "equal",
    "allclose", "topk", "sort", "argsort", "msort",
}
_POINTWISE = {"addcdiv", "addcmul", "clamp", "lerp", "where", "logaddexp2", "fill", "nan_to_num"}
_FUNCTIONAL = {"softmax", "log_softmax", "native_batch_norm", "native_layer_norm", "native_group_norm",
               "grid_sampler_2d", "grid_sampler_3d", "cdist", "native_dropout_backward"}
_CREATION = {
    "arange", "linspace", "logspace", "zeros", "ones", "full", "empty", "eye", "zeros_like", "ones_like",
    "full_like", "empty_like", "empty_strided", "empty_permuted", "scalar_tensor", "tril_indices",
    "triu_indices", "new_zeros", "new_ones", "new_full", "new_empty", "new_empty_strided", "rand_like",
    "randn", "randn_like", "randint", "randint_like", "normal", "bernoulli", "multinomial", "cauchy",
    "exponential", "geometric", "log_normal", "uniform", "item", "vander", "polar", "complex",
}


def family(name: str, opinfo_class: str, defined_in: str) -> str:
    """The table row of one OpInfo (``defined_in``: the op_db definitions module, "" for the main one)."""
    if defined_in == "linalg" or name.startswith("linalg.") or name in _LINALG_TOP_LEVEL:
        return "linalg"
    if defined_in == "special" or name.startswith("special."):
        return "special"
    if defined_in == "fft" or name.startswith("fft.") or name in ("stft", "istft"):
        return "fft"
    if defined_in == "signal" or name in _CREATION:
        return "creation/random"
    if name in _BINARY_PRODUCTS or opinfo_class == "BinaryUfuncInfo":
        return "binary"
    if name.startswith("nn.functional.") or name in _FUNCTIONAL:
        return "nn.functional"
    if defined_in == "_masked" or opinfo_class == "ReductionOpInfo" or name in _REDUCTIONS:
        return "reduction"
    if opinfo_class == "UnaryUfuncInfo" or name in _POINTWISE:
        return "pointwise/unary"
    return "shape/indexing"
