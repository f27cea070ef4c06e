"""Sharded tensors: ``ProcessMesh``, ``Shard`` / ``Replicate``, ``shard_tensor``, ``reshard``.

A sharded tensor is a ``DistTensor``: a paddlefish ``Tensor`` whose storage is only this rank's
local slice and which knows its global shape, mesh and placements. ``shape`` is the global shape
(as Paddle's dist tensors); ``_local_value()`` is the local slice. The slicing follows Paddle's
``compute_local_shape_and_global_offset`` (see NOTE [balanced split]). torch's DTensor is not used:
its slicing (``torch.chunk``) differs from Paddle's when a dimension does not divide evenly, and the
checkpoint must name the same slices as Paddle.

NOTE [balanced split]: Paddle splits a dimension of size ``n`` over ``k`` ranks as
``[ceil(n/k)] * (k-1) + [rest]`` (``utils.balanced_split``), so 10 over 4 is ``3, 3, 3, 1``; with
several mesh dims on one tensor dim the split is nested, in mesh-dim order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from ..eager import Tensor, wrap
from ..eager.tensor import Parameter, to_torch
from ._collective import all_gather_object
from ._group import get_rank, get_world_size, is_initialized

__all__ = [
    "DistParameter",
    "DistTensor",
    "Partial",
    "Placement",
    "ProcessMesh",
    "ReduceType",
    "Replicate",
    "Shard",
    "local_offset_and_shape",
    "reshard",
    "shard_tensor",
    "unshard_dtensor",
]


class ProcessMesh:
    """A logical n-d array of process ranks, with a name per axis.

    >>> mesh = ProcessMesh([[0, 1], [2, 3]], dim_names=["dp", "mp"])
    >>> mesh.shape, mesh.process_ids, mesh.get_coord(2)
    ([2, 2], [0, 1, 2, 3], [1, 0])
    """

    def __init__(
        self, mesh: Any = None, dim_names: Sequence[str] | None = None, shape=None, process_ids=None
    ) -> None:
        if mesh is None:
            mesh = np.asarray(process_ids).reshape(shape)
        arr = np.asarray(mesh)
        if (
            arr.dtype.kind not in "iu"
            or arr.size == 0
            or len(set(arr.ravel().tolist())) != arr.size
        ):
            raise ValueError(
                f"ProcessMesh: mesh must be a non-empty n-d array of distinct integer ranks, "
                f"got {mesh!r}."
            )
        names = list(dim_names) if dim_names is not None else [f"d{i}" for i in range(arr.ndim)]
        if len(names) != arr.ndim:
            raise ValueError(
                f"ProcessMesh: {len(names)} dim_names {names} for a {arr.ndim}-d mesh; give one "
                "name per mesh axis."
            )
        self._mesh = arr.astype(np.int64)
        self._dim_names = names

    @property
    def mesh(self) -> np.ndarray:
        return self._mesh

    @property
    def shape(self) -> list[int]:
        return list(self._mesh.shape)

    @property
    def ndim(self) -> int:
        return self._mesh.ndim

    @property
    def process_ids(self) -> list[int]:
        return self._mesh.ravel().tolist()

    @property
    def dim_names(self) -> list[str]:
        return list(self._dim_names)

    def get_dim_size(self, dim: int | str) -> int:
        i = self._dim_names.index(dim) if isinstance(dim, str) else dim
        return self._mesh.shape[i]

    def get_coord(self, rank: int) -> list[int] | None:
        """The mesh coordinates of ``rank``, or None when it is not in the mesh."""
        hit = np.argwhere(self._mesh == rank)
        return hit[0].tolist() if len(hit) else None

    def __contains__(self, rank: int) -> bool:
        return rank in self.process_ids

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ProcessMesh)
            and np.array_equal(self._mesh, other._mesh)
            and self._dim_names == other._dim_names
        )

    def __hash__(self) -> int:
        return hash((tuple(self.shape), tuple(self.process_ids), tuple(self._dim_names)))

    def __repr__(self) -> str:
        return (
            f"ProcessMesh(shape={self.shape}, process_ids={self.process_ids}, "
            f"dim_names={self._dim_names})"
        )


class Placement:
    """How a tensor lies along one mesh axis."""

    def is_shard(self, dim: int | None = None) -> bool:
        return False

    def is_replicated(self) -> bool:
        return False

    def is_partial(self) -> bool:
        return False


class Shard(Placement):
    """Split tensor dimension ``dim`` across the mesh axis (see NOTE [balanced split]).

    >>> Shard(0), Shard(1).get_dim()
    (Shard(dim=0), 1)
    """

    def __init__(self, dim: int) -> None:
        if not isinstance(dim, int) or dim < 0:
            raise ValueError(f"Shard: dim must be a non-negative int, got {dim!r}.")
        self._dim = dim

    def get_dim(self) -> int:
        return self._dim

    def is_shard(self, dim: int | None = None) -> bool:
        return dim is None or dim == self._dim

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Shard) and other._dim == self._dim

    def __hash__(self) -> int:
        return hash(("shard", self._dim))

    def __repr__(self) -> str:
        return f"Shard(dim={self._dim})"


class Replicate(Placement):
    """A full copy along the mesh axis.

    >>> Replicate() == Replicate()
    True
    """

    def is_replicated(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Replicate)

    def __hash__(self) -> int:
        return hash("replicate")

    def __repr__(self) -> str:
        return "Replicate()"


class ReduceType:
    """The reductions a ``Partial`` placement may pend (Paddle's values).

    >>> ReduceType.kRedSum, ReduceType.kRedAvg
    (0, 4)
    """

    kRedSum = 0
    kRedMax = 1
    kRedMin = 2
    kRedProd = 3
    kRedAvg = 4
    kRedAny = 5
    kRedAll = 6


class Partial(Placement):
    """Each rank along the mesh axis holds a full-shape addend; the value is their reduction
    (``reshard`` to ``Replicate`` / ``Shard`` performs it). ``shard_tensor`` keeps the data on
    the first rank of the axis and zeros elsewhere for a sum (as Paddle), so the value is
    unchanged.

    >>> Partial(), Partial().is_partial()
    (Partial(reduce_type=0), True)
    """

    def __init__(self, reduce_type: int = ReduceType.kRedSum) -> None:
        if reduce_type not in (ReduceType.kRedSum, ReduceType.kRedAvg):
            raise NotImplementedError(
                f"Partial(reduce_type={reduce_type}): paddlefish supports kRedSum and kRedAvg."
            )
        self._reduce_type = reduce_type

    def reduce_type(self) -> int:
        return self._reduce_type

    def is_partial(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Partial) and other._reduce_type == self._reduce_type

    def __hash__(self) -> int:
        return hash(("partial", self._reduce_type))

    def __repr__(self) -> str:
        return f"Partial(reduce_type={self._reduce_type})"


def _balanced_split(n: int, k: int) -> list[int]:
    # see NOTE [balanced split]; Paddle's utils.balanced_split
    size = -(-n // k)
    out = [size] * k
    out[-1] = n - size * (k - 1)
    return out


def _check_placements(mesh: ProcessMesh, placements: Sequence[Placement], ndim: int) -> None:
    if not isinstance(mesh, ProcessMesh):
        raise TypeError(f"expected a dist.ProcessMesh, got {type(mesh).__name__}")
    if len(placements) != mesh.ndim:
        raise ValueError(
            f"{len(placements)} placements {list(placements)} for a {mesh.ndim}-d mesh: give one "
            "placement (dist.Shard(d) or dist.Replicate()) per mesh axis."
        )
    for p in placements:
        if not isinstance(p, (Shard, Replicate, Partial)):
            raise TypeError(
                f"placement {p!r}: expected dist.Shard(d), dist.Replicate() or dist.Partial()."
            )
        if isinstance(p, Shard) and p.get_dim() >= ndim:
            raise ValueError(f"{p!r} on a {ndim}-d tensor: dim must be < {ndim}.")


def local_offset_and_shape(
    global_shape: Sequence[int], mesh: ProcessMesh, placements: Sequence[Placement], rank: int
) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """``(global_offset, local_shape)`` of ``rank``'s slice, None when it is not in the mesh.

    >>> m = ProcessMesh([0, 1, 2, 3])
    >>> [local_offset_and_shape([10, 2], m, [Shard(0)], r) for r in range(4)][-1]
    ((9, 0), (1, 2))
    """
    coord = mesh.get_coord(rank)
    if coord is None:
        return None
    shape, offset = list(global_shape), [0] * len(global_shape)
    for axis, p in enumerate(placements):
        if isinstance(p, Shard):
            d = p.get_dim()
            chunks = _balanced_split(shape[d], mesh.shape[axis])
            offset[d] += sum(chunks[: coord[axis]])
            shape[d] = chunks[coord[axis]]
    return tuple(offset), tuple(shape)


class DistTensor(Tensor):
    """A tensor of which this rank holds one slice (made by ``shard_tensor`` / ``reshard``)."""

    @property
    def shape(self) -> list[int]:
        return list(self._global_shape)

    @property
    def process_mesh(self) -> ProcessMesh:
        return self._mesh

    @property
    def placements(self) -> list[Placement]:
        return list(self._placements)

    @property
    def global_offset(self) -> tuple[int, ...] | None:
        """Where the local slice starts in the global tensor (None: not in the mesh)."""
        return self._offset

    def is_dist(self) -> bool:
        return True

    def _is_initialized(self) -> bool:
        return self._offset is not None

    def _local_value(self) -> Tensor:
        out = wrap(self._t)
        out._name = self._name
        return out

    def __repr__(self) -> str:
        return (
            f"DistTensor(shape={self.shape}, local_shape={list(self._t.shape)}, "
            f"mesh={self._mesh}, placements={self._placements})"
        )


class DistParameter(DistTensor, Parameter):
    """A sharded ``Parameter`` (``shard_tensor`` of a parameter, ``shard_layer``): a Layer keeps
    it as a parameter and an optimizer updates its local slice."""


_PARAM_ATTRS = ("optimize_attr", "regularizer", "need_clip", "do_model_average", "is_distributed")


def _make(local: torch.Tensor, global_shape, mesh, placements, offset, like: Any) -> DistTensor:
    is_param = isinstance(like, Parameter)
    out = (DistParameter if is_param else DistTensor).__new__(
        DistParameter if is_param else DistTensor
    )
    out._t = local
    out._name = getattr(like, "_name", None)
    out._persistable = getattr(like, "_persistable", False)
    out._global_shape = tuple(global_shape)
    out._mesh = mesh
    out._placements = list(placements)
    out._offset = offset
    if is_param:
        for a in _PARAM_ATTRS:
            setattr(out, a, getattr(like, a, None))
        out.trainable = like.trainable
    return out


def _slice(full: torch.Tensor, offset, shape) -> torch.Tensor:
    idx = tuple(slice(o, o + s) for o, s in zip(offset, shape))
    return full[idx].clone()


def shard_tensor(
    data: Any,
    mesh: ProcessMesh,
    placements: Sequence[Placement],
    dtype=None,
    place=None,
    stop_gradient: bool | None = None,
) -> DistTensor:
    """Keep this rank's slice of the global ``data`` (the same on every rank).

    >>> import paddlefish as paddle
    >>> t = shard_tensor(paddle.arange(8).reshape([4, 2]), ProcessMesh([0]), [Shard(0)])
    >>> t.shape, t._local_value().shape
    ([4, 2], [4, 2])
    """
    full = to_torch(data, dtype)
    _check_placements(mesh, placements, full.dim())
    rank = get_rank()
    where = local_offset_and_shape(full.shape, mesh, placements, rank)
    local = _slice(full.detach(), *where) if where else full.new_empty((0,))
    if where and _zero_addend(mesh, placements, rank):
        local.zero_()
    out = _make(local, full.shape, mesh, placements, where[0] if where else None, data)
    sg = getattr(data, "stop_gradient", True) if stop_gradient is None else stop_gradient
    if not sg:
        out.stop_gradient = False
    return out


def _zero_addend(mesh: ProcessMesh, placements: Sequence[Placement], rank: int) -> bool:
    """Whether ``rank`` holds a zero addend of a partial sum (not first on a Partial axis)."""
    coord = mesh.get_coord(rank)
    return any(
        isinstance(p, Partial) and p.reduce_type() == ReduceType.kRedSum and coord[ax] != 0
        for ax, p in enumerate(placements)
    )


def _full_value(t: Tensor) -> torch.Tensor:
    """The whole global tensor on every rank (gathered from the slices of ``t``)."""
    if not isinstance(t, DistTensor):
        return t._t
    if get_world_size() < 2 or not is_initialized():
        if t._offset is None or tuple(t._t.shape) != t._global_shape:
            raise RuntimeError(
                f"reshard: {t!r} holds only a slice and there is no process group to gather the "
                "rest; call dist.init_parallel_env() in every process first."
            )
        return t._t
    mine = (get_rank(), t._offset, t._t.detach().cpu().numpy()) if t._offset is not None else None
    parts: list = []
    all_gather_object(parts, mine)
    return _assemble(t, [p for p in parts if p is not None])


def _assemble(t: DistTensor, parts: list) -> torch.Tensor:
    """The global value from every rank's ``(rank, offset, array)``: one copy per Replicate
    axis, the sum (or mean) over Partial axes."""
    full = torch.zeros(t._global_shape, dtype=t._t.dtype)
    n_partial = 1
    for ax, p in enumerate(t._placements):
        if isinstance(p, Partial) and p.reduce_type() == ReduceType.kRedAvg:
            n_partial *= t._mesh.shape[ax]
    for rank, off, arr in parts:
        coord = t._mesh.get_coord(rank)
        if coord is None or any(
            isinstance(p, Replicate) and coord[ax] != 0 for ax, p in enumerate(t._placements)
        ):
            continue
        idx = tuple(slice(o, o + s) for o, s in zip(off, arr.shape))
        full[idx] += torch.from_numpy(arr)
    if n_partial > 1:
        full = full / n_partial if full.is_floating_point() else full // n_partial
    return full.to(t._t.device)


def reshard(t: Tensor, mesh: ProcessMesh, placements: Sequence[Placement]) -> DistTensor:
    """The same global values laid out by ``mesh`` and ``placements`` (every rank must call it).

    >>> import paddlefish as paddle
    >>> a = shard_tensor(paddle.ones([2, 4]), ProcessMesh([0]), [Shard(0)])
    >>> reshard(a, ProcessMesh([0]), [Shard(1)]).placements
    [Shard(dim=1)]
    """
    full = _full_value(t)
    _check_placements(mesh, placements, full.dim())
    rank = get_rank()
    where = local_offset_and_shape(full.shape, mesh, placements, rank)
    local = _slice(full, *where) if where else full.new_empty((0,))
    if where and _zero_addend(mesh, placements, rank):
        local.zero_()
    return _make(local, full.shape, mesh, placements, where[0] if where else None, t)


def unshard_dtensor(t: Tensor) -> Tensor:
    """The full global value of ``t`` as a plain Tensor on every rank (every rank must call it).

    >>> import paddlefish as paddle
    >>> d = shard_tensor(paddle.ones([2, 2]), ProcessMesh([0]), [Shard(0)])
    >>> type(unshard_dtensor(d)).__name__, unshard_dtensor(d).shape
    ('Tensor', [2, 2])
    """
    out = wrap(_full_value(t).clone())
    out._name = getattr(t, "_name", None)
    return out
