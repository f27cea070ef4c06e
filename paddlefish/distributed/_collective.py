"""Collectives on paddlefish Tensors, in place as Paddle's, over ``torch.distributed``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.distributed as tdist

from ..eager import Tensor, wrap
from ._group import Group, global_group
from ._work import wait_work

__all__ = [
    "ReduceOp",
    "Task",
    "all_gather",
    "all_gather_object",
    "all_reduce",
    "broadcast",
    "broadcast_object_list",
    "recv",
    "reduce",
    "scatter",
    "send",
]


class ReduceOp:
    """Reduction kinds, with Paddle's integer values.

    >>> from paddlefish.distributed import ReduceOp
    >>> (ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN, ReduceOp.PROD, ReduceOp.AVG)
    (0, 1, 2, 3, 4)
    """

    SUM = 0
    MAX = 1
    MIN = 2
    PROD = 3
    AVG = 4


_TORCH_OP = {
    ReduceOp.SUM: tdist.ReduceOp.SUM,
    ReduceOp.MAX: tdist.ReduceOp.MAX,
    ReduceOp.MIN: tdist.ReduceOp.MIN,
    ReduceOp.PROD: tdist.ReduceOp.PRODUCT,
    ReduceOp.AVG: tdist.ReduceOp.SUM,  # gloo has no AVG: SUM, then divide (see _reduce_op)
}


class Task:
    """The handle an asynchronous (``sync_op=False``) collective returns."""

    def __init__(
        self, work, finish: Callable[[], None] | None = None, what: str = "collective"
    ) -> None:
        self._work = work
        self._what = what
        self._finish = finish

    def wait(self) -> bool:
        if self._work is not None:
            wait_work(self._work, self._what)
            self._work = None
            if self._finish is not None:
                self._finish()
        return True

    def is_completed(self) -> bool:
        return self._work is None or self._work.is_completed()


def _reduce_op(op: int, caller: str):
    if op not in _TORCH_OP:
        raise ValueError(
            f"{caller}: op must be a paddle.distributed.ReduceOp (SUM, MAX, MIN, PROD, AVG), "
            f"got {op!r}."
        )
    return _TORCH_OP[op]


def _raw(tensor: Any, caller: str) -> torch.Tensor:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{caller}: expected a paddle.Tensor, got {type(tensor).__name__}.")
    return tensor._t


def _run(
    work, sync_op: bool, finish: Callable[[], None] | None = None, what: str = "collective"
) -> Task | None:
    task = Task(work, finish, what)
    if sync_op:
        task.wait()
        return None
    return task


def _resolve(group: Group | None) -> Group:
    return group if group is not None else global_group()


def all_reduce(
    tensor: Tensor, op: int = ReduceOp.SUM, group: Group | None = None, sync_op: bool = True
) -> Task | None:
    """Reduce ``tensor`` over every process of ``group``; every process gets the result in place.

    >>> import paddlefish.distributed as dist
    >>> callable(dist.all_reduce)
    True
    """
    g = _resolve(group)
    if not g.is_member():
        return None
    t = _raw(tensor, "all_reduce")
    top = _reduce_op(op, "all_reduce")
    with torch.no_grad():
        work = tdist.all_reduce(t, op=top, group=g.process_group, async_op=True)

    def finish() -> None:
        if op == ReduceOp.AVG:
            with torch.no_grad():
                if t.is_floating_point():
                    t.div_(g.nranks)
                else:
                    t.copy_(torch.div(t, g.nranks, rounding_mode="floor"))

    return _run(work, sync_op, finish, what="all_reduce")


def reduce(
    tensor: Tensor,
    dst: int = 0,
    op: int = ReduceOp.SUM,
    group: Group | None = None,
    sync_op: bool = True,
) -> Task | None:
    """Reduce ``tensor`` over ``group`` into the process with global rank ``dst`` (in place)."""
    g = _resolve(group)
    if not g.is_member():
        return None
    t = _raw(tensor, "reduce")
    top = _reduce_op(op, "reduce")
    with torch.no_grad():
        work = tdist.reduce(t, dst, op=top, group=g.process_group, async_op=True)

    def finish() -> None:
        if op == ReduceOp.AVG and tdist.get_rank() == dst:
            with torch.no_grad():
                t.div_(g.nranks)

    return _run(work, sync_op, finish, what="reduce")


def broadcast(
    tensor: Tensor, src: int = 0, group: Group | None = None, sync_op: bool = True
) -> Task | None:
    """Copy ``tensor`` of the process with global rank ``src`` into every process's ``tensor``."""
    g = _resolve(group)
    if not g.is_member():
        return None
    t = _raw(tensor, "broadcast")
    with torch.no_grad():
        work = tdist.broadcast(t, src, group=g.process_group, async_op=True)
    return _run(work, sync_op, what="broadcast")


