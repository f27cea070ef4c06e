"""``paddle.finfo`` / ``paddle.iinfo`` (numeric limits of a dtype) and the random-state pair
``get_rng_state`` / ``set_rng_state`` (also the CUDA variants).

>>> import paddlefish as paddle
>>> paddle.finfo(paddle.float16).max, paddle.iinfo(paddle.int8).min
(65504.0, -128)
>>> state = paddle.get_rng_state()
>>> a = paddle.rand([2])
>>> paddle.set_rng_state(state)
>>> bool((paddle.rand([2]) == a).all())
True
"""

from __future__ import annotations

import torch

from ._dtype import to_torch_dtype


class finfo:
    """Machine limits of a floating-point dtype: ``bits``, ``eps``, ``min``, ``max``, ``tiny``,
    ``smallest_normal``, ``resolution``, ``dtype`` (its name)."""

    def __init__(self, dtype):
        t = to_torch_dtype(dtype)
        if not t.is_floating_point:
            raise ValueError(f"finfo: {dtype} is not a floating-point dtype; use paddle.iinfo")
        info = torch.finfo(t)
        self.dtype = str(t).removeprefix("torch.")
        self.bits, self.eps, self.resolution = info.bits, info.eps, info.resolution
        self.min, self.max = info.min, info.max
        self.tiny = self.smallest_normal = info.tiny

    def __repr__(self) -> str:
        return (
            f"paddle.finfo(min={self.min}, max={self.max}, eps={self.eps}, "
            f"resolution={self.resolution}, smallest_normal={self.smallest_normal}, "
            f"tiny={self.tiny}, bits={self.bits}, dtype={self.dtype})"
        )


class iinfo:
    """Machine limits of an integer dtype: ``bits``, ``min``, ``max``, ``dtype`` (its name)."""

    def __init__(self, dtype):
        t = to_torch_dtype(dtype)
        if t.is_floating_point or t.is_complex or t == torch.bool:
            raise ValueError(f"iinfo: {dtype} is not an integer dtype; use paddle.finfo")
        info = torch.iinfo(t)
        self.dtype = str(t).removeprefix("torch.")
        self.bits, self.min, self.max = info.bits, info.min, info.max

    def __repr__(self) -> str:
        return f"paddle.iinfo(min={self.min}, max={self.max}, bits={self.bits}, dtype={self.dtype})"


class GeneratorState:
    """One generator's saved state (opaque; give it back to ``set_rng_state``)."""

    def __init__(self, state: torch.Tensor):
        self._state = state


def get_rng_state(device=None) -> list[GeneratorState]:
    """The CPU random state as a one-element list (Paddle's shape of the answer)."""
    if device is not None and not str(device).startswith("cpu"):
        return get_cuda_rng_state()
    return [GeneratorState(torch.get_rng_state())]


def set_rng_state(state_list, device=None) -> None:
    """Restore a state from ``get_rng_state``: the next random draws repeat."""
    if device is not None and not str(device).startswith("cpu"):
        return set_cuda_rng_state(state_list)
    if (
        not isinstance(state_list, (list, tuple))
        or len(state_list) != 1
        or not isinstance(state_list[0], GeneratorState)
    ):
        raise ValueError(
            "set_rng_state: expected the one-element list paddle.get_rng_state() returned"
        )
    torch.set_rng_state(state_list[0]._state)
    return None


def get_cuda_rng_state() -> list[GeneratorState]:
    """One state per CUDA device (an empty list on a machine without one)."""
    if not torch.cuda.is_available():
        return []
    return [GeneratorState(s) for s in torch.cuda.get_rng_state_all()]


def set_cuda_rng_state(state_list) -> None:
    """Restore ``get_cuda_rng_state()``'s states, one per CUDA device."""
    if len(state_list) != (torch.cuda.device_count() if torch.cuda.is_available() else 0):
        raise ValueError(
            f"set_cuda_rng_state: got {len(state_list)} states for "
            f"{torch.cuda.device_count() if torch.cuda.is_available() else 0} CUDA devices"
        )
    if state_list:
        torch.cuda.set_rng_state_all([s._state for s in state_list])
