"""``paddle.jit.set_code_level`` / ``set_verbosity``: what the dy2static conversion tells.

Paddle prints the transformed code of each converted function at code level > 0 (it numbers
its many AST passes; paddlefish has one, so every level above 0 shows the same, final code) and
logs conversion steps at verbosity > 0. Both go to the ``paddlefish.jit`` logger (and to stdout
with ``also_to_stdout=True``). The environment variables ``TRANSLATOR_CODE_LEVEL`` and
``TRANSLATOR_VERBOSITY`` set the starting values, as in Paddle.

>>> import paddlefish as paddle
>>> paddle.jit.set_code_level(100)
>>> paddle.jit.set_code_level(0)
"""

from __future__ import annotations

import logging
import os

__all__ = ["log_code", "log_step", "set_code_level", "set_verbosity"]

_LOG = logging.getLogger("paddlefish.jit")
_state = {
    "code_level": int(os.environ.get("TRANSLATOR_CODE_LEVEL", "0") or 0),
    "verbosity": int(os.environ.get("TRANSLATOR_VERBOSITY", "0") or 0),
    "code_stdout": False,
    "verbosity_stdout": False,
}


def _level(level, what):
    if not isinstance(level, int):
        raise TypeError(f"{what}: level must be an int, got {type(level).__name__}")
    return level


def set_code_level(level=100, also_to_stdout=False):
    """Show the converted code of every function dy2static converts from now on (level > 0)."""
    _state["code_level"] = _level(level, "set_code_level")
    _state["code_stdout"] = bool(also_to_stdout)


def set_verbosity(level=0, also_to_stdout=False):
    """Log dy2static's conversion steps (level > 0)."""
    _state["verbosity"] = _level(level, "set_verbosity")
    _state["verbosity_stdout"] = bool(also_to_stdout)


def log_code(name: str, source: str) -> None:
    if _state["code_level"] > 0:
        text = f"After the dy2static transformation, the code of {name} is:\n{source}"
        _LOG.info(text)
        if _state["code_stdout"]:
            print(text)


def log_step(level: int, message: str) -> None:
    if _state["verbosity"] >= level:
        _LOG.info(message)
        if _state["verbosity_stdout"]:
            print(message)
