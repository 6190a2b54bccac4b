"""Which state an optimizer keeps per parameter, and the check that a loaded state is of that kind.

Every update rule names the slots a parameter's state holds after a step, given its group's
hyper-parameters (``Optimizer.state_slots(group)``): ``{"momentum_buffer"}`` for SGD with
momentum, ``{"step", "exp_avg", "exp_avg_sq"}`` for Adam, and so on. ``load_state_dict`` compares
each saved parameter's slots with them, so that Adam's state loaded into SGD is refused at once,
naming both optimizers and the slots that are missing or unexpected, instead of being ignored by
``step()`` (or failing there with a bare ``KeyError``).
"""

from __future__ import annotations

from typing import Any


def own_optimizers() -> list[type]:
    """glassgrad's optimizer classes (every subclass of Optimizer defined in glassgrad.optim), by name."""
    from glassgrad.optim.optimizer import Optimizer

    found, todo = {}, list(Optimizer.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("glassgrad.optim."):
            found[cls.__name__] = cls
    return [found[name] for name in sorted(found)]


def check_slot_names(optimizer: Any, index: Any, slots: dict[str, Any], group: dict[str, Any],
                     saved_group: dict[str, Any]) -> None:
    """Refuse the saved ``slots`` of parameter ``index`` unless they are the ones ``optimizer`` keeps.

    ``group`` is the parameter's group as it will be after loading (the saved hyper-parameters over
    this optimizer's); ``saved_group`` the saved one alone, to say which optimizers keep such a state.
    An empty state (saved before the first step) fits every optimizer.
    """
    expected = type(optimizer).state_slots(group)
    saved = {str(key) for key in slots}
    if expected is None or not saved or saved == expected:
        return
    name = type(optimizer).__name__
    quoted = lambda keys: ", ".join(repr(key) for key in sorted(keys))  # noqa: E731
    problems = [f"{what} {quoted(keys)}" for what, keys in (("missing", expected - saved),
                                                           ("unexpected", saved - expected)) if keys]
    savers = [cls.__name__ for cls in own_optimizers()
              if cls.__name__ != name and cls.state_slots(saved_group) == saved]
    kinds = " or ".join([", ".join(savers[:-1]), savers[-1]] if len(savers) > 1 else savers)
    source = f"the state of {kinds}" if savers else "another kind of state"
    raise ValueError(f"{name}.load_state_dict: parameter {index}'s saved state is {source}, not {name}'s: "
                     f"{'; '.join(problems)} (load a state_dict saved by {name} with the same settings)")
