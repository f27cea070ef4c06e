"""The global random states paddlefish draws from (Python ``random``, numpy's global generator,
torch's CPU and CUDA generators): captured, restored, and converted to JSON-compatible data.

Used by ``DataLoader.state_dict`` (the random state at the start of a pass, from which a shuffled
pass is drawn again on resume) and by ``paddlefish.checkpoint`` (the random state at a step).
"""

from __future__ import annotations

import base64
import random
from typing import Any

import numpy as np
import torch

__all__ = ["capture", "from_json", "restore", "to_json"]

_FORMAT = "paddlefish.rng/1"


def capture() -> dict[str, Any]:
    """The current states as Python objects (cheap: no encoding)."""
    state: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore(state: dict[str, Any]) -> None:
    """Set the global states from ``capture()``'s result (``cuda`` only where it was captured)."""
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _b64(t: torch.Tensor) -> str:
    return base64.b64encode(t.numpy().tobytes()).decode("ascii")


def _unb64(s: str) -> torch.Tensor:
    return torch.frombuffer(bytearray(base64.b64decode(s)), dtype=torch.uint8).clone()


def to_json(state: dict[str, Any]) -> dict[str, Any]:
    """``capture()``'s result as JSON-compatible data.

    >>> import json, numpy as np
    >>> s = to_json(capture()); a = np.random.rand()
    >>> restore(from_json(json.loads(json.dumps(s)))); np.random.rand() == a
    True
    """
    version, internal, gauss = state["python"]
    kind, keys, pos, has_gauss, cached = state["numpy"]
    out = {
        "format": _FORMAT,
        "python": [version, list(internal), gauss],
        "numpy": [kind, np.asarray(keys).tolist(), int(pos), int(has_gauss), float(cached)],
        "torch": _b64(state["torch"]),
    }
    if "cuda" in state:
        out["cuda"] = [_b64(t) for t in state["cuda"]]
    return out


def from_json(data: Any) -> dict[str, Any]:
    """The inverse of ``to_json``; a value of another shape is refused with what was expected."""
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        got = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ValueError(
            f"random-state record: expected a dict with format {_FORMAT!r} (as written by "
            f"paddlefish), got {got!r}"
        )
    try:
        version, internal, gauss = data["python"]
        kind, keys, pos, has_gauss, cached = data["numpy"]
        state = {
            "python": (int(version), tuple(int(v) for v in internal), gauss),
            "numpy": (str(kind), np.asarray(keys, dtype=np.uint32), int(pos), int(has_gauss),
                      float(cached)),
            "torch": _unb64(data["torch"]),
        }  # fmt: skip
        if "cuda" in data:
            state["cuda"] = [_unb64(s) for s in data["cuda"]]
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(
            f"random-state record: a field is missing or malformed ({type(e).__name__}: {e}); "
            "the record was not written by this version of paddlefish or was edited"
        ) from e
    return state
