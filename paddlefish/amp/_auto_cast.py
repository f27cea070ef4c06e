"""``paddle.amp.auto_cast`` / ``decorate`` and the op lists, with Paddle's rules about where
mixed precision applies.

Paddle enables AMP only on GPU/XPU/custom places: on a CPU place ``auto_cast`` and ``decorate``
warn once per call and change nothing (observed in Paddle 2.6 and 3.3: outputs stay float32,
``decorate(level="O2")`` leaves float32 weights). paddlefish does the same on CPU. On a CUDA
device ``auto_cast`` runs the block under ``torch.autocast`` — torch's own op lists decide
which ops run in half precision (close to Paddle's white/black lists, not identical; the
``custom_*_list`` arguments are validated as Paddle does but do not change torch's lists).
``decorate(level="O2")`` (pure half-precision weights with float32 master weights) is refused on
CUDA with a message: paddlefish's optimizers keep no master weights yet.

>>> import warnings, paddlefish as paddle
>>> layer = paddle.nn.Linear(4, 2)
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     with paddle.amp.auto_cast():
...         y = layer(paddle.ones([1, 4]))
>>> y.dtype  # CPU: no effect, as in Paddle
paddle.float32
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import threading
import warnings

import torch

from ..eager._dtype import from_torch_dtype
from ..eager.device import Place, current_torch_device, to_torch_device

_LISTS = json.loads(pathlib.Path(__file__).with_name("_op_lists.json").read_text())
_LEVELS = ("O0", "OD", "O1", "O2")
_DTYPES = ("float16", "bfloat16")
_state = threading.local()
# Paddle's ``amp_global_state().amp_dtype``: the dtype of the latest ``auto_cast`` entered (never
# reset on exit); GradScaler.scale turns dynamic scaling off unless it is float16.
_last_dtype = ["float32"]


def _amp_device() -> torch.device | None:
    """The torch device AMP acts on, or None where Paddle makes AMP a no-op (CPU places)."""
    device = current_torch_device()
    return device if device.type == "cuda" else None


def _place_text() -> str:
    return str(Place(current_torch_device()))


def _check_lists(custom_white_list, custom_black_list) -> None:
    white, black = set(custom_white_list or ()), set(custom_black_list or ())
    both = white & black
    if both:
        raise ValueError(f"Custom white list overlap custom black list: {sorted(both)}")


@contextlib.contextmanager
def amp_guard(
    enable: bool = True,
    custom_white_list=None,
    custom_black_list=None,
    level: str = "O1",
    dtype: str = "float16",
    use_promote: bool = True,
):
    """Run the block in mixed precision (see ``auto_cast``)."""
    if level not in _LEVELS:
        raise ValueError("level should be O0, OD, O1 or O2.")
    if enable and dtype not in _DTYPES:
        raise ValueError("If enable amp, dtype should be 'float16' or 'bfloat16'.")
    _check_lists(custom_white_list, custom_black_list)
    _last_dtype[0] = dtype
    device = _amp_device()
    if enable and device is None:
        warnings.warn(
            "amp_guard can only be enabled on CUDAPlace, XPUPlace, and CustomPlace, current place "
            f"is {_place_text()}, so it makes no effect.",
            stacklevel=3,
        )
        enable = False
    enable = enable and level != "O0"
    previous = getattr(_state, "current", None)
    _state.current = (level, dtype) if enable else None
    try:
        if enable:
            with torch.autocast(device.type, dtype=getattr(torch, dtype)):
                yield
        else:
            yield
    finally:
        _state.current = previous


def auto_cast(
    enable: bool = True,
    custom_white_list=None,
    custom_black_list=None,
    level: str = "O1",
    dtype: str = "float16",
    use_promote: bool = True,
):
    """Context manager for automatic mixed precision (Paddle's signature and errors).

    ``level``: O0 (off), OD/O1 (listed ops in half precision), O2 (almost all ops); ``dtype``:
    float16 or bfloat16. On a CPU place it warns and has no effect, as Paddle does.

    >>> import warnings, paddlefish as paddle
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     with paddle.amp.auto_cast(level="O1"):
    ...         pass
    >>> "so it makes no effect" in str(caught[0].message)
    True
    """
    return amp_guard(enable, custom_white_list, custom_black_list, level, dtype, use_promote)


autocast = auto_cast


def is_autocast_enabled() -> bool:
    """Whether the current thread runs inside an enabled ``auto_cast`` block."""
    return getattr(_state, "current", None) is not None


def get_autocast_dtype():
    """The dtype of the enclosing enabled ``auto_cast`` block (float32 outside one)."""
    current = getattr(_state, "current", None)
    return from_torch_dtype(getattr(torch, current[1] if current else "float32"))


def _as_list(x):
    return (list(x), True) if isinstance(x, (list, tuple)) else ([x], False)


def amp_decorate(
    models,
    optimizers=None,
    level: str = "O1",
    dtype: str = "float16",
    master_weight=None,
    save_dtype=None,
    master_grad: bool = False,
    excluded_layers=None,
):
    """Prepare models (and optimizers) for mixed precision; returns them as Paddle does:
    ``models`` alone, or ``(models, optimizers)`` when optimizers are given, each a list if
    given as one. O1 changes nothing; O2 on a CPU place warns nothing and changes nothing (as
    Paddle); O2 on CUDA is refused (no master weights yet).

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 2)
    >>> opt = paddle.optimizer.Adam(parameters=net.parameters())
    >>> net2, opt2 = paddle.amp.decorate(models=net, optimizers=opt, level="O2")
    >>> net2 is net and opt2 is opt and net.weight.dtype == paddle.float32
    True
    """
    if level not in ("O1", "O2"):
        raise ValueError(
            "level should be O1 or O2, O1 represent AMP train mode, O2 represent Pure fp16 train "
            "mode."
        )
    if dtype not in _DTYPES:
        raise ValueError("dtype only support float16 or bfloat16.")
    if save_dtype is not None and save_dtype not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(
            f"save_dtype can only be float16 float32 or float64, but your input save_dtype is "
            f"{save_dtype}."
        )
    if level == "O2" and _amp_device() is not None:
        raise NotImplementedError(
            "paddle.amp.decorate(level='O2') on a CUDA device: pure half-precision training needs "
            "float32 master weights in the optimizer, which paddlefish does not keep yet; use "
            "level='O1' (auto_cast + GradScaler) instead."
        )
    return models if optimizers is None else (models, optimizers)


decorate = amp_decorate


def is_float16_supported(device=None) -> bool:
    """Whether float16 AMP is supported on ``device`` (default: the current one): CPU False."""
    dev = to_torch_device(device) if device is not None else current_torch_device()
    return dev.type == "cuda"


def is_bfloat16_supported(device=None) -> bool:
    """Whether bfloat16 AMP is supported on ``device``: CPU True (as Paddle says); CUDA where
    the GPU has bfloat16 support."""
    dev = to_torch_device(device) if device is not None else current_torch_device()
    if dev.type == "cuda":
        return bool(torch.cuda.is_bf16_supported())
    return True


def white_list() -> dict[str, dict[str, set[str]]]:
    """Paddle's op names that run in half precision, per dtype and level (Paddle 2.6's table)."""
    return {dt: {lvl: set(ops) for lvl, ops in t.items()} for dt, t in _LISTS["white"].items()}


def black_list() -> dict[str, dict[str, set[str]]]:
    """Paddle's op names kept in float32, per dtype and level (Paddle 2.6's table)."""
    return {dt: {lvl: set(ops) for lvl, ops in t.items()} for dt, t in _LISTS["black"].items()}
