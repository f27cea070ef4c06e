"""Process groups on ``torch.distributed``: ``init_parallel_env``, ``Group``, ``new_group``."""

from __future__ import annotations

import datetime
import os
import warnings

import torch
import torch.distributed as tdist

from ._env import ParallelEnv
from ._work import wait_work

__all__ = [
    "Group",
    "barrier",
    "destroy_process_group",
    "get_backend",
    "get_group",
    "get_rank",
    "get_world_size",
    "global_group",
    "init_parallel_env",
    "is_available",
    "is_initialized",
    "new_group",
]


class Group:
    """A set of global ranks that communicate together (Paddle's ``Group``).

    ``rank`` is this process's index in ``ranks`` (-1 when it is not a member).
    """

    def __init__(self, rank: int, gid: int, ranks: list[int], pg=None, name: str = "") -> None:
        self._rank_in_group = rank
        self._world_size = len(ranks) if rank >= 0 else -1
        self._id = gid
        self._ranks = list(ranks)
        self._pg = pg
        self._name = name

    @property
    def rank(self) -> int:
        return self._rank_in_group

    @property
    def ranks(self) -> list[int]:
        return self._ranks

    @property
    def nranks(self) -> int:
        return len(self._ranks)

    @property
    def world_size(self) -> int:
        return self._world_size

    @property
    def id(self) -> int:
        return self._id

    @property
    def name(self) -> str:
        return self._name

    @property
    def process_group(self):
        """The ``torch.distributed`` process group behind this group."""
        return self._pg

    @property
    def backend(self) -> str:
        return tdist.get_backend(self._pg) if self._pg is not None else "undefined"

    def is_member(self) -> bool:
        return self._rank_in_group >= 0

    def get_group_rank(self, rank: int) -> int:
        return self._ranks.index(rank) if self.is_member() and rank in self._ranks else -1

    def __repr__(self) -> str:
        return f"rank: {self.rank}, nranks: {self.nranks}, id: {self.id}, ranks: {self.ranks}"


_state: dict = {"global": None, "groups": {}, "next_id": 1}


def _timeout(ms: int | None = None) -> datetime.timedelta:
    return datetime.timedelta(milliseconds=ms if ms is not None else ParallelEnv().pg_timeout)


def _rendezvous() -> tuple[str, int]:
    addr, port = os.getenv("MASTER_ADDR"), os.getenv("MASTER_PORT")
    endpoint = f"{addr}:{port}" if addr and port else os.getenv("PADDLE_MASTER")
    if not endpoint:
        endpoint = os.getenv("PADDLE_TRAINER_ENDPOINTS", "").split(",")[0]
    if not endpoint or ":" not in endpoint:
        raise RuntimeError(
            "init_parallel_env: no rendezvous address; set MASTER_ADDR and MASTER_PORT (e.g. "
            "127.0.0.1 and 6170) or PADDLE_MASTER / PADDLE_TRAINER_ENDPOINTS, or start the "
            "script with `python -m paddlefish.distributed.launch --nproc_per_node N` or "
            "paddle.distributed.spawn."
        )
    host, port_s = endpoint.rsplit(":", 1)
    return host, int(port_s)


def _backend() -> str:
    backend = os.getenv("PADDLE_DISTRI_BACKEND", "auto")
    if backend == "auto":
        return "nccl" if torch.cuda.is_available() else "gloo"
    if backend not in ("gloo", "nccl"):
        raise ValueError(
            f"init_parallel_env: backend {backend!r} (PADDLE_DISTRI_BACKEND) is not supported; "
            "paddlefish runs on torch.distributed with 'gloo' (CPU) or 'nccl' (GPU)."
        )
    return backend


