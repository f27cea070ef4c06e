"""``ParallelEnv``: the trainer's place in the job, read from the launcher's environment variables.

NOTE [Paddle launcher environment]: Paddle's launcher (``python -m paddle.distributed.launch``,
``controllers/collective.py``) and ``spawn`` describe each worker with environment variables;
``PADDLE_TRAINER_ID`` / ``PADDLE_TRAINERS_NUM`` / ``PADDLE_CURRENT_ENDPOINT`` /
``PADDLE_TRAINER_ENDPOINTS`` are the "compatible" set every Paddle version reads, and
``PADDLE_MASTER`` / ``PADDLE_GLOBAL_RANK`` / ``PADDLE_LOCAL_RANK`` / ``PADDLE_GLOBAL_SIZE`` /
``PADDLE_LOCAL_SIZE`` / ``PADDLE_NNODES`` / ``PADDLE_RANK_IN_NODE`` the newer one. paddlefish's
launcher and ``spawn`` set both sets the same way; ``init_parallel_env`` reads them (rendezvous at
``MASTER_ADDR:MASTER_PORT``, else ``PADDLE_MASTER``, else the first trainer endpoint, as Paddle's
``parallel.py`` does). ``PADDLE_PG_TIMEOUT`` (milliseconds, default 1800000) bounds every wait.
"""

from __future__ import annotations

import os

__all__ = ["ParallelEnv", "worker_env"]


def _env(paddle_name: str, torch_name: str, default: str) -> str:
    # NOTE [torchrun environment]: Paddle's variables first; else torchrun's (RANK, WORLD_SIZE,
    # LOCAL_RANK; MASTER_ADDR/MASTER_PORT are read by init_parallel_env), so a script can be
    # started by `torchrun` on several hosts as well as by paddlefish's one-host launcher.
    return os.getenv(paddle_name) or os.getenv(torch_name) or default


class ParallelEnv:
    """The current trainer's rank, world size, device and endpoints (from the environment).

    >>> import os
    >>> from paddlefish.distributed import ParallelEnv
    >>> env = ParallelEnv()
    >>> (env.rank, env.world_size) == (int(os.getenv("PADDLE_TRAINER_ID", "0")),
    ...                                int(os.getenv("PADDLE_TRAINERS_NUM", "1")))
    True
    """

    def __init__(self) -> None:
        self._rank = int(_env("PADDLE_TRAINER_ID", "RANK", "0"))
        self._world_size = int(_env("PADDLE_TRAINERS_NUM", "WORLD_SIZE", "1"))
        self._device_type = "cpu"
        self._pg_timeout = int(os.getenv("PADDLE_PG_TIMEOUT", "1800000"))
        selected = _env("FLAGS_selected_gpus", "LOCAL_RANK", "0").split(",")
        self._device_id = int(selected[0] or 0)
        self._trainer_endpoints = os.getenv("PADDLE_TRAINER_ENDPOINTS", "").split(",")
        self._current_endpoint = os.getenv("PADDLE_CURRENT_ENDPOINT", "")
        self._nrings = int(os.getenv("FLAGS_nccl_nrings", "1"))

    @property
    def rank(self) -> int:
        return self._rank

    @property
    def world_size(self) -> int:
        return self._world_size

    @property
    def device_id(self) -> int:
        return self._device_id

    @property
    def device_type(self) -> str:
        return self._device_type

    @property
    def current_endpoint(self) -> str:
        return self._current_endpoint

    @property
    def trainer_endpoints(self) -> list[str]:
        return self._trainer_endpoints

    @property
    def nrings(self) -> int:
        return self._nrings

    @property
    def pg_timeout(self) -> int:
        return self._pg_timeout

    # 1.x names
    local_rank = rank
    nranks = world_size
    dev_id = device_id


def worker_env(rank: int, endpoints: list[str], backend: str | None = None) -> dict[str, str]:
    """The environment variables of worker ``rank`` of a one-host job (see NOTE [Paddle launcher
    environment])."""
    n = len(endpoints)
    env = {
        "PADDLE_MASTER": endpoints[0],
        "PADDLE_GLOBAL_SIZE": str(n),
        "PADDLE_LOCAL_SIZE": str(n),
        "PADDLE_GLOBAL_RANK": str(rank),
        "PADDLE_LOCAL_RANK": str(rank),
        "PADDLE_NNODES": "1",
        "PADDLE_CURRENT_ENDPOINT": endpoints[rank],
        "PADDLE_TRAINER_ID": str(rank),
        "PADDLE_TRAINERS_NUM": str(n),
        "PADDLE_RANK_IN_NODE": str(rank),
        "PADDLE_TRAINER_ENDPOINTS": ",".join(endpoints),
    }
    if backend is not None:
        env["PADDLE_DISTRI_BACKEND"] = backend
    return env
