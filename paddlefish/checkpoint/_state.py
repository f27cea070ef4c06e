"""What goes into a step and how it comes back: the files of a step, encoded for writing and
decoded (and checked against the live objects) for restoring."""

from __future__ import annotations

import collections
import io
import json
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from .. import framework
from ..eager import Tensor
from ..io import _rng
from ._errors import CheckpointError

__all__ = [
    "DATA",
    "LR",
    "META",
    "MODEL",
    "OPTIMIZER",
    "PARTS",
    "RNG",
    "SCALER",
    "Stager",
    "check_model_state",
    "decode_json",
    "decode_pickle",
    "encode_json",
    "json_metrics",
    "state_of",
]

# NOTE [step files]: the state files are what ``paddle.save`` writes (real Paddle's
# ``paddle.load`` opens each); the rest is JSON. File name -> the ``save``/``restore`` argument.
MODEL = "model.pdparams"
OPTIMIZER = "optimizer.pdopt"
LR = "lr_scheduler.pdopt"
SCALER = "scaler.pdopt"
RNG = "rng_state.json"
DATA = "data_state.json"
META = "metadata.json"
PARTS = {"model": MODEL, "optimizer": OPTIMIZER, "lr_scheduler": LR, "scaler": SCALER}


def state_of(name: str, obj: Any) -> Any:
    """``obj.state_dict()``, refusing an object that has none."""
    fn = getattr(obj, "state_dict", None)
    if not callable(fn):
        raise TypeError(
            f"CheckpointManager.save: {name}= needs an object with state_dict() (a Layer, an "
            f"Optimizer, an LRScheduler, a GradScaler), got {type(obj).__name__}"
        )
    return fn()


class Stager:
    """Copies state into host buffers kept from one background save to the next.

    NOTE [staging buffers]: an async save must copy the state before returning (training goes
    on), and copying into fresh memory costs a page fault per page, often more than the copy
    itself. The buffers of the previous save are reused when a key's shape and dtype are
    unchanged, so a steady training loop pays only a memcpy. This is safe because at most one
    background save is in flight and the next snapshot waits for it. The price is one host copy
    of the saved state held between saves (``CheckpointManager.close`` drops it).
    """

    def __init__(self) -> None:
        self.buffers: dict[tuple, Any] = {}

    def snapshot(self, x: Any, path: tuple = ()) -> Any:
        """A copy of ``x`` whose Tensors and ndarrays own their memory (containers rebuilt)."""
        if isinstance(x, Tensor):
            t = x._t.detach()
            buf = self.buffers.get(path)
            if buf is None or buf.shape != t.shape or buf.dtype != t.dtype or t.is_cuda:
                buf = self.buffers[path] = t.clone()
            else:
                buf.copy_(t)
            return Tensor(buf, name=x.name)
        if isinstance(x, np.ndarray):
            return x.copy()
        if type(x) in (dict, collections.OrderedDict):
            return type(x)((k, self.snapshot(v, (*path, k))) for k, v in x.items())
        if isinstance(x, dict):
            return {k: self.snapshot(v, (*path, k)) for k, v in x.items()}
        if type(x) in (list, tuple):
            return type(x)(self.snapshot(v, (*path, i)) for i, v in enumerate(x))
        return x


def pickle_writer(obj: Any) -> Callable[[IO[bytes]], None]:
    return lambda f: framework.save(obj, f)


def encode_json(what: str, obj: Any) -> bytes:
    try:
        return json.dumps(obj, indent=1, sort_keys=True, allow_nan=True).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"CheckpointManager.save: {what} must be JSON data (dicts with str keys, lists, "
            f"str, numbers, bool, None) so it can be read back anywhere; {e}. Convert the "
            "values (DataLoader.state_dict() already is JSON data)"
        ) from e


def json_metrics(metrics: Any) -> dict[str, Any]:
    if metrics is None:
        return {}
    if not isinstance(metrics, dict):
        raise TypeError(
            f"CheckpointManager.save: metrics must be a dict like {{'loss': 0.1}}, got "
            f"{type(metrics).__name__}"
        )
    out = {}
    for k, v in metrics.items():
        if not isinstance(k, str):
            raise TypeError(f"CheckpointManager.save: metric names must be str, got {k!r}")
        if isinstance(v, (Tensor, np.ndarray, np.generic)):
            arr = np.asarray(v.numpy() if isinstance(v, Tensor) else v)
            if arr.size != 1:
                raise ValueError(
                    f"CheckpointManager.save: metric {k!r} must be one number, got shape "
                    f"{list(arr.shape)}"
                )
            v = arr.reshape(()).item()
        if not isinstance(v, (bool, int, float, str)) and v is not None:
            raise TypeError(
                f"CheckpointManager.save: metric {k!r} must be a number or a str, got "
                f"{type(v).__name__}"
            )
        out[k] = v
    return out


def rng_bytes() -> bytes:
    return encode_json("the random state", _rng.to_json(_rng.capture()))


def decode_json(where: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise CheckpointError(f"{where} is not valid JSON ({e})") from e


def decode_pickle(where: str, data: bytes) -> Any:
    try:
        return framework.load(io.BytesIO(data))
    except Exception as e:
        raise CheckpointError(f"{where} cannot be read by paddle.load: {e}") from e


def _shape(v: Any) -> list[int]:
    return list(v.shape) if hasattr(v, "shape") else list(np.shape(v))


def check_model_state(where: str, model: Any, saved: dict) -> None:
    """Refuse, naming every key, a saved model state that does not fit ``model``."""
    own = model.state_dict()
    lines = []
    for k, v in own.items():
        if k not in saved:
            lines.append(f"  {k}: missing from the checkpoint (model shape {_shape(v)})")
        elif _shape(saved[k]) != _shape(v):
            lines.append(f"  {k}: checkpoint shape {_shape(saved[k])}, model shape {_shape(v)}")
    lines += [
        f"  {k}: in the checkpoint (shape {_shape(v)}) but not in the model"
        for k, v in saved.items()
        if k not in own
    ]
    if lines:
        raise CheckpointError(
            f"CheckpointManager.restore: the model state in {where} does not fit the model "
            f"({type(model).__name__}); {len(lines)} key(s) differ:\n"
            + "\n".join(lines)
            + "\nBuild the model with the configuration it was saved with, or restore without "
            "model= and load the matching keys yourself"
        )
