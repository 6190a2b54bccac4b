"""L-BFGS: a quasi-Newton method that builds its curvature estimate from the last few steps.

Each iteration turns the gradient g into a direction d = -H g, where H
approximates the inverse Hessian from the last m pairs

    s_k = x_{k+1} - x_k   (the step taken)     y_k = g_{k+1} - g_k   (the change it made in the gradient)

without ever forming a matrix (the two-loop recursion, ``lbfgs_direction``).
It then moves along d by a fixed step ``lr`` or by a strong-Wolfe line search
(``glassgrad.optim.line_search``). One ``step(closure)`` runs up to
``max_iter`` such iterations, calling the closure for every loss and gradient
it needs: the closure must zero the gradients, compute the loss, call
``backward()`` and return the loss.

The iteration, its stopping tests and the line search follow torch's LBFGS
(itself after Mark Schmidt's minFunc), so the trajectories agree.

LBFGS is the one optimizer here that does not run the ``Optimizer.step`` template (one update
rule per parameter, one gradient per step): it sees all parameters as one flat vector and calls
the closure again for every point it tries, so it keeps a loop of its own (``_step``, which
``step`` runs between the step hooks), and counts the parameters' versions itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from glassgrad import autograd, backend
from glassgrad.optim.line_search import strong_wolfe
from glassgrad.optim.optimizer import Optimizer, check_lr, evaluate_closure, to_scalar
from glassgrad.tensor import Tensor


def lbfgs_direction(grad: Any, old_dirs: list[Any], old_stps: list[Any], ro: list[float], h_diag: float) -> Any:
    """The quasi-Newton direction d = -H g by the two-loop recursion (Nocedal & Wright, algorithm 7.4).

    With pairs (s_i, y_i), rho_i = 1 / (y_i . s_i), oldest first, and the
    initial inverse Hessian H0 = h_diag * I (h_diag = y.s / y.y of the newest pair)::

        q = -g
        for i = newest .. oldest:  a_i = rho_i s_i . q;   q <- q - a_i y_i
        r = h_diag q
        for i = oldest .. newest:  b_i = rho_i y_i . r;   r <- r + (a_i - b_i) s_i
        d = r

    ``old_dirs`` holds the y's and ``old_stps`` the s's (torch's names).
    """
    q = -grad
    alphas = [0.0] * len(old_dirs)
    for i in range(len(old_dirs) - 1, -1, -1):
        alphas[i] = float(old_stps[i].dot(q)) * ro[i]
        q -= alphas[i] * old_dirs[i]
    r = q * h_diag
    for i in range(len(old_dirs)):
        beta = float(old_dirs[i].dot(r)) * ro[i]
        r += (alphas[i] - beta) * old_stps[i]
    return r


class LBFGS(Optimizer):
    """L-BFGS with an optional strong-Wolfe line search (torch's algorithm and defaults).

    Per iteration (see ``lbfgs_direction`` and ``line_search.strong_wolfe``)::

        remember (s, y) = (t d, g - g_prev) if y . s > 1e-10  (keep the newest history_size)
        d = -H g                           (two-loop recursion; d = -g on the very first iteration)
        t = min(1, 1 / sum|g|) lr on the very first iteration, else lr
        x <- x + t d                       (t from the line search when line_search_fn='strong_wolfe')

    An iteration ends the step when: max_iter iterations ran, max_eval closure
    calls were spent, max|g| <= tolerance_grad, max|t d| <= tolerance_change,
    or the loss changed by less than tolerance_change; and before moving when
    g . d > -tolerance_change (no descent left).

    Args:
        params: the parameters (one group only; per-group options are not supported).
        lr: step length, a float or a one-element tensor (default 1).
        max_iter: iterations per ``step`` (default 20).
        max_eval: closure calls per ``step`` (default max_iter * 5 // 4).
        tolerance_grad: stop when max|g| falls to this (default 1e-7).
        tolerance_change: stop when the step or the loss change falls below this (default 1e-9).
        history_size: how many (s, y) pairs to keep (default 100).
        line_search_fn: None (fixed step) or 'strong_wolfe'.

    State (on the first parameter, as torch): ``func_evals``, ``n_iter``, ``d``,
    ``t``, ``old_dirs``, ``old_stps``, ``ro``, ``H_diag``, ``prev_flat_grad``, ``prev_loss``.
    """

    param_shaped_state = False  # its state holds flat vectors over all parameters (see Optimizer)

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        check_lr(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"LBFGS: line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}")
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
                        tolerance_change=tolerance_change, history_size=history_size, line_search_fn=line_search_fn)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params: list[Tensor] = self.param_groups[0]["params"]
        if any(p.array.dtype.kind == "c" for p in self._params):  # its dot products would need the real view
            raise NotImplementedError("LBFGS: complex parameters are not supported (torch views them as real); "
                                      "optimize torch.view_as_real of your values as a real Parameter instead")

    # ----- the parameters seen as one flat vector -----------------------------
    def _gather_flat_grad(self) -> Any:
        """All gradients as one new flat array (zeros for a parameter without a gradient)."""
        xp = backend.xp
        pieces = [xp.zeros(p.array.size, dtype=p.dtype) if p.grad is None else p.grad.array.reshape(-1)
                  for p in self._params]
        return xp.concatenate(pieces)

    def _add_to_params(self, step_size: float, direction: Any) -> None:
        """x <- x + step_size * direction, the flat direction cut back into each parameter's shape."""
        offset = 0
        for p in self._params:
            n = p.array.size
            p.array += step_size * direction[offset:offset + n].reshape(p.shape)
            offset += n

    def _evaluate_along(self, closure: Callable[[], Any], start: list[Any], direction: Any,
                        t: float) -> tuple[float, Any]:
        """Loss and flat gradient at start + t d; the parameters are put back to ``start`` afterwards."""
        self._add_to_params(t, direction)
        loss = float(evaluate_closure(closure))
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, start):
            p.array[...] = saved
        return loss, flat_grad

    @autograd.no_grad()
    def _step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Run up to ``max_iter`` L-BFGS iterations; ``closure`` re-evaluates the loss (with backward).

        Its own loop in place of the base's template (see the module's docstring); ``step()``, the
        base's, runs it between the step hooks.

        Returns:
            the loss the first closure call returned (before any update).
        """
        if closure is None:
            raise TypeError("LBFGS.step needs a closure that zeroes the gradients, computes the loss, "
                            "calls backward() and returns the loss")
        group = self.param_groups[0]
        lr = to_scalar(group["lr"])
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]
        xp = backend.xp

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = evaluate_closure(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if float(xp.abs(flat_grad).max()) <= tolerance_grad:  # already optimal
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        h_diag = state.get("H_diag")
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            # ----- the direction d
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                h_diag = 1.0
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y.dot(s))
                if ys > 1e-10:  # keep the pair only if it carries positive curvature
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / float(y.dot(y))
                d = lbfgs_direction(flat_grad, old_dirs, old_stps, ro, h_diag)

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                prev_flat_grad[...] = flat_grad
            prev_loss = loss

            # ----- the step length t
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / float(xp.abs(flat_grad).sum())) * lr
            else:
                t = lr
            gtd = float(flat_grad.dot(d))
            if gtd > -tolerance_change:  # d is not a descent direction any more
                break

            evals_this_iteration = 0
            opt_cond = False
            if group["line_search_fn"] is not None:
                start = [p.array.copy() for p in self._params]
                evaluate = functools.partial(self._evaluate_along, closure, start, d)  # evaluate(t): loss, grad
                loss, flat_grad, t, evals_this_iteration = strong_wolfe(
                    evaluate, d, t, loss, flat_grad, gtd, tolerance_change=tolerance_change,
                    max_ls=max_eval - current_evals)
                self._add_to_params(t, d)
                opt_cond = float(xp.abs(flat_grad).max()) <= tolerance_grad
            else:
                self._add_to_params(t, d)
                if n_iter != max_iter:  # re-evaluate, unless this was the last iteration anyway
                    loss = float(evaluate_closure(closure))
                    flat_grad = self._gather_flat_grad()
                    opt_cond = float(xp.abs(flat_grad).max()) <= tolerance_grad
                    evals_this_iteration = 1
            current_evals += evals_this_iteration
            state["func_evals"] += evals_this_iteration

            # ----- stopping tests
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if float(xp.abs(d * t).max()) <= tolerance_change:  # the step has become tiny
                break
            if abs(loss - prev_loss) < tolerance_change:  # the loss has stopped changing
                break

        state.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=h_diag,
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
        for p in self._params:  # the parameters moved: a graph that saved their old values refuses a backward
            p._version_counter[0] += 1
        return orig_loss
