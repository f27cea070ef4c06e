"""``LRScheduler``: the base of every learning-rate scheduler (pure Python, floats only).

The base owns the loop (``step`` advances ``last_epoch`` and asks ``get_lr`` for the new value);
subclasses fill ``get_lr`` and, where Paddle has one, ``_get_closed_form_lr``.

NOTE [LR scheduler state dict]: ``state_dict()`` holds exactly the attributes named by
``state_keys()`` (``['last_epoch', 'last_lr']`` unless a subclass says more), in that order, with
the values as they are -- no coercion. Real Paddle writes them that way into ``.pdopt`` files under
``'LR_Scheduler'``, so value *types* are part of the file contract: ``last_epoch`` is an ``int``,
``last_lr`` whatever ``get_lr`` returned (a ``float`` almost always, but an ``int`` for e.g.
``PiecewiseDecay(values=[1, 0.5])``). A freshly built scheduler has ``last_epoch == 0`` because the
constructor already calls ``step()`` once. A one-element tensor value is stored as a ``float``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np


class LRArgumentError(ValueError, AssertionError):
    """A scheduler argument is out of range or of the wrong type.

    It is also an ``AssertionError`` because real Paddle checks these with ``assert``, so code
    written against Paddle that catches ``AssertionError`` keeps working.
    """


def require(cond: bool, owner: str, message: str) -> None:
    """Raise ``LRArgumentError('<owner>: <message>')`` unless ``cond`` holds."""
    if not cond:
        raise LRArgumentError(f"{owner}: {message}")


def require_type(value: Any, types: type | tuple[type, ...], owner: str, name: str) -> None:
    """Raise ``TypeError`` naming the argument, the expected and the received type."""
    if not isinstance(value, types):
        names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
        raise TypeError(
            f"{owner}: '{name}' must be of type {names}, but received {value!r} "
            f"of type {type(value).__name__}."
        )


def is_tensor_like(value: Any) -> bool:
    """True for framework tensors (anything with ``.numpy()`` or ``.item()``), not numbers/numpy."""
    if isinstance(value, (bool, int, float, np.ndarray, np.generic)):
        return False
    return hasattr(value, "numpy") or hasattr(value, "item")


def _state_value(key: str, value: Any) -> Any:
    if not is_tensor_like(value):
        return value
    size = int(np.asarray(value.numpy() if hasattr(value, "numpy") else value.item()).size)
    if size != 1:
        raise ValueError(
            f"LR scheduler state '{key}' is a tensor with {size} elements; a state value must "
            "be a number or a one-element tensor."
        )
    return float(value.numpy().reshape(-1)[0] if hasattr(value, "numpy") else value.item())


class LRScheduler:
    """Base class of the learning-rate schedulers (``paddle.optimizer.lr.LRScheduler``).

    Subclasses implement ``get_lr()``: the learning rate for ``self.last_epoch``. Calling the
    scheduler returns the current learning rate; ``step()`` moves one epoch (or step) on.

    Example:
        >>> class Halving(LRScheduler):
        ...     def get_lr(self):
        ...         return self.base_lr * 0.5**self.last_epoch
        >>> s = Halving(learning_rate=1.0)
        >>> s(), s.last_epoch
        (1.0, 0)
        >>> s.step(); s()
        0.5
        >>> s.state_dict()
        {'last_epoch': 1, 'last_lr': 0.5}
    """

    def __init__(
        self, learning_rate: float = 0.1, last_epoch: int = -1, verbose: bool = False
    ) -> None:
        owner = type(self).__name__
        if not isinstance(learning_rate, (float, int)):
            raise TypeError(
                f"{owner}: the learning rate must be a float, but received {learning_rate!r} "
                f"of type {type(learning_rate).__name__}."
            )
        if learning_rate < 0:
            raise ValueError(f"{owner}: invalid learning rate {learning_rate}; it must be >= 0.")
        self.base_lr = float(learning_rate)
        self.last_lr = float(learning_rate)
        self.last_epoch = last_epoch
        self.verbose = verbose
        self._var_name: str | None = None
        self.step()

    def __call__(self) -> float:
        """Return the current learning rate (``last_lr``)."""
        return self.last_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch, or jump to ``epoch`` (closed form where the schedule has one)."""
        if epoch is None:
            self.last_epoch += 1
            self.last_lr = self.get_lr()
        else:
            self.last_epoch = epoch
            self.last_lr = self._get_closed_form_lr()
        self._report()

    def _report(self) -> None:
        if self.verbose:
            print(
                f"Epoch {self.last_epoch}: {type(self).__name__} set learning rate to "
                f"{self.last_lr}."
            )

    def get_lr(self) -> float:
        """The learning rate for ``self.last_epoch``; every subclass overrides it."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_lr()")

    def _get_closed_form_lr(self) -> float:
        # schedules whose get_lr is recursive (uses last_lr) override this for step(epoch=...)
        return self.get_lr()

    def state_keys(self) -> None:
        """Set ``self.keys``: the attribute names that ``state_dict()`` saves, in order."""
        self.keys = ["last_epoch", "last_lr"]

    def state_dict(self) -> dict[str, Any]:
        """The scheduler state as Paddle writes it; see NOTE [LR scheduler state dict]."""
        self.state_keys()
        return {
            key: _state_value(key, self.__dict__[key]) for key in self.keys if key in self.__dict__
        }

    def _own_key_count(self) -> int:
        return len(self.keys)

    def set_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state from ``state_dict()`` (ours or real Paddle's ``sd['LR_Scheduler']``)."""
        if not isinstance(state_dict, dict):
            raise TypeError(
                f"{type(self).__name__}.set_state_dict: expected a dict such as "
                f"scheduler.state_dict() or opt_state['LR_Scheduler'], got {type(state_dict)}."
            )
        self.state_keys()
        missing = [key for key in self.keys if key not in state_dict]
        if missing:
            raise RuntimeError(
                f"{type(self).__name__}.set_state_dict: key(s) {missing} missing from the "
                f"state dict (it has {sorted(state_dict)}; expected {self.keys}). Was it saved "
                "from a different kind of scheduler?"
            )
        for key in self.keys:
            self.__dict__[key] = state_dict[key]
        if len(state_dict) > self._own_key_count():
            warnings.warn(
                f"{type(self).__name__}.set_state_dict: unused keys "
                f"{sorted(set(state_dict) - set(self.keys))} in the state dict; the optimizer "
                "may have had a different LR scheduler when state_dict() was called.",
                stacklevel=2,
            )
        self._after_load()

    def _after_load(self) -> None:
        # hook: rebuild derived (unsaved) attributes from the loaded ones
        pass

    def set_dict(self, state_dict: dict[str, Any]) -> None:
        """Alias of ``set_state_dict`` (Paddle 1.x name); dispatches to subclass overrides."""
        self.set_state_dict(state_dict)