def all_gather(
    tensor_list: list, tensor: Tensor, group: Group | None = None, sync_op: bool = True
) -> Task | None:
    """Gather ``tensor`` from every process of ``group`` into ``tensor_list`` (in rank order).

    An empty ``tensor_list`` is filled with new tensors; otherwise its ``nranks`` tensors are
    overwritten in place, as Paddle does.
    """
    g = _resolve(group)
    if not g.is_member():
        return None
    t = _raw(tensor, "all_gather")
    if len(tensor_list) == 0:
        tensor_list += [wrap(torch.empty_like(t)) for _ in range(g.nranks)]
    if len(tensor_list) != g.nranks:
        raise ValueError(
            f"all_gather: tensor_list has {len(tensor_list)} tensors but the group has "
            f"{g.nranks} processes; pass an empty list or one tensor per process."
        )
    outs = [_raw(x, "all_gather") for x in tensor_list]
    with torch.no_grad():
        work = tdist.all_gather(outs, t.contiguous(), group=g.process_group, async_op=True)
    return _run(work, sync_op, what="all_gather")


def scatter(
    tensor: Tensor,
    tensor_list: list | None = None,
    src: int = 0,
    group: Group | None = None,
    sync_op: bool = True,
) -> Task | None:
    """Give process ``i`` of ``group`` the ``i``-th tensor of ``src``'s ``tensor_list``."""
    g = _resolve(group)
    if not g.is_member():
        return None
    t = _raw(tensor, "scatter")
    chunks = None
    if tdist.get_rank() == src:
        if tensor_list is None or len(tensor_list) != g.nranks:
            raise ValueError(
                f"scatter: the source rank {src} must pass tensor_list with one tensor per "
                f"process ({g.nranks}), got {None if tensor_list is None else len(tensor_list)}."
            )
        chunks = [_raw(x, "scatter").contiguous() for x in tensor_list]
    with torch.no_grad():
        work = tdist.scatter(t, chunks, src=src, group=g.process_group, async_op=True)
    return _run(work, sync_op, what="scatter")


def send(
    tensor: Tensor, dst: int = 0, group: Group | None = None, sync_op: bool = True
) -> Task | None:
    """Send ``tensor`` to the process with global rank ``dst``."""
    g = _resolve(group)
    work = tdist.isend(_raw(tensor, "send").contiguous(), dst, group=g.process_group)
    return _run(work, sync_op, what="send")


def recv(
    tensor: Tensor, src: int = 0, group: Group | None = None, sync_op: bool = True
) -> Task | None:
    """Receive into ``tensor`` (in place) from the process with global rank ``src``."""
    g = _resolve(group)
    with torch.no_grad():
        work = tdist.irecv(_raw(tensor, "recv"), src, group=g.process_group)
    return _run(work, sync_op, what="recv")


def all_gather_object(object_list: list, obj: Any, group: Group | None = None) -> None:
    """Append every process's picklable ``obj`` to ``object_list`` (in rank order)."""
    g = _resolve(group)
    if not g.is_member():
        return
    out: list = [None] * g.nranks
    tdist.all_gather_object(out, obj, group=g.process_group)
    object_list.extend(out)


def broadcast_object_list(object_list: list, src: int = 0, group: Group | None = None) -> None:
    """Replace ``object_list``'s items on every process with those of global rank ``src``."""
    g = _resolve(group)
    if g.is_member():
        tdist.broadcast_object_list(object_list, src=src, group=g.process_group)
