"""Bucketed gradient averaging during ``backward``, overlapped with the rest of the backward pass.

NOTE [DataParallel reducer]: torch DDP's C++ ``Reducer`` wants an ``nn.Module``-shaped world (it
is driven by ``DistributedDataParallel.forward`` and tracks ``torch.nn.Parameter`` objects that
stay the same for the module's life); a paddlefish ``Parameter`` is a wrapper whose ``_t`` can be
swapped (``stop_gradient``, ``set_value`` on dtype change). So the same scheme is built here on
public hooks: parameters are grouped in reverse order (gradients arrive roughly last layer first)
into buckets of ``comm_buffer_size`` MB (the first, ``last_comm_buffer_size`` MB, as Paddle's
``assign_group_by_size``); a ``post_accumulate_grad`` hook marks a parameter ready; a full bucket
is flattened and ``all_reduce``d asynchronously while autograd continues. Buckets are launched
strictly in index order on every rank, so the collectives match across processes even when
readiness order differs. A callback queued on the autograd engine runs at the end of backward:
it launches the buckets still pending (a parameter that got no gradient contributes zeros and
receives the average, as Paddle's reducer does for unused parameters), waits, and writes each
gradient back divided by the world size.
"""

from __future__ import annotations

import torch
import torch.distributed as tdist

from ._work import wait_work

__all__ = ["Reducer"]


def _buckets(params: list, first_mb: float, mb: float) -> list[list[int]]:
    out: list[list[int]] = []
    cur: list[int] = []
    size = 0
    cap = first_mb * 1024 * 1024
    dtype = None
    for i in reversed(range(len(params))):
        t = params[i]._t
        if cur and (t.dtype != dtype or size >= cap):
            out.append(cur)
            cur, size, cap = [], 0, mb * 1024 * 1024
        cur.append(i)
        size += t.numel() * t.element_size()
        dtype = t.dtype
    if cur:
        out.append(cur)
    return out


class Reducer:
    """Averages the gradients of ``params`` across ``pg`` at the end of every synced backward."""

    def __init__(
        self,
        params: list,
        pg,
        nranks: int,
        comm_buffer_size: float = 25,
        last_comm_buffer_size: float = 1,
    ) -> None:
        self.params = params
        self.pg = pg
        self.nranks = nranks
        self.sync = True
        self.buckets = _buckets(params, last_comm_buffer_size, comm_buffer_size)
        self._bucket_of = {i: b for b, idx in enumerate(self.buckets) for i in idx}
        self._hooked: list = [None] * len(params)
        self._handles: list = [None] * len(params)
        self._reset()
        self.rehook()

    def _reset(self) -> None:
        self._pending = [len(b) for b in self.buckets]
        self._next = 0
        self._works: list = []
        self._armed = False

    def rehook(self) -> None:
        """(Re)attach the readiness hook to every parameter whose torch tensor changed."""
        for i, p in enumerate(self.params):
            if self._hooked[i] is p._t:
                continue
            if self._handles[i] is not None:
                self._handles[i].remove()
            self._handles[i] = p._t.register_post_accumulate_grad_hook(self._make_hook(i))
            self._hooked[i] = p._t

    def _make_hook(self, i: int):
        def hook(_t: torch.Tensor) -> None:
            self._ready(i)

        return hook

    def _ready(self, i: int) -> None:
        if not self.sync:
            return
        if not self._armed:
            self._armed = True
            torch.autograd.Variable._execution_engine.queue_callback(self._finish)
        b = self._bucket_of[i]
        self._pending[b] -= 1
        while self._next < len(self.buckets) and self._pending[self._next] <= 0:
            self._launch(self._next)
            self._next += 1

    def _grad(self, i: int) -> torch.Tensor:
        t = self.params[i]._t
        return t.grad if t.grad is not None else torch.zeros_like(t)

    def _launch(self, b: int) -> None:
        idx = self.buckets[b]
        flat = torch.cat([self._grad(i).reshape(-1) for i in idx])
        work = tdist.all_reduce(flat, group=self.pg, async_op=True)
        self._works.append((b, flat, work))

    def _finish(self) -> None:
        try:
            while self._next < len(self.buckets):
                self._launch(self._next)
                self._next += 1
            with torch.no_grad():
                for b, flat, work in self._works:
                    wait_work(work, "DataParallel gradient all_reduce")
                    flat.div_(self.nranks)
                    offset = 0
                    for i in self.buckets[b]:
                        t = self.params[i]._t
                        n = t.numel()
                        avg = flat[offset : offset + n].view_as(t)
                        offset += n
                        if t.grad is None:
                            t.grad = avg.clone()
                        else:
                            t.grad.copy_(avg)
        finally:
            self._reset()
