"""Line search for L-BFGS: a step length t along a descent direction d satisfying the strong Wolfe conditions.

With phi(t) = f(x + t d) and phi'(t) = grad f(x + t d) . d, a step t is
accepted when

    phi(t) <= phi(0) + c1 t phi'(0)          (sufficient decrease, "Armijo")
    |phi'(t)| <= c2 |phi'(0)|                 (curvature: the slope has flattened)

with 0 < c1 < c2 < 1 (1e-4 and 0.9 here). The search follows Nocedal &
Wright, *Numerical Optimization* (2nd ed.), algorithms 3.5 (bracketing) and
3.6 (zoom), with each new trial point at the minimiser of the cubic that
matches phi and phi' at two known points (their equation 3.59), safeguarded
as in Mark Schmidt's minFunc, which torch's LBFGS also follows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def cubic_interpolate(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
                      bounds: tuple[float, float] | None = None) -> float:
    """The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to ``bounds``.

    Nocedal & Wright (3.59), for x1 <= x2::

        d1 = g1 + g2 - 3 (f1 - f2) / (x1 - x2)
        d2 = sqrt(d1^2 - g1 g2)
        x* = x2 - (x2 - x1) (g2 + d2 - d1) / (g2 - g1 + 2 d2)

    (the roles of the points swap when x1 > x2). ``bounds`` defaults to
    [min(x1, x2), max(x1, x2)]. When d1^2 < g1 g2 the cubic has no minimum
    and the bounds' midpoint is returned (bisection).
    """
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    if x1 == x2:  # no cubic through one point twice: bisect (only reachable with a degenerate bracket)
        return (low + high) / 2.0
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        minimiser = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        minimiser = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(minimiser, low), high)


def strong_wolfe(evaluate: Callable[[float], tuple[float, Any]], direction: Any, t: float, loss: float,
                 grad: Any, gtd: float, c1: float = 1e-4, c2: float = 0.9, tolerance_change: float = 1e-9,
                 max_ls: int = 25) -> tuple[float, Any, float, int]:
    """Find a step ``t`` along ``direction`` satisfying the strong Wolfe conditions.

    Args:
        evaluate: ``evaluate(t) -> (loss, flat_grad)`` at x + t d (and leaves x unchanged).
        direction: the flat descent direction d.
        t: the first trial step.
        loss, grad, gtd: phi(0), the flat gradient at x, and phi'(0) = grad . d (< 0).
        c1, c2: the sufficient-decrease and curvature constants.
        tolerance_change: stop when the bracket is narrower than this (measured as |dt| max|d|).
        max_ls: the most evaluations to spend.

    Returns:
        ``(loss, flat_grad, t, evaluations)`` at the chosen step.

    Phase 1 (bracketing) grows t until an interval [t_prev, t] must contain
    an acceptable step: the loss rose above the Armijo line or above the
    previous trial, or the slope turned non-negative. Each growth moves t to
    the cubic minimiser, kept within [t + 0.01 (t - t_prev), 10 t].
    Phase 2 (zoom) shrinks the bracket with cubic steps, each kept at least
    10% of the bracket's width from its ends once a step made too little
    progress, until a trial satisfies both conditions.
    """
    d_norm = float(abs(direction).max())
    loss_new, grad_new = evaluate(t)
    evaluations = 1
    gtd_new = float(grad_new.dot(direction))
    t_prev, loss_prev, grad_prev, gtd_prev = 0.0, loss, grad, gtd
    done = False
    ls_iter = 0

    # ----- phase 1: find a bracket [t_prev, t] that holds an acceptable step
    while ls_iter < max_ls:
        if loss_new > loss + c1 * t * gtd or (ls_iter > 1 and loss_new >= loss_prev):
            bracket = [t_prev, t]
            bracket_loss = [loss_prev, loss_new]
            bracket_grad = [grad_prev, grad_new]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:  # both conditions hold: t is the answer
            bracket, bracket_loss, bracket_grad = [t], [loss_new], [grad_new]
            done = True
            break
        if gtd_new >= 0:  # the slope turned: the minimum lies behind t
            bracket = [t_prev, t]
            bracket_loss = [loss_prev, loss_new]
            bracket_grad = [grad_prev, grad_new]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        # still descending steeply: extrapolate to a longer step
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        t_next = cubic_interpolate(t_prev, loss_prev, gtd_prev, t, loss_new, gtd_new, bounds=(min_step, max_step))
        t_prev, loss_prev, grad_prev, gtd_prev = t, loss_new, grad_new, gtd_new
        t = t_next
        loss_new, grad_new = evaluate(t)
        evaluations += 1
        gtd_new = float(grad_new.dot(direction))
        ls_iter += 1
    else:  # out of evaluations: fall back to the interval [0, t]
        bracket, bracket_loss, bracket_grad = [0.0, t], [loss, loss_new], [grad, grad_new]

    # ----- phase 2: zoom into the bracket until the strong Wolfe conditions hold
    insufficient_progress = False
    low, high = (0, 1) if bracket_loss[0] <= bracket_loss[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:  # the bracket has collapsed
            break
        t = cubic_interpolate(bracket[0], bracket_loss[0], bracket_gtd[0],
                              bracket[1], bracket_loss[1], bracket_gtd[1])
        # keep t away from the bracket's ends once progress has been too small twice
        left, right = min(bracket), max(bracket)
        margin = 0.1 * (right - left)
        if min(right - t, t - left) < margin:
            if insufficient_progress or t >= right or t <= left:
                t = right - margin if abs(t - right) < abs(t - left) else left + margin
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False
        loss_new, grad_new = evaluate(t)
        evaluations += 1
        gtd_new = float(grad_new.dot(direction))
        ls_iter += 1

        if loss_new > loss + c1 * t * gtd or loss_new >= bracket_loss[low]:
            # not low enough: t becomes the high end
            bracket[high], bracket_loss[high] = t, loss_new
            bracket_grad[high], bracket_gtd[high] = grad_new, gtd_new
            low, high = (0, 1) if bracket_loss[0] <= bracket_loss[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                # the minimum lies between t and the old low end: that end becomes the high end
                bracket[high], bracket_loss[high] = bracket[low], bracket_loss[low]
                bracket_grad[high], bracket_gtd[high] = bracket_grad[low], bracket_gtd[low]
            bracket[low], bracket_loss[low] = t, loss_new
            bracket_grad[low], bracket_gtd[low] = grad_new, gtd_new

    return bracket_loss[low], bracket_grad[low], bracket[low], evaluations