def init_parallel_env() -> Group | None:
    """Join the job described by the launcher's environment and return the global group.

    A single process (``PADDLE_TRAINERS_NUM`` < 2) warns and returns ``None``, as Paddle does.

    >>> import paddlefish.distributed as dist
    >>> dist.get_world_size() >= 1
    True
    """
    env = ParallelEnv()
    if env.world_size < 2:
        warnings.warn(
            "Currently not a parallel execution environment, "
            "`paddle.distributed.init_parallel_env` will not do anything.",
            stacklevel=2,
        )
        return None
    if _state["global"] is not None:
        return _state["global"]
    backend = _backend()
    if backend == "nccl":
        torch.cuda.set_device(env.device_id)
    host, port = _rendezvous()
    if not tdist.is_initialized():
        tdist.init_process_group(
            backend,
            init_method=f"tcp://{host}:{port}",
            rank=env.rank,
            world_size=env.world_size,
            timeout=_timeout(env.pg_timeout),
        )
    group = Group(env.rank, 0, list(range(env.world_size)), tdist.group.WORLD, "_default_pg")
    _state["global"] = group
    _state["groups"][0] = group
    return group


def global_group() -> Group:
    """The group ``init_parallel_env`` created; a clear error when there is none."""
    g = _state["global"]
    if g is None:
        raise RuntimeError(
            "paddle.distributed: the parallel environment is not initialized; call "
            "paddle.distributed.init_parallel_env() first (in a job started by "
            "`python -m paddlefish.distributed.launch` or paddle.distributed.spawn)."
        )
    return g


def is_initialized() -> bool:
    """Whether ``init_parallel_env`` has created the global group in this process."""
    return _state["global"] is not None


def is_available() -> bool:
    """Whether the distributed package can be used (``torch.distributed`` is built)."""
    return tdist.is_available()


def get_rank(group: Group | None = None) -> int:
    """This process's rank in ``group`` (the global rank when ``group`` is None)."""
    if group is not None:
        return group.rank
    return ParallelEnv().rank


def get_world_size(group: Group | None = None) -> int:
    """The number of processes in ``group`` (the whole job when ``group`` is None)."""
    if group is not None:
        return group.world_size
    return ParallelEnv().world_size


def get_group(id: int = 0) -> Group | None:
    """The group with this id (0 is the global group), or None."""
    return _state["groups"].get(id)


def get_backend(group: Group | None = None) -> str:
    """The backend name of ``group`` in Paddle's spelling (``GLOO`` / ``NCCL``)."""
    return (group or global_group()).backend.upper()


def new_group(ranks: list[int] | None = None, backend: str | None = None, timeout=None) -> Group:
    """Create a sub-group of the given global ranks; every process of the job must call it.

    ``timeout`` is a ``datetime.timedelta`` (default: ``PADDLE_PG_TIMEOUT``).
    """
    world = global_group()
    ranks = sorted(range(world.nranks) if ranks is None else ranks)
    bad = [r for r in ranks if not 0 <= r < world.nranks]
    if bad or len(set(ranks)) != len(ranks):
        raise ValueError(
            f"new_group: ranks {ranks} must be distinct global ranks in [0, {world.nranks})."
        )
    pg = tdist.new_group(
        ranks=ranks,
        timeout=timeout if timeout is not None else _timeout(),
        backend=backend if backend not in (None, "auto") else None,
    )
    gid = _state["next_id"]
    _state["next_id"] += 1
    me = tdist.get_rank()
    group = Group(ranks.index(me) if me in ranks else -1, gid, ranks, pg, f"_pg_{gid}")
    _state["groups"][gid] = group
    return group


def torch_group(group: Group | None):
    """The torch process group for ``group`` (the global one when None)."""
    return (group or global_group()).process_group


def barrier(group: Group | None = None) -> None:
    """Block until every process of ``group`` reaches this call."""
    g = group or global_group()
    if g.is_member():
        wait_work(tdist.barrier(group=g.process_group, async_op=True), "barrier")


def destroy_process_group(group: Group | None = None) -> None:
    """Destroy ``group`` (or every group, and leave the job, when None)."""
    if group is None or group.id == 0:
        if tdist.is_initialized():
            tdist.destroy_process_group()
        _state.update(groups={}, next_id=1)
        _state["global"] = None
        return
    if group.process_group is not None and group.is_member():
        tdist.destroy_process_group(group.process_group)
    _state["groups"].pop(group.id, None)
