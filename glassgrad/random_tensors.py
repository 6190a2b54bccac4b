"""Random tensors: rand, randn, randint, randperm, normal, multinomial, bernoulli, poisson, and the ``_like`` forms.

Each takes ``generator=`` (a ``glassgrad.Generator``, a NumPy Generator, or
None for the default one that ``glassgrad.manual_seed`` seeds); ``rng=`` is
accepted as its older glassgrad name. The numbers are drawn on the host in
float64 (or int64) and then cast and moved, so one seed gives one sequence
whatever the device, and whatever the dtype except for one case (``rand`` and
``randn`` cast chunk by chunk, ``glassgrad.random.draw_as``: no float64 array of
the whole size). The exception: a float32 or float16 ``randn`` of more than
65,536 values is drawn by the Box–Muller transform in float32, as torch's are
(``glassgrad/box_muller.py``), twice as quick as NumPy's float64 draws. None of these is differentiable: the result is
a new leaf (``requires_grad=True`` makes it a parameter-like leaf); only
``bernoulli`` and ``poisson`` of a tensor that requires grad stay in its graph,
as in torch, with gradient 0 (``Drawn``).
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import dtypes
from glassgrad.factory_args import any_dtype, check_options, finish, float_dtype, host, read_size
from glassgrad.op import Context, Op
from glassgrad.random import draw_as, pick_generator
from glassgrad.tensor import Tensor, as_tensor


def rand(*size: Any, generator: Any = None, dtype: Any = None, device: Any = None, requires_grad: bool = False,
         rng: Any = None, **options: Any) -> Tensor:
    """Uniform samples in [0, 1)."""
    shape = read_size("rand", size, options.pop("size", None))
    check_options("rand", options)
    values = draw_as(pick_generator(generator, rng, "rand").random, shape, float_dtype("rand", dtype))
    return finish(values, device, requires_grad, "rand")


def randn(*size: Any, generator: Any = None, dtype: Any = None, device: Any = None, requires_grad: bool = False,
          rng: Any = None, **options: Any) -> Tensor:
    """Standard normal samples: mean 0, variance 1."""
    shape = read_size("randn", size, options.pop("size", None))
    check_options("randn", options)
    values = draw_as(pick_generator(generator, rng, "randn").standard_normal, shape, float_dtype("randn", dtype))
    return finish(values, device, requires_grad, "randn")


def _int_bounds(op: str, args: tuple[Any, ...], low: Any, high: Any) -> tuple[int, int]:
    """torch's (high) or (low, high) positional forms, or low=/high= keywords."""
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if high is None:
            high = args[0]
        else:
            low = args[0]
    elif len(args) > 2:
        raise TypeError(f"{op}: expected (high, size) or (low, high, size), got {len(args) + 1} positional arguments")
    if high is None:
        raise TypeError(f"{op}: missing the upper bound 'high'")
    low, high = int(host(0 if low is None else low)), int(host(high))
    if low >= high:
        raise RuntimeError(f"{op}: expects 'low' to be less than 'high', but got low={low} >= high={high}")
    return low, high


