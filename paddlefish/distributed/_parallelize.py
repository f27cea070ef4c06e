"""``shard_layer`` and ``shard_optimizer``: sharded parameters, and optimizer state that follows them.

A sharded parameter is a ``DistParameter``: the layer computes with its local slice, so a layer
whose math is local in the sharded dimension (a column-parallel Linear: ``Shard(1)`` weight,
``Shard(0)`` bias) trains as the full layer does; the gradient of each slice is the slice of the
full gradient. ``shard_optimizer`` makes the accumulators of a sharded parameter (Adam's moments)
``DistTensor``s with the parameter's mesh and placements, so ``save_state_dict`` of
``optimizer.state_dict()`` writes each rank's slices and a load reshards them onto any layout.
Paddle's auto-parallel propagation (SPMD rules that reshard between ops) is not reproduced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._sharding import DistTensor, ProcessMesh, Replicate, _make, shard_tensor

__all__ = ["shard_layer", "shard_optimizer"]


def shard_layer(
    layer: Any,
    process_mesh: ProcessMesh,
    shard_fn: Callable[[str, Any, ProcessMesh], None] | None = None,
    input_fn: Callable[[Any, ProcessMesh], Any] | None = None,
    output_fn: Callable[[Any, ProcessMesh], Any] | None = None,
) -> Any:
    """Make every parameter of ``layer`` a sharded parameter: ``shard_fn(name, sublayer, mesh)``
    assigns ``dist.shard_tensor(...)`` of the parameters it wants sharded; every other parameter
    is replicated over ``process_mesh`` (as Paddle). ``input_fn(inputs, mesh)`` /
    ``output_fn(outputs, mesh)`` become forward pre/post hooks. Returns ``layer``.

    >>> import paddlefish as paddle, paddlefish.distributed as dist
    >>> mesh = dist.ProcessMesh([0], dim_names=["x"])
    >>> def fn(name, sub, mesh):
    ...     if isinstance(sub, paddle.nn.Linear):
    ...         sub.weight = dist.shard_tensor(sub.weight, mesh, [dist.Shard(1)])
    >>> net = dist.shard_layer(paddle.nn.Linear(2, 4), mesh, fn)
    >>> net.weight.placements, net.bias.placements
    ([Shard(dim=1)], [Replicate()])
    """
    if not isinstance(process_mesh, ProcessMesh):
        raise TypeError(
            f"shard_layer: process_mesh must be a dist.ProcessMesh, got "
            f"{type(process_mesh).__name__}."
        )
    if shard_fn is not None:
        for name, sub in layer.named_sublayers(include_self=True):
            shard_fn(name, sub, process_mesh)
    for _name, sub in layer.named_sublayers(include_self=True):
        for pname, p in list(sub._parameters.items()):
            if p is not None and not isinstance(p, DistTensor):
                rep = [Replicate() for _ in range(process_mesh.ndim)]
                setattr(sub, pname, shard_tensor(p, process_mesh, rep))
    if input_fn is not None:
        layer.register_forward_pre_hook(lambda _layer, inputs: input_fn(inputs, process_mesh))
    if output_fn is not None:
        layer.register_forward_post_hook(
            lambda _layer, _inputs, outputs: output_fn(outputs, process_mesh)
        )
    return layer


class _ShardOptimizer:
    """The optimizer ``shard_optimizer`` returns: the inner one, with sharded accumulators."""

    def __init__(self, optimizer: Any, shard_fn: Callable | None) -> None:
        if not hasattr(optimizer, "_add_accumulator"):
            raise TypeError(
                f"shard_optimizer: expected a paddle.optimizer.Optimizer, got "
                f"{type(optimizer).__name__}."
            )
        if shard_fn is not None and not callable(shard_fn):
            raise NotImplementedError(
                f"shard_optimizer: shard_fn {shard_fn!r} is not supported; paddlefish takes a "
                "callable shard_fn(accumulator_name, param, accumulator) or None "
                "(ShardingStage1/2/3 are not implemented)."
            )
        self.__dict__["_inner_opt"] = optimizer
        self.__dict__["_shard_fn"] = shard_fn
        plain = optimizer._add_accumulator

        def add_accumulator(name, param, dtype=None, fill_value=0.0, shape=None, device=None):
            if not isinstance(param, DistTensor) or shape is not None:
                return plain(name, param, dtype, fill_value, shape, device)
            plain(name, param, dtype, fill_value, list(param._t.shape), device)
            kind = name if optimizer._name is None else f"{optimizer._name}_{name}"
            acc = optimizer._accumulators[kind][param.name]
            if not isinstance(acc, DistTensor):
                d = _make(
                    acc._t,
                    param.shape,
                    param.process_mesh,
                    param.placements,
                    param.global_offset,
                    acc,
                )
                if shard_fn is not None:
                    d = shard_fn(kind, param, d)
                optimizer._accumulators[kind][param.name] = d
            return optimizer._accumulators[kind][param.name]._t

        optimizer._add_accumulator = add_accumulator

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner_opt, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner_opt, name, value)

    def state_dict(self) -> dict:
        """The inner state dict; before the first step it creates the (sharded) accumulators
        first, so ``dist.load_state_dict(opt.state_dict(), path)`` can fill them (as Paddle)."""
        inner = self._inner_opt
        if not inner._accumulators:
            groups = inner._param_groups
            if groups and isinstance(groups[0], dict):
                for g in groups:
                    ps = [p for p in g["params"] if not p.stop_gradient]
                    inner._create_accumulators(ps, inner._hyper(g))
            else:
                ps = [p for p in groups if not p.stop_gradient]
                inner._create_accumulators(ps, inner._hyper(None))
        return inner.state_dict()

    def __repr__(self) -> str:
        return f"ShardOptimizer({self._inner_opt!r})"


def shard_optimizer(
    optimizer: Any, shard_fn: Callable | None = None, gradient_accumulation_steps: int = 1
) -> _ShardOptimizer:
    """Make ``optimizer``'s accumulators follow their parameters' sharding (see module doc).

    >>> import paddlefish as paddle, paddlefish.distributed as dist
    >>> mesh = dist.ProcessMesh([0], dim_names=["x"])
    >>> w = dist.shard_tensor(paddle.create_parameter([4, 2], "float32"), mesh, [dist.Shard(0)])
    >>> opt = dist.shard_optimizer(paddle.optimizer.Adam(parameters=[w]))
    >>> [type(v).__name__ for k, v in sorted(opt.state_dict().items()) if "moment" in k]
    ['DistTensor', 'DistTensor']
    """
    if gradient_accumulation_steps != 1:
        raise NotImplementedError(
            "shard_optimizer: gradient_accumulation_steps other than 1 is not implemented; "
            "accumulate with DataParallel.no_sync() instead."
        )
    return _ShardOptimizer(optimizer, shard_fn)
