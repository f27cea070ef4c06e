"""``ParallelMode`` and ``wait``.

>>> import paddlefish.distributed as dist
>>> int(dist.ParallelMode.DATA_PARALLEL), int(dist.ParallelMode.SEGMENT_PARALLEL)
(0, 4)
"""

from __future__ import annotations

import enum

import torch

__all__ = ["ParallelMode", "wait"]


class ParallelMode(enum.IntEnum):
    """The kinds of parallelism (Paddle's values)."""

    DATA_PARALLEL = 0
    TENSOR_PARALLEL = 1
    PIPELINE_PARALLEL = 2
    SHARDING_PARALLEL = 3
    SEGMENT_PARALLEL = 4


def wait(tensor, group=None, use_calc_stream=True) -> None:
    """Wait until the communication on ``tensor`` is done: collectives here complete before
    they return (their ``Task`` otherwise), so only a CUDA tensor needs its stream synced."""
    t = getattr(tensor, "_t", tensor)
    if isinstance(t, torch.Tensor) and t.is_cuda:
        torch.cuda.current_stream(t.device).synchronize()
