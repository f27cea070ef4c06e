"""``paddle.DataParallel``: run a layer on every process, average gradients during backward."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
import torch.distributed as tdist

from ..nn import Layer
from ._group import Group, global_group, is_initialized
from ._reducer import Reducer

__all__ = ["DataParallel"]


class DataParallel(Layer):
    """Wrap ``layers`` for data-parallel training: parameters start equal to rank 0's (broadcast
    once here) and every synced ``backward`` leaves each parameter's gradient averaged over the
    processes (see NOTE [DataParallel reducer]). ``state_dict`` has the wrapped layer's keys, with
    no wrapper prefix, as Paddle's. In a single process it only wraps.

    >>> import paddlefish as paddle
    >>> from paddlefish.distributed import DataParallel
    >>> model = DataParallel(paddle.nn.Linear(2, 1))
    >>> sorted(model.state_dict())
    ['bias', 'weight']
    """

    def __init__(
        self,
        layers: Layer,
        strategy=None,
        comm_buffer_size: float = 25,
        last_comm_buffer_size: float = 1,
        find_unused_parameters: bool = False,
        group: Group | None = None,
    ) -> None:
        if not isinstance(layers, Layer):
            raise TypeError(
                f"DataParallel: expected a paddle.nn.Layer, got {type(layers).__name__}."
            )
        super().__init__(layers.full_name() + "_data_parallel")
        self._layers = layers
        self.find_unused_parameters = find_unused_parameters
        self.grad_need_sync = True
        self.group = group
        self._strategy = strategy
        self._reducer = None
        if group is None and not is_initialized():
            return
        g = group if group is not None else global_group()
        if g.nranks < 2 or not g.is_member():
            return
        self._sync_params_buffers(g)
        params = []
        seen = set()
        for p in layers.parameters():
            if id(p) not in seen and not p.stop_gradient:
                seen.add(id(p))
                params.append(p)
        self._reducer = Reducer(
            params, g.process_group, g.nranks, comm_buffer_size, last_comm_buffer_size
        )

    def _sync_params_buffers(self, g: Group) -> None:
        src = g.ranks[0]
        with torch.no_grad():
            for t in [*self._layers.parameters(), *self._layers.buffers()]:
                if t is not None:
                    tdist.broadcast(t._t, src, group=g.process_group)

    def forward(self, *inputs, **kwargs):
        if self._reducer is not None:
            self._reducer.rehook()
            self._reducer.sync = self.grad_need_sync
        return self._layers(*inputs, **kwargs)

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """Inside this block backward accumulates local gradients without communicating; the
        first synced backward after it averages the accumulated sums."""
        prev = self.grad_need_sync
        self.grad_need_sync = False
        try:
            yield
        finally:
            self.grad_need_sync = prev

    def state_dict(
        self,
        destination=None,
        include_sublayers=True,
        structured_name_prefix="",
        use_hook=True,
        keep_vars=True,
    ):
        return self._layers.state_dict(
            destination=destination,
            include_sublayers=include_sublayers,
            structured_name_prefix=structured_name_prefix,
        )

    def set_state_dict(self, state_dict, use_structured_name: bool = True):
        return self._layers.set_state_dict(state_dict, use_structured_name=use_structured_name)

    set_dict = set_state_dict
    load_dict = set_state_dict

    def scale_loss(self, loss):
        """Kept for 1.x code: gradients are already averaged, so the loss is returned as is."""
        return loss

    def apply_collective_grads(self) -> None:
        """Kept for 1.x code: the averaging already happened during backward."""
