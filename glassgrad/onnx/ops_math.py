"""ONNX mappings of the pointwise ops: arithmetic, math functions, activations, casts.

Most are one ONNX node of the same name; the others are written as short formulas
(``GELU = 0.5 x (1 + erf(x / sqrt 2))``) so that no custom op is needed.
"""

from __future__ import annotations

import math

from glassgrad.onnx.registry import OpCall, maps, ops_module

act = ops_module("activation")
hard = ops_module("activation_hard")
compare = ops_module("compare")
copy = ops_module("copy")
elementwise = ops_module("elementwise")
pointwise_math = ops_module("pointwise_math")
pointwise_trig = ops_module("pointwise_trig")
power = ops_module("power")

# ops that are exactly one ONNX node with the same inputs
_SAME = {
    elementwise.Add: "Add", elementwise.Sub: "Sub", elementwise.Mul: "Mul", elementwise.Div: "Div",
    elementwise.Neg: "Neg", elementwise.Exp: "Exp", elementwise.Log: "Log", elementwise.Sqrt: "Sqrt",
    elementwise.Abs: "Abs", elementwise.Maximum: "Max", elementwise.Minimum: "Min", power.Pow: "Pow",
    pointwise_math.Reciprocal: "Reciprocal", pointwise_math.Erf: "Erf",
    pointwise_trig.Sin: "Sin", pointwise_trig.Cos: "Cos", pointwise_trig.Tan: "Tan", pointwise_trig.Asin: "Asin",
    pointwise_trig.Acos: "Acos", pointwise_trig.Atan: "Atan", pointwise_trig.Sinh: "Sinh",
    pointwise_trig.Cosh: "Cosh", pointwise_trig.Asinh: "Asinh", pointwise_trig.Acosh: "Acosh",
    pointwise_trig.Atanh: "Atanh",
    act.ReLU: "Relu", act.Sigmoid: "Sigmoid", act.Tanh: "Tanh", act.Softsign: "Softsign",
    copy.Clone: "Identity", copy.ToDevice: "Identity",
}


@maps(*_SAME)
def same_name(c: OpCall) -> str:
    return c.g.add(_SAME[c.node.op], c.inputs)


def _const(c: OpCall, value: float) -> str:
    """A scalar constant of the op's output dtype."""
    return c.g.scalar(value, c.out_dtype)


@maps(pointwise_math.Rsqrt)
def rsqrt(c: OpCall) -> str:
    return c.g.add("Reciprocal", [c.g.add("Sqrt", c.inputs)])


@maps(pointwise_math.Exp2)
def exp2(c: OpCall) -> str:
    return c.g.add("Pow", [_const(c, 2.0), c.inputs[0]])


@maps(pointwise_math.Expm1)
def expm1(c: OpCall) -> str:
    return c.g.add("Sub", [c.g.add("Exp", c.inputs), _const(c, 1.0)])


@maps(pointwise_math.Log1p)
def log1p(c: OpCall) -> str:
    return c.g.add("Log", [c.g.add("Add", [c.inputs[0], _const(c, 1.0)])])


@maps(pointwise_math.Log2, pointwise_math.Log10)
def log_base(c: OpCall) -> str:
    base = 2.0 if c.node.op is pointwise_math.Log2 else 10.0
    return c.g.add("Div", [c.g.add("Log", c.inputs), _const(c, math.log(base))])


@maps(power.PowScalar)
def pow_scalar(c: OpCall) -> str:
    exponent = c.params["exponent"]
    if exponent == 2:
        return c.g.add("Mul", [c.inputs[0], c.inputs[0]])
    return c.g.add("Pow", [c.inputs[0], _const(c, exponent)])


@maps(elementwise.Clip)
def clip(c: OpCall) -> str:
    low, high = c.params["low"], c.params["high"]
    bounds = ["" if low is None else _const(c, low), "" if high is None else _const(c, high)]
    while bounds and bounds[-1] == "":
        bounds.pop()
    return c.g.add("Clip", [c.inputs[0], *bounds])


@maps(elementwise.ClampBetween)
def clamp_between(c: OpCall) -> str:
    out = c.inputs[0]
    for side, bound in zip(c.params["sides"], c.inputs[1:]):
        out = c.g.add("Max" if side == "low" else "Min", [out, bound])
    return out


