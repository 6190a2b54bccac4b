"""``torch.autograd``: reverse-mode differentiation, laid out as PyTorch lays it out.

The floor the ops and ``Tensor`` stand on (no module of it imports ``Tensor`` or an op at import):

    grad_mode.py        no_grad, enable_grad, set_grad_enabled, inference_mode: whether ops record
    graph.py            Node (one recorded op application), the topological order, the version checks
    engine.py           the walk behind ``Tensor.backward``: each op's backward, unbroadcast, accumulate,
                        the hooks it runs on leaves

Above ``Tensor`` and the ops (they import both):

    gradients.py        grad: d outputs / d inputs returned, not stored (``torch.autograd.grad``)
    higher_order.py     create_graph=True: the same walk recording its own graph, so gradients have gradients
    graph_namespace.py  ``backend.xp`` while a backward records its graph: NumPy's names as differentiable ops
    hooks.py            Tensor.register_hook, register_post_accumulate_grad_hook
    function.py         Function, FunctionCtx, once_differentiable: a custom op over Tensors
    functional.py       jacobian, hessian, vjp, jvp, hvp, vhp
    gradcheck.py        gradcheck, gradgradcheck: analytic against finite-difference derivatives

``glassgrad/__init__.py`` imports this package first, so the lower floor is loaded before ``Tensor``
(which imports it) and the upper modules after. The engine reaches ``Tensor`` at call time only
(``engine.tensor_class``): the circle between a tensor and its autograd, which torch has too.
"""

# the floor below Tensor first (Tensor and the ops import these names while the upper modules load)
from glassgrad.autograd.grad_mode import enable_grad as enable_grad
from glassgrad.autograd.grad_mode import inference_mode as inference_mode
from glassgrad.autograd.grad_mode import is_grad_enabled as is_grad_enabled
from glassgrad.autograd.grad_mode import no_grad as no_grad
from glassgrad.autograd.grad_mode import set_grad_enabled as set_grad_enabled
from glassgrad.autograd.graph import Node as Node
from glassgrad.autograd.engine import unbroadcast as unbroadcast

# then the modules above Tensor and the ops: importing the first loads Tensor and the ops
from glassgrad.autograd.gradients import grad as grad
from glassgrad.autograd.backward_function import backward as backward  # torch.autograd.backward
from glassgrad.autograd import function as function  # torch.autograd.function
from glassgrad.autograd.function import Function as Function
from glassgrad.autograd.function import FunctionCtx as FunctionCtx
from glassgrad.autograd import functional as functional  # torch.autograd.functional
from glassgrad.autograd import profiler as profiler  # torch.autograd.profiler
from glassgrad.autograd.gradcheck import GradcheckError as GradcheckError
from glassgrad.autograd.gradcheck import gradcheck as gradcheck
from glassgrad.autograd.gradcheck import gradgradcheck as gradgradcheck
