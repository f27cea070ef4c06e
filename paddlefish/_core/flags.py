"""Paddle's global flags: ``paddle.get_flags`` / ``paddle.set_flags`` and ``FLAGS_*`` variables.

NOTE [flags]: Paddle keeps a table of ``FLAGS_*`` settings, each read once from the environment
variable of the same name and changeable at run time with ``paddle.set_flags``. paddlefish keeps
the same table for the flags Paddle programs commonly touch. A flag in ``ACTIVE`` changes what
paddlefish does (its consumer reads ``get(name)`` or registers ``watch(name, fn)``); the other
known flags are accepted and remembered so that code setting them runs unchanged, but have no
effect here (their meaning is a GPU allocator or a Paddle executor detail). A flag outside the
table is accepted by ``set_flags`` with a warning, as a name paddlefish does not know.

>>> from paddlefish._core import flags
>>> flags.set_flags({"FLAGS_enable_pir_api": True})
>>> flags.get_flags("FLAGS_enable_pir_api")
{'FLAGS_enable_pir_api': True}
>>> flags.set_flags({"FLAGS_enable_pir_api": False})
"""

from __future__ import annotations

import json
import os
import pathlib
import threading
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["ACTIVE", "KNOWN", "get", "get_flags", "set_flags", "watch"]

# flag -> (Paddle's default, what it does in paddlefish)
ACTIVE: dict[str, tuple[Any, str]] = {
    "FLAGS_enable_pir_api": (
        False,
        "the program dialect jit.save writes: Paddle 3 PIR .json when on, legacy .pdmodel when "
        "off (the default, readable by Paddle 2.x and 3.x)",
    ),
    "FLAGS_cudnn_deterministic": (False, "sets torch.backends.cudnn.deterministic"),
}
# Paddle flags accepted and remembered, without effect in paddlefish: every public flag of real
# Paddle 2.6 (``paddle_flags.json``, written by ``tools/paddle_flags.py``) with its default, and
# the GPU-build flags a CPU build of Paddle does not list.
_GPU_BUILD_FLAGS: dict[str, Any] = {
    "FLAGS_conv_workspace_size_limit": 512,
    "FLAGS_cudnn_batchnorm_spatial_persistent": False,
    "FLAGS_cudnn_exhaustive_search": False,
    "FLAGS_embedding_deterministic": 0,
}
_TABLE = json.loads((pathlib.Path(__file__).with_name("paddle_flags.json")).read_text())["flags"]
KNOWN: dict[str, Any] = {
    **_GPU_BUILD_FLAGS,
    **{k: v for k, v in _TABLE.items() if k not in ACTIVE},
}

_lock = threading.Lock()
_values: dict[str, Any] = {}
_watchers: dict[str, list[Callable[[Any], None]]] = {}


def _default(name: str) -> Any:
    return ACTIVE[name][0] if name in ACTIVE else KNOWN[name]


def _parse(raw: str, like: Any) -> Any:
    """An environment string as the type of the flag's default (Paddle's gflags parsing)."""
    if isinstance(like, bool):
        low = raw.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"flag value {raw!r} is not a boolean (expected 1/0/true/false)")
    if isinstance(like, int):
        return int(raw)
    if isinstance(like, float):
        return float(raw)
    return raw


def _coerce(name: str, value: Any) -> Any:
    if name not in ACTIVE and name not in KNOWN:
        return value
    like = _default(name)
    if isinstance(value, str) and not isinstance(like, str):
        return _parse(value, like)
    if isinstance(like, bool):
        return bool(value)
    return value


def get(name: str) -> Any:
    """The current value of one flag (environment variable ``name`` at first read, else default)."""
    with _lock:
        if name not in _values:
            if name not in ACTIVE and name not in KNOWN:
                raise ValueError(
                    f"Flag {name} cannot get its value through this function: it is not one of "
                    f"the Paddle flags paddlefish knows and it was never set with set_flags. "
                    f"Known flags: {sorted([*ACTIVE, *KNOWN])}"
                )
            raw = os.environ.get(name)
            _values[name] = _default(name) if raw is None else _parse(raw, _default(name))
        return _values[name]


def get_flags(flags: str | list[str] | tuple[str, ...]) -> dict[str, Any]:
    """``paddle.get_flags('FLAGS_x')`` or ``get_flags([...])`` -> ``{name: value}``."""
    if isinstance(flags, str):
        flags = [flags]
    elif not isinstance(flags, (list, tuple)):
        raise TypeError(
            f"Flags in get_flags should be a list, tuple or string, got {type(flags).__name__}"
        )
    return {name: get(name) for name in flags}


def set_flags(flags: dict[str, Any]) -> None:
    """``paddle.set_flags({'FLAGS_x': value, ...})``; unknown flags are kept, with a warning."""
    if not isinstance(flags, dict):
        raise TypeError(f"flags in set_flags should be a dict, got {type(flags).__name__}")
    for name, value in flags.items():
        if not isinstance(name, str) or not name.startswith("FLAGS_"):
            raise ValueError(f"flag name {name!r} must be a string starting with 'FLAGS_'")
        if name not in ACTIVE and name not in KNOWN:
            warnings.warn(
                f"set_flags: {name} is not a flag paddlefish knows; its value is remembered "
                "(get_flags returns it) but changes nothing",
                stacklevel=2,
            )
        value = _coerce(name, value)
        with _lock:
            _values[name] = value
            watchers = list(_watchers.get(name, ()))
        for fn in watchers:
            fn(value)


def watch(name: str, fn: Callable[[Any], None]) -> None:
    """Call ``fn(value)`` now and whenever ``name`` is set (for flags with a side effect)."""
    with _lock:
        _watchers.setdefault(name, []).append(fn)
    fn(get(name))