@maps(elementwise.Where)
def where(c: OpCall) -> str:
    return c.g.add("Where", [c.array("cond"), *c.inputs])


@maps(compare.Cast)
def cast(c: OpCall) -> str:
    return c.g.cast(c.inputs[0], c.out_dtype)


# ----- activations -------------------------------------------------------------------------------
@maps(act.LeakyReLU)
def leaky_relu(c: OpCall) -> str:
    return c.g.add("LeakyRelu", c.inputs, alpha=float(c.params["slope"]))


@maps(act.GELU)
def gelu(c: OpCall) -> str:
    """x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)); 'tanh': 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    g, x = c.g, c.inputs[0]
    if c.params["approximate"] == "tanh":
        cube = g.add("Mul", [g.add("Mul", [x, x]), x])
        inner = g.add("Mul", [g.add("Add", [x, g.add("Mul", [cube, _const(c, 0.044715)])]),
                              _const(c, math.sqrt(2.0 / math.pi))])
        core = g.add("Tanh", [inner])
    else:
        core = g.add("Erf", [g.add("Div", [x, _const(c, math.sqrt(2.0))])])
    return g.add("Mul", [g.add("Mul", [x, _const(c, 0.5)]), g.add("Add", [core, _const(c, 1.0)])])


@maps(act.SiLU)
def silu(c: OpCall) -> str:
    return c.g.add("Mul", [c.inputs[0], c.g.add("Sigmoid", c.inputs)])


def _softplus(c: OpCall, x: str, beta: float, threshold: float) -> str:
    """torch's softplus: log(1 + exp(beta x)) / beta, and x itself where beta x > threshold."""
    g = c.g
    scaled = x if beta == 1 else g.add("Mul", [x, _const(c, beta)])
    soft = g.add("Softplus", [scaled])
    if beta != 1:
        soft = g.add("Div", [soft, _const(c, beta)])
    return g.add("Where", [g.add("Greater", [scaled, _const(c, threshold)]), x, soft])


@maps(act.Softplus)
def softplus(c: OpCall) -> str:
    return _softplus(c, c.inputs[0], float(c.params["beta"]), float(c.params["threshold"]))


@maps(act.Mish)
def mish(c: OpCall) -> str:
    return c.g.add("Mul", [c.inputs[0], c.g.add("Tanh", [_softplus(c, c.inputs[0], 1.0, 20.0)])])


@maps(act.LogSigmoid)
def log_sigmoid(c: OpCall) -> str:
    """log sigmoid(x) = -softplus(-x)."""
    return c.g.add("Neg", [c.g.add("Softplus", [c.g.add("Neg", c.inputs)])])


@maps(act.Tanhshrink)
def tanhshrink(c: OpCall) -> str:
    return c.g.add("Sub", [c.inputs[0], c.g.add("Tanh", c.inputs)])


@maps(act.ELU)
def elu(c: OpCall) -> str:
    """scale * (x if x > 0 else alpha (exp(input_scale x) - 1)): ELU, SELU and CELU."""
    g, x = c.g, c.inputs[0]
    alpha, scale, input_scale = (float(c.params[k]) for k in ("alpha", "scale", "input_scale"))
    if scale == 1 and input_scale == 1:
        return g.add("Elu", [x], alpha=alpha)
    inner = x if input_scale == 1 else g.add("Mul", [x, _const(c, input_scale)])
    negative = g.add("Mul", [g.add("Sub", [g.add("Exp", [inner]), _const(c, 1.0)]), _const(c, alpha)])
    y = g.add("Where", [g.add("Greater", [x, _const(c, 0.0)]), x, negative])
    return g.add("Mul", [y, _const(c, scale)])


@maps(hard.Hardtanh)
def hardtanh(c: OpCall) -> str:
    return c.g.add("Clip", [c.inputs[0], _const(c, c.params["low"]), _const(c, c.params["high"])])


@maps(hard.Hardsigmoid)
def hardsigmoid(c: OpCall) -> str:
    return c.g.add("HardSigmoid", c.inputs, alpha=1.0 / 6.0, beta=0.5)


@maps(hard.Hardswish)
def hardswish(c: OpCall) -> str:
    return c.g.add("HardSwish", c.inputs)