def randint(*args: Any, size: Any = None, low: Any = None, high: Any = None, generator: Any = None,
            dtype: Any = None, device: Any = None, requires_grad: bool = False, rng: Any = None,
            **options: Any) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or ``randint(low, high, size)``.

    The dtype is int64 unless ``dtype`` says otherwise.
    """
    check_options("randint", options)
    if size is None:
        if not args:
            raise TypeError("randint: missing the size, e.g. randint(10, (2, 3))")
        args, size = args[:-1], args[-1]
    low, high = _int_bounds("randint", args, low, high)
    shape = read_size("randint", (size,))
    values = pick_generator(generator, rng, "randint").integers(low, high, shape, dtype=numpy.int64)
    return finish(values.astype(any_dtype(dtype, dtypes.int64)), device, requires_grad, "randint")


def randperm(n: int, *, generator: Any = None, dtype: Any = None, device: Any = None, requires_grad: bool = False,
             rng: Any = None, **options: Any) -> Tensor:
    """A random permutation of 0 .. n-1 (int64)."""
    check_options("randperm", options)
    (n,) = read_size("randperm", (n,))
    values = pick_generator(generator, rng, "randperm").permutation(n)
    return finish(values.astype(any_dtype(dtype, dtypes.int64)), device, requires_grad, "randperm")


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Any = None, dtype: Any = None,
           device: Any = None, requires_grad: bool = False, rng: Any = None, **options: Any) -> Tensor:
    """Normal samples with the given mean and standard deviation.

    ``normal(mean_tensor, std_tensor)`` (broadcast together), ``normal(mean_tensor, 1.0)``,
    ``normal(0.0, std_tensor)``, or ``normal(0.0, 1.0, size)`` with numbers.
    """
    check_options("normal", options)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if tensors:
        if size is not None:
            raise TypeError("normal: size= is only for a number mean and std; the tensors give the shape")
        shape = numpy.broadcast_shapes(*(tuple(t.shape) for t in tensors))
        default = tensors[0].dtype
        if device is None:
            device = tensors[0].device
    else:
        if size is None:
            raise TypeError("normal: with a number mean and std, give the size: normal(0.0, 1.0, (2, 3))")
        shape, default = read_size("normal", (size,)), None
    mean_values, std_values = host(mean), host(std)
    if numpy.any(numpy.asarray(std_values) < 0):
        raise RuntimeError(f"normal expects std >= 0.0, but found std {numpy.min(std_values)}")
    out_dtype = any_dtype(dtype, default)
    if out_dtype.kind != "f":
        raise TypeError(f"normal: expected a floating dtype, got {out_dtype}")
    gen = pick_generator(generator, rng, "normal")
    values = mean_values + std_values * gen.standard_normal(shape)
    return finish(numpy.asarray(values).astype(out_dtype), device, requires_grad, "normal")


def _probabilities(op: str, input: Any) -> numpy.ndarray:  # noqa: A002
    """The weights of ``multinomial`` as float64 rows (checked: finite, >= 0, a positive sum)."""
    weights = numpy.asarray(host(input), dtype=numpy.float64)
    if weights.ndim not in (1, 2):
        raise RuntimeError(f"{op}: prob_dist must be 1 or 2 dim, got shape {weights.shape}")
    if not numpy.all(numpy.isfinite(weights)) or numpy.any(weights < 0):
        raise RuntimeError(f"{op}: probability tensor contains either `inf`, `nan` or element < 0")
    if numpy.any(weights.sum(axis=-1) <= 0):
        raise RuntimeError(f"{op}: invalid multinomial distribution (sum of probabilities <= 0)")
    return weights


def multinomial(input: Any, num_samples: int, replacement: bool = False, *, generator: Any = None,  # noqa: A002
                rng: Any = None) -> Tensor:
    """Category indices drawn with probability proportional to the weights in each row of ``input``.

    Args:
        input: weights (n_categories,) or (n_rows, n_categories), >= 0, not necessarily summing to 1.
        num_samples: draws per row.
        replacement: False (default) never draws a category twice in one row.

    Returns int64 (num_samples,) or (n_rows, num_samples).

    With replacement, each draw inverts the cumulative distribution at a uniform
    u. Without, each category i gets the key E_i / w_i with E_i ~ Exponential(1)
    and the ``num_samples`` smallest keys win: that is the same as drawing one
    category at a time in proportion to the weights and removing it
    (Efraimidis and Spirakis' weighted sampling). Zero weights come last.
    """
    weights = _probabilities("multinomial", input)
    rows = numpy.atleast_2d(weights)  # (R, C)
    n_rows, n_categories = rows.shape
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample {num_samples} <= 0 samples")
    if not replacement and num_samples > n_categories:
        raise RuntimeError(
            f"multinomial: cannot sample n_sample ({num_samples}) > prob_dist.size(-1) ({n_categories}) samples "
            "without replacement"
        )
    gen = pick_generator(generator, rng, "multinomial")
    if replacement:
        cdf = numpy.cumsum(rows, axis=1)
        cdf /= cdf[:, -1:]  # the last entry is exactly 1
        u = gen.random((n_rows, num_samples))
        picks = numpy.stack([numpy.searchsorted(cdf[r], u[r], side="right") for r in range(n_rows)])
    else:
        race = gen.exponential(size=(n_rows, n_categories))
        positive = rows > 0
        keys = numpy.where(positive, race / numpy.where(positive, rows, 1.0), numpy.inf)
        picks = numpy.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    picks = numpy.minimum(picks, n_categories - 1).astype(numpy.int64)
    out = picks[0] if weights.ndim == 1 else picks
    return finish(out, _device_of(input), False, "multinomial")


def _device_of(value: Any) -> Any:
    return value.device if isinstance(value, Tensor) else None


def _floating_input(op: str, input: Any) -> Tensor:  # noqa: A002
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor as input, got {type(input).__name__}")
    if input.dtype.kind != "f":
        raise TypeError(f"{op}: expected a floating tensor, got {input.dtype}")
    return input


def bernoulli(input: Any, p: float | None = None, *, generator: Any = None, rng: Any = None) -> Tensor:  # noqa: A002
    """1 with probability ``input`` (element-wise, in [0, 1]) or ``p`` if given, else 0; ``input``'s dtype."""
    input = _floating_input("bernoulli", input)  # noqa: A001
    probability = host(input) if p is None else numpy.full(tuple(input.shape), float(p))
    if numpy.any((probability < 0) | (probability > 1)) or numpy.any(numpy.isnan(probability)):
        raise RuntimeError("bernoulli: expected all probabilities in [0, 1]")
    draws = pick_generator(generator, rng, "bernoulli").random(tuple(input.shape)) < probability
    return _drawn_from(input, finish(numpy.asarray(draws).astype(input.dtype), input.device, False, "bernoulli"))


def poisson(input: Any, generator: Any = None, *, rng: Any = None) -> Tensor:  # noqa: A002
    """A Poisson count for each rate in ``input`` (>= 0), in ``input``'s dtype."""
    input = _floating_input("poisson", input)  # noqa: A001
    rates = host(input)
    if numpy.any(rates < 0) or not numpy.all(numpy.isfinite(rates)):
        raise RuntimeError("poisson: expected finite rates >= 0")
    counts = pick_generator(generator, rng, "poisson").poisson(rates)
    return _drawn_from(input, finish(numpy.asarray(counts).astype(input.dtype), input.device, False, "poisson"))


def binomial(count: Any, prob: Any, generator: Any = None) -> Tensor:
    """The number of successes in ``count`` trials of probability ``prob`` (element-wise, broadcast),
    in count's float dtype (torch.binomial)."""
    trials, chances = as_tensor(count), as_tensor(prob)
    if trials.dtype.kind != "f":
        raise ValueError(f"binomial only supports floating-point dtypes for count, got: {trials.dtype}")
    n, p = numpy.broadcast_arrays(host(trials), host(chances))
    if numpy.any(n < 0) or numpy.any((p < 0) | (p > 1)):
        raise RuntimeError("binomial: expected count >= 0 and prob in [0, 1]")
    draws = pick_generator(generator, None, "binomial").binomial(n.astype(numpy.int64), p)
    return finish(numpy.asarray(draws).astype(trials.dtype), trials.device, False, "binomial")


class Drawn(Op):
    """y = samples drawn with x as the distribution's parameters;  torch's gradient: dy/dx = 0."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, samples: Any) -> Any:
        return samples

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * 0


def _drawn_from(parameters: Tensor, samples: Tensor) -> Tensor:
    """``samples``, in the graph of ``parameters`` (gradient 0) when that requires grad, as torch keeps them."""
    if not parameters.requires_grad:
        return samples
    return Drawn.apply(parameters, samples=samples.array)


# ----- shaped like another tensor ----------------------------------------------------------------
def _like_args(op: str, input: Any, dtype: Any, device: Any) -> tuple[tuple[int, ...], Any, Any]:  # noqa: A002
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor as input, got {type(input).__name__}")
    if op != "randint_like" and dtype is None and input.dtype.kind != "f":
        raise TypeError(f"{op}: expected a floating tensor (or a floating dtype=), got {input.dtype}")
    return tuple(input.shape), input.dtype if dtype is None else dtype, input.device if device is None else device


def rand_like(input: Any, *, generator: Any = None, dtype: Any = None, device: Any = None,  # noqa: A002
              requires_grad: bool = False, **options: Any) -> Tensor:
    """``rand`` with the shape, dtype and device of ``input`` (which must be floating, as in torch)."""
    shape, dtype, device = _like_args("rand_like", input, dtype, device)
    return rand(shape, generator=generator, dtype=dtype, device=device, requires_grad=requires_grad, **options)


def randn_like(input: Any, *, generator: Any = None, dtype: Any = None, device: Any = None,  # noqa: A002
               requires_grad: bool = False, **options: Any) -> Tensor:
    """``randn`` with the shape, dtype and device of ``input``."""
    shape, dtype, device = _like_args("randn_like", input, dtype, device)
    return randn(shape, generator=generator, dtype=dtype, device=device, requires_grad=requires_grad, **options)


def randint_like(input: Any, *args: Any, low: Any = None, high: Any = None, generator: Any = None,  # noqa: A002
                 dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """``randint`` with the shape, dtype and device of ``input``: ``randint_like(x, high)`` or ``(x, low, high)``."""
    shape, dtype, device = _like_args("randint_like", input, dtype, device)
    low, high = _int_bounds("randint_like", args, low, high)
    return randint(low, high, shape, generator=generator, dtype=dtype, device=device, requires_grad=requires_grad,
                   **options)

