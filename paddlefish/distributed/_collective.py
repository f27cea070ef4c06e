"""Collectives on paddlefish Tensors, in place as Paddle's, over ``torch.distributed``."""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from typing import Any

import torch
import torch.distributed as tdist

from ..eager import Tensor, wrap
from ..eager._dtype import numpy_to_torch, torch_to_numpy
from ._group import Group, global_group
from ._work import wait_work

__all__ = [
    "P2POp",
    "ReduceOp",
    "Task",
    "all_gather",
    "all_gather_object",
    "all_reduce",
    "alltoall",
    "alltoall_single",
    "batch_isend_irecv",
    "broadcast",
    "broadcast_object_list",
    "gather",
    "irecv",
    "isend",
    "recv",
    "reduce",
    "reduce_scatter",
    "scatter",
    "scatter_object_list",
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


class _TensorPickler(pickle.Pickler):
    """Pickles paddlefish Tensors inside objects as their values (they refuse plain pickle)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Tensor):
            arr = torch_to_numpy(obj._t.detach().cpu())
            return _rebuild_tensor, (arr, str(obj._t.dtype), obj.stop_gradient, obj._name)
        return NotImplemented


def _rebuild_tensor(arr, dtype: str, stop_gradient: bool, name: str | None) -> Tensor:
    t = wrap(numpy_to_torch(arr).to(getattr(torch, dtype.split(".")[-1])))
    t.stop_gradient = stop_gradient
    t._name = name
    return t


def _dumps(obj: Any) -> bytes:
    buf = io.BytesIO()
    try:
        _TensorPickler(buf, protocol=4).dump(obj)
    except (pickle.PicklingError, TypeError, AttributeError) as e:
        raise TypeError(
            f"paddle.distributed: the object {type(obj).__name__} cannot be sent to the other "
            f"processes ({e}); send picklable objects (Tensors inside are fine)."
        ) from e
    return buf.getvalue()


def all_gather_object(object_list: list, obj: Any, group: Group | None = None) -> None:
    """Append every process's picklable ``obj`` to ``object_list`` (in rank order); Tensors
    inside the objects arrive as Tensors.

    >>> import paddlefish.distributed as dist
    >>> callable(dist.all_gather_object)
    True
    """
    g = _resolve(group)
    if not g.is_member():
        return
    out: list = [None] * g.nranks
    tdist.all_gather_object(out, _dumps(obj), group=g.process_group)
    object_list.extend(pickle.loads(b) for b in out)


def broadcast_object_list(object_list: list, src: int = 0, group: Group | None = None) -> None:
    """Replace ``object_list``'s items on every process with those of global rank ``src``."""
    g = _resolve(group)
    if g.is_member():
        payload = [_dumps(o) for o in object_list]
        tdist.broadcast_object_list(payload, src=src, group=g.process_group)
        object_list[:] = [pickle.loads(b) for b in payload]


def isend(tensor: Tensor, dst: int, group: Group | None = None) -> Task:
    """Start sending ``tensor`` to global rank ``dst``; ``wait()`` the returned task."""
    return send(tensor, dst, group, sync_op=False)


def irecv(tensor: Tensor, src: int | None = None, group: Group | None = None) -> Task:
    """Start receiving into ``tensor`` from global rank ``src``; ``wait()`` the returned task.

    >>> import paddlefish.distributed as dist
    >>> callable(dist.irecv)
    True
    """
    if src is None:
        raise ValueError(
            "irecv: src=None (receive from any rank) is not supported on torch.distributed "
            "here; pass the sender's global rank."
        )
    return recv(tensor, src, group, sync_op=False)


def gather(
    tensor: Tensor,
    gather_list: list | None = None,
    dst: int = 0,
    group: Group | None = None,
    sync_op: bool = True,
) -> Task | None:
    """Gather ``tensor`` from every process of ``group`` into ``gather_list`` on global rank
    ``dst`` (an empty list there is filled with new tensors, in rank order)."""
    g = _resolve(group)
    if not g.is_member():
        return None
    t = _raw(tensor, "gather").contiguous()
    outs = None
    if tdist.get_rank() == dst:
        if gather_list is None:
            raise ValueError(f"gather: the destination rank {dst} must pass gather_list (a list).")
        if len(gather_list) == 0:
            gather_list += [wrap(torch.empty_like(t)) for _ in range(g.nranks)]
        if len(gather_list) != g.nranks:
            raise ValueError(
                f"gather: gather_list has {len(gather_list)} tensors but the group has "
                f"{g.nranks} processes; pass an empty list or one tensor per process."
            )
        outs = [_raw(x, "gather") for x in gather_list]
    with torch.no_grad():
        work = tdist.gather(t, outs, dst=dst, group=g.process_group, async_op=True)
    return _run(work, sync_op, what="gather")


def _in_out(a: Any, b: Any, caller: str) -> tuple[Any, Any]:
    # NOTE [alltoall argument order]: Paddle 2.6 takes (in, out), Paddle 3.x (out, in). paddlefish
    # follows 2.6; an empty first list with a non-empty second one is 3.x order (the output list
    # is the one that starts empty), and is swapped.
    if isinstance(a, list) and isinstance(b, list) and not a and b:
        return b, a
    return a, b


def alltoall(
    in_tensor_list: list,
    out_tensor_list: list,
    group: Group | None = None,
    sync_op: bool = True,
) -> Task | None:
    """Send ``in_tensor_list[i]`` to process ``i`` of ``group``; ``out_tensor_list[j]`` receives
    what process ``j`` sent here (an empty list is filled). All tensors have one shape and dtype.
    Runs as one ``all_to_all_single`` (gloo has no list all-to-all). See NOTE [alltoall
    argument order].

    >>> import paddlefish.distributed as dist
    >>> callable(dist.alltoall)
    True
    """
    g = _resolve(group)
    if not g.is_member():
        return None
    ins, outs = _in_out(in_tensor_list, out_tensor_list, "alltoall")
    if len(ins) != g.nranks:
        raise ValueError(
            f"alltoall: in_tensor_list has {len(ins)} tensors but the group has {g.nranks} "
            "processes; pass one tensor per process."
        )
    raw = [_raw(x, "alltoall") for x in ins]
    if any(r.shape != raw[0].shape or r.dtype != raw[0].dtype for r in raw):
        raise ValueError(
            "alltoall: every tensor of in_tensor_list must have the same shape and dtype, got "
            f"{[(list(r.shape), str(r.dtype)) for r in raw]}."
        )
    if len(outs) == 0:
        outs += [wrap(torch.empty_like(raw[0])) for _ in range(g.nranks)]
    if len(outs) != g.nranks:
        raise ValueError(
            f"alltoall: out_tensor_list has {len(outs)} tensors, the group has {g.nranks} "
            "processes; pass an empty list or one tensor per process."
        )
    send_buf = torch.stack([r.detach() for r in raw]).contiguous()
    recv_buf = torch.empty_like(send_buf)
    with torch.no_grad():
        work = tdist.all_to_all_single(recv_buf, send_buf, group=g.process_group, async_op=True)

    def finish() -> None:
        with torch.no_grad():
            for i, o in enumerate(outs):
                _raw(o, "alltoall").copy_(recv_buf[i])

    return _run(work, sync_op, finish, what="alltoall")


def alltoall_single(
    in_tensor: Tensor,
    out_tensor: Tensor,
    in_split_sizes: list[int] | None = None,
    out_split_sizes: list[int] | None = None,
    group: Group | None = None,
    sync_op: bool = True,
) -> Task | None:
    """Split ``in_tensor`` along dim 0 (evenly, or by ``in_split_sizes``), send part ``i`` to
    process ``i``, and concatenate what arrives into ``out_tensor`` (by ``out_split_sizes``).
    Paddle 2.6's argument order (see NOTE [alltoall argument order]; use keywords for 3.x)."""
    g = _resolve(group)
    if not g.is_member():
        return None
    src, dst = _raw(in_tensor, "alltoall_single"), _raw(out_tensor, "alltoall_single")
    with torch.no_grad():
        work = tdist.all_to_all_single(
            dst,
            src.detach().contiguous(),
            output_split_sizes=out_split_sizes,
            input_split_sizes=in_split_sizes,
            group=g.process_group,
            async_op=True,
        )
    return _run(work, sync_op, what="alltoall_single")


def reduce_scatter(
    tensor: Tensor,
    tensor_list: list,
    op: int = ReduceOp.SUM,
    group: Group | None = None,
    sync_op: bool = True,
) -> Task | None:
    """Reduce ``tensor_list`` (one tensor per process, same shapes) over ``group``; process ``i``
    gets the reduction of everybody's ``tensor_list[i]`` in ``tensor``. gloo has no
    reduce-scatter: there it is an ``all_reduce`` of the stacked list (``nranks`` times the
    traffic), NCCL runs torch's ``reduce_scatter``.

    >>> import paddlefish.distributed as dist
    >>> callable(dist.reduce_scatter)
    True
    """
    g = _resolve(group)
    if not g.is_member():
        return None
    t = _raw(tensor, "reduce_scatter")
    if len(tensor_list) != g.nranks:
        raise ValueError(
            f"reduce_scatter: tensor_list has {len(tensor_list)} tensors but the group has "
            f"{g.nranks} processes; pass one tensor per process."
        )
    raw = [_raw(x, "reduce_scatter").detach() for x in tensor_list]
    top = _reduce_op(op, "reduce_scatter")
    me = g.rank

    def average() -> None:
        if op == ReduceOp.AVG:
            with torch.no_grad():
                if t.is_floating_point():
                    t.div_(g.nranks)
                else:
                    t.copy_(torch.div(t, g.nranks, rounding_mode="floor"))

    if g.backend == "nccl":
        with torch.no_grad():
            work = tdist.reduce_scatter(t, raw, op=top, group=g.process_group, async_op=True)
        return _run(work, sync_op, average, what="reduce_scatter")
    buf = torch.stack(raw).contiguous()
    with torch.no_grad():
        work = tdist.all_reduce(buf, op=top, group=g.process_group, async_op=True)

    def finish() -> None:
        with torch.no_grad():
            t.copy_(buf[me])
        average()

    return _run(work, sync_op, finish, what="reduce_scatter")


def scatter_object_list(
    out_object_list: list,
    in_object_list: list | None = None,
    src: int = 0,
    group: Group | None = None,
) -> None:
    """Give process ``i`` of ``group`` object ``i`` of ``src``'s ``in_object_list``:
    ``out_object_list`` is cleared and holds it (as Paddle).

    >>> import paddlefish.distributed as dist
    >>> callable(dist.scatter_object_list)
    True
    """
    g = _resolve(group)
    if not g.is_member():
        return
    payload = None
    if tdist.get_rank() == src:
        if in_object_list is None or len(in_object_list) != g.nranks:
            raise ValueError(
                f"scatter_object_list: the source rank {src} must pass in_object_list with one "
                f"object per process ({g.nranks})."
            )
        payload = [_dumps(o) for o in in_object_list]
    out: list = [None]
    tdist.scatter_object_list(out, payload, src=src, group=g.process_group)
    out_object_list.clear()
    out_object_list.append(pickle.loads(out[0]))


class P2POp:
    """One send or receive for ``batch_isend_irecv``: ``op`` is ``dist.isend`` or
    ``dist.irecv``, ``peer`` the other global rank.

    >>> import paddlefish as paddle, paddlefish.distributed as dist
    >>> dist.P2POp(dist.isend, paddle.zeros([2]), 1).peer
    1
    """

    def __init__(self, op: Callable, tensor: Tensor, peer: int, group: Group | None = None):
        if op not in (isend, irecv):
            raise ValueError(
                "P2POp: op must be paddle.distributed.isend or paddle.distributed.irecv, got "
                f"{op!r}."
            )
        self.op, self.tensor, self.peer, self.group = op, tensor, peer, group


def batch_isend_irecv(p2p_op_list: list) -> list[Task]:
    """Start every send and receive of ``p2p_op_list`` at once (no ordering deadlock) and return
    their tasks; ``wait()`` each."""
    if not p2p_op_list or not all(isinstance(p, P2POp) for p in p2p_op_list):
        raise ValueError("batch_isend_irecv: expected a non-empty list of dist.P2POp.")
    ops = []
    for p in p2p_op_list:
        fn = tdist.isend if p.op is isend else tdist.irecv
        ops.append(
            tdist.P2POp(
                fn, _raw(p.tensor, "batch_isend_irecv"), p.peer, _resolve(p.group).process_group
            )
        )
    with torch.no_grad():
        works = tdist.batch_isend_irecv(ops)
    return [Task(w, None, "batch_isend_irecv") for w in works]
