"""Waiting on a torch ``Work`` with an error that says what went wrong in the job."""

from __future__ import annotations

import torch.distributed as tdist

__all__ = ["wait_work"]


def wait_work(work, what: str) -> None:
    """Wait for a torch ``Work``; a failure (a peer died, or did not arrive within
    ``PADDLE_PG_TIMEOUT``) is re-raised naming the cause and the knob."""
    try:
        work.wait()
    except RuntimeError as e:
        raise RuntimeError(
            f"paddle.distributed: {what} failed on rank {tdist.get_rank()}: another process of "
            "the job died or did not reach the same collective within the timeout "
            "(PADDLE_PG_TIMEOUT, milliseconds). Check the other ranks' logs. Cause: "
            f"{e}"
        ) from e
