"""The distributed checkpoint: ``save_state_dict`` / ``load_state_dict`` in Paddle 3.x's layout.

A checkpoint directory holds ``{rank}_{id}.distcp`` (each rank's own slices, a ``paddle.save``
pickle of ``{flat_key: ndarray}``) and ``{id}.metadata`` (formats/dist_metadata.py). Loading reads
the slices that overlap the target's own slice straight from the files (memory-mapped), so any
layout loads into any other (a shared file system is assumed: every rank can read every file).

NOTE [checkpoint commit order]: Paddle writes the metadata first. paddlefish writes it last: the
coordinator first removes an old ``{id}.metadata`` of the same id, all ranks write their
``.distcp`` atomically and report success to each other, then the coordinator writes the metadata
atomically and tells the others. A crash at any instant leaves a checkpoint that is complete, or
absent (no metadata), never a metadata that names files of another save. With ``unique_id=None``
a save takes the next id after the newest complete checkpoint in the directory (as Paddle's
docstring says; its code re-uses the newest id), or re-uses the id of an incomplete one, so the
previous checkpoint stays loadable throughout; a load with ``unique_id=None`` takes the newest
complete one (and warns when a newer, incomplete one is there).

NOTE [checkpoint sync group]: every exchange of a save or load (metadata, "my shard is written",
"the metadata is written", load errors) goes over a gloo group of the job's ranks made for
checkpoints (by every rank, at its first save or load), whose timeout is the ``timeout`` argument
(seconds; default ``PADDLE_PG_TIMEOUT``); with a ``process_group`` smaller than the job (whose
other ranks do not take part), that group itself is used and its own timeout applies.
A rank that dies (gloo sees the closed connection at once) or never arrives (the timeout) makes
the others raise a RuntimeError that says so, never hang; the group being separate lets an
``async_save`` commit in a background thread while training runs collectives on the main group.
"""

from __future__ import annotations

import atexit
import datetime
import os
import re
import sys
import threading
import warnings
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
import torch.distributed as tdist

from ..eager import Tensor
from ..eager._dtype import numpy_to_torch, torch_to_numpy
from ..errors import FormatError
from ..formats import dist_metadata as dm
from ..formats import pdparams
from ._env import ParallelEnv
from ._group import (
    Group,
    get_rank,
    get_world_size,
    global_group,
    init_parallel_env,
    is_initialized,
)
from ._sharding import DistTensor, Replicate, reshard

__all__ = [
    "clear_async_save_task_queue",
    "load_state_dict",
    "merge_checkpoint",
    "save_state_dict",
]

_DISTCP = re.compile(r"^(\d+)_(\d+)\.distcp$")
_META = re.compile(r"^(\d+)\.metadata$")


def _flatten(state_dict: dict, where: str) -> tuple[dict[str, Tensor], dict[str, tuple]]:
    flat, mapping = {}, {}

    def walk(path: tuple, v: Any) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if not isinstance(k, str):
                    raise TypeError(f"{where}: state dict keys must be str, got {k!r} under {path}")
                walk((*path, k), x)
        elif isinstance(v, Tensor):
            flat[".".join(path)] = v
            mapping[".".join(path)] = path
        else:
            raise TypeError(
                f"{where}: the value at {'.'.join(path)!r} is a {type(v).__name__}; a distributed "
                "state dict holds only Tensors (nested in dicts)."
            )

    if not isinstance(state_dict, dict):
        raise TypeError(f"{where}: state_dict must be a dict, got {type(state_dict).__name__}")
    walk((), state_dict)
    return flat, mapping


def _slice_of(t: Tensor) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None:
    """(global_offset, local_shape, global_shape) of this rank's part of ``t``."""
    if isinstance(t, DistTensor):
        if t.global_offset is None:
            return None
        return t.global_offset, tuple(t._t.shape), tuple(t.shape)
    shape = tuple(t._t.shape)
    return (0,) * len(shape), shape, shape


def _dtype_name(t: Tensor) -> str:
    return str(t.dtype).split(".")[-1]


def _use_dist(process_group: Group | None) -> bool:
    if process_group is not None:
        return process_group.nranks > 1
    if get_world_size() > 1 and not is_initialized():
        init_parallel_env()  # as Paddle: a job's ranks join the default group first
    return get_world_size() > 1


def _max_id(path: str, pattern: re.Pattern, group: int) -> int:
    ids = [int(m.group(group)) for f in os.listdir(path) if (m := pattern.match(f))]
    return max(ids, default=0)


def _balanced_storage(per_rank: list[dict]) -> dict:
    # Paddle's balanced_dedup_key_in_dict: each slice goes to its least-loaded holder
    holders: dict = defaultdict(set)
    for storage in per_rank:
        for idx, fname in storage.items():
            holders[idx].add(fname)
    load: dict = defaultdict(int)
    out = {}
    for idx, files in holders.items():
        chosen = min(sorted(files), key=lambda f: load[f])
        load[chosen] += 1
        out[idx] = chosen
    return out


def _merge_metadata(per_rank: list[dict]) -> dict[str, list]:
    out: dict[str, list] = {}
    for metas in per_rank:
        for key, m in metas.items():
            if m not in out.setdefault(key, []):
                out[key].append(m)
    return out


def _timeout_s(timeout: float | None) -> float:
    if timeout is not None:
        if not timeout > 0:
            raise ValueError(
                f"checkpoint: timeout must be a positive number of seconds, got {timeout!r}"
            )
        return float(timeout)
    return ParallelEnv().pg_timeout / 1000.0


_SYNC_GROUPS: dict = {}


def _sync_group(process_group: Group | None, timeout: float):
    """The gloo group of the checkpoint's ranks (see NOTE [checkpoint sync group]). Made by
    every rank of the job together, so for a sub-group (``process_group`` not the whole job,
    whose other ranks do not call save/load) the sub-group's own process group is used."""
    world = global_group()
    if process_group is not None and process_group.ranks != world.ranks:
        return process_group.process_group
    key = (id(world), timeout)  # a new job (init after destroy) gets new groups
    if key not in _SYNC_GROUPS:
        pg = tdist.new_group(
            list(world.ranks), timeout=datetime.timedelta(seconds=timeout), backend="gloo"
        )
        _SYNC_GROUPS[key] = (world, pg)  # holding world keeps its id from being reused
    return _SYNC_GROUPS[key][1]


class _Sync:
    """Exchanges of one save or load over the checkpoint group; failures name the step."""

    def __init__(self, use_dist: bool, process_group: Group | None, timeout: float, what: str):
        self.use_dist, self.what, self.timeout = use_dist, what, timeout
        self.pg = _sync_group(process_group, timeout) if use_dist else None

    def gather(self, obj: Any, step: str) -> list:
        if not self.use_dist:
            return [obj]
        out: list = [None] * tdist.get_world_size(self.pg)
        try:
            tdist.all_gather_object(out, obj, group=self.pg)
        except RuntimeError as e:
            raise RuntimeError(
                f"{self.what} on rank {get_rank()}: another rank died or did not reach the same "
                f"step ({step}) within the checkpoint timeout of {self.timeout:g} s (the timeout "
                "argument, default PADDLE_PG_TIMEOUT). Check the other ranks' logs. "
                f"Cause: {e}"
            ) from e
        return out


def _complete_ids(path: str) -> list[int]:
    return sorted(int(m.group(1)) for f in os.listdir(path) if (m := _META.match(f)))


def _next_id(path: str) -> int:
    """The id a save with ``unique_id=None`` takes (see NOTE [checkpoint commit order])."""
    newest = _max_id(path, _DISTCP, 2) if any(_DISTCP.match(f) for f in os.listdir(path)) else -1
    complete = _complete_ids(path)
    if newest < 0 and not complete:
        return 0
    if complete and complete[-1] >= newest:
        return complete[-1] + 1
    return newest


class _AsyncSave:
    """One background save; ``wait`` re-raises its error in the caller's thread."""

    def __init__(self, fn, what: str) -> None:
        self.error: BaseException | None = None
        self.what = what

        def run() -> None:
            try:
                fn()
            except BaseException as e:  # noqa: BLE001 (handed to wait())
                self.error = e

        # not a daemon: a process that exits without waiting still commits (Python joins the
        # thread at exit, as it joins Paddle's save processes); see _report_at_exit
        self.thread = threading.Thread(target=run, name="paddlefish-async-save", daemon=False)
        self.thread.start()

    def wait(self, timeout: float | None = None) -> None:
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise TimeoutError(f"{self.what} is still writing after {timeout} s")
        if self.error is not None:
            err, self.error = self.error, None
            raise err


_ASYNC: list[_AsyncSave] = []


@atexit.register
def _report_at_exit() -> None:
    # runs after Python joined the save threads: an error nobody waited for is not lost
    for job in _ASYNC:
        if job.error is not None:
            print(f"paddlefish: {job.what} failed: {job.error}", file=sys.stderr)


def clear_async_save_task_queue(timeout: float | None = None) -> None:
    """Wait until every ``save_state_dict(..., async_save=True)`` of this process has committed
    (Paddle's name for it, in ``flex_checkpoint.dcp.save_state_dict``); raises the error of a
    failed one. Every rank calls it before relying on the checkpoint (e.g. before exiting).

    >>> import tempfile, paddlefish as paddle, paddlefish.distributed as dist
    >>> d = tempfile.mkdtemp()
    >>> dist.save_state_dict({"w": paddle.ones([2])}, d, async_save=True)
    >>> dist.clear_async_save_task_queue()
    >>> sorted(os.listdir(d))
    ['0.metadata', '0_0.distcp']
    """
    while _ASYNC:
        _ASYNC[0].wait(timeout)
        _ASYNC.pop(0)


def _snapshot(t: Tensor, copy: bool) -> np.ndarray:
    x = t._t.detach()
    if x.device.type != "cpu":
        return torch_to_numpy(x.cpu())
    return torch_to_numpy(x.clone() if copy else x)


def save_state_dict(
    state_dict: dict,
    path: str,
    process_group: Group | None = None,
    coordinator_rank: int = 0,
    unique_id: int | None = None,
    async_save: bool = False,
    safetensors: bool = False,
    save_replicas: bool = False,
    timeout: float | None = None,
) -> None:
    """Save a (possibly sharded) state dict to the directory ``path``; every rank of the group
    calls it and writes only its own slices (see NOTE [checkpoint commit order]).

    ``async_save=True`` returns once this rank's slices are copied (a snapshot: later updates of
    the tensors do not reach the file); a background thread writes them and the coordinator
    commits the metadata; ``clear_async_save_task_queue()`` waits for it. ``timeout`` (seconds,
    paddlefish's own; default ``PADDLE_PG_TIMEOUT``) bounds every wait on the other ranks.

    >>> import tempfile, paddlefish as paddle, paddlefish.distributed as dist
    >>> d = tempfile.mkdtemp()
    >>> dist.save_state_dict({"w": paddle.ones([2, 3])}, d)
    >>> sorted(os.listdir(d))
    ['0.metadata', '0_0.distcp']
    """
    if safetensors or save_replicas:
        raise NotImplementedError(
            "save_state_dict: safetensors and save_replicas are not implemented in paddlefish; "
            "call it with the defaults (a .distcp save)."
        )
    clear_async_save_task_queue()  # one save at a time, as Paddle
    flat, mapping = _flatten(state_dict, "save_state_dict")
    os.makedirs(path, exist_ok=True)
    use_dist = _use_dist(process_group)
    sync = _Sync(use_dist, process_group, _timeout_s(timeout), f"save_state_dict({path!r})")
    rank = get_rank()
    local, metas, storage = {}, {}, {}
    for key, t in flat.items():
        if isinstance(t, DistTensor) and any(p.is_partial() for p in t.placements):
            # a pending sum is stored reduced, as Paddle (every rank takes part)
            t = reshard(
                t, t.process_mesh, [Replicate() if p.is_partial() else p for p in t.placements]
            )
        where = _slice_of(t)
        if where is None:
            continue
        off, lshape, _gshape = where
        local[key] = t
        metas[key] = dm.LocalTensorMetadata(off, lshape, _dtype_name(t), _gshape)
        storage[dm.LocalTensorIndex(key, off, local_shape=lshape)] = f"{rank}_{{id}}.distcp"
    mine_id = unique_id if unique_id is not None else _next_id(path)
    if unique_id is not None and unique_id < 0:
        raise ValueError(f"save_state_dict: unique_id must be >= 0, got {unique_id}")
    gathered = sync.gather((metas, storage, mapping, mine_id), "exchanging the metadata")
    ids = {g[3] for g in gathered}
    if unique_id is None:  # each rank's choice from its view of the directory: the newest
        ids = {max(ids)}
    if len(ids) != 1:
        raise ValueError(
            f"save_state_dict: the ranks chose different unique_ids {sorted(ids)} for {path}; "
            "pass the same unique_id on every rank (or None on all)."
        )
    (uid,) = ids
    fname = f"{rank}_{uid}.distcp"
    fmt = lambda s: {i: f.format(id=uid) for i, f in s.items()}
    meta = dm.Metadata(
        _merge_metadata([g[0] for g in gathered]),
        _balanced_storage([fmt(g[1]) for g in gathered]),
        {},
    )
    for g in gathered:
        for k, v in g[2].items():
            meta.flat_mapping.setdefault(k, v)
    mine = {idx.tensor_key for idx, f in meta.storage_metadata.items() if f == fname}
    arrays = {k: _snapshot(t, copy=async_save) for k, t in local.items() if k in mine}
    names = {k: local[k].name for k in arrays}
    meta_path = os.path.join(path, f"{uid}.metadata")
    is_coord = rank == coordinator_rank
    if is_coord and os.path.exists(meta_path):
        os.remove(meta_path)

    def commit() -> None:
        status = None
        try:
            pdparams.save_pdparams(
                pdparams.encode_state_dict(arrays, names), os.path.join(path, fname)
            )
        except Exception as e:  # noqa: BLE001 (reported to every rank)
            status = f"{type(e).__name__}: {e}"
        failed = [(r, s) for r, s in enumerate(sync.gather(status, "writing the shards")) if s]
        if failed:
            raise RuntimeError(
                f"save_state_dict: the checkpoint {meta_path} was not committed: rank "
                f"{failed[0][0]} could not write its shard: {failed[0][1]}"
            )
        status = None
        if is_coord:
            try:
                dm.save_dist_metadata(meta, meta_path)
            except Exception as e:  # noqa: BLE001 (reported to every rank)
                status = f"{type(e).__name__}: {e}"
        failed = [s for s in sync.gather(status, "writing the metadata") if s]
        if failed:
            raise RuntimeError(
                f"save_state_dict: the coordinator could not write {meta_path}: {failed[0]}"
            )

    if async_save:
        _ASYNC.append(_AsyncSave(commit, f"save_state_dict({path!r}, async_save=True)"))
    else:
        commit()


def _overlap(a_off, a_shape, b_off, b_shape) -> tuple[tuple[slice, ...], tuple[slice, ...]] | None:
    """Index of the overlap of box a and box b, in a's and in b's local coordinates."""
    sa, sb = [], []
    for ao, an, bo, bn in zip(a_off, a_shape, b_off, b_shape):
        lo, hi = max(ao, bo), min(ao + an, bo + bn)
        if lo >= hi:
            return None
        sa.append(slice(lo - ao, hi - ao))
        sb.append(slice(lo - bo, hi - bo))
    return tuple(sa), tuple(sb)


class _Files:
    """Loaded ``.distcp`` files, read once each; errors name the file and the tensor."""

    def __init__(self, path: str) -> None:
        self.path, self.cache = path, {}

    def array(self, fname: str, key: str) -> np.ndarray:
        if fname not in self.cache:
            full = os.path.join(self.path, fname)
            if not os.path.exists(full):
                raise FileNotFoundError(
                    f"load_state_dict: shard file {full} (which holds a slice of {key!r}) is "
                    "missing; the checkpoint is incomplete: copy the file back or load another "
                    "checkpoint."
                )
            try:
                self.cache[fname] = pdparams.load_pdparams(full, mmap=True)
            except (FormatError, OSError) as e:
                raise FormatError(
                    f"load_state_dict: shard file {full} (needed for {key!r}) is damaged or "
                    f"unreadable: {e}; restore the file or load another checkpoint."
                ) from None
        arr = self.cache[fname].get(key) if isinstance(self.cache[fname], dict) else None
        if not isinstance(arr, np.ndarray):
            raise FormatError(
                f"load_state_dict: shard file {os.path.join(self.path, fname)} has no array for "
                f"{key!r} although the metadata says it does; the checkpoint is damaged."
            )
        return arr


def _read(key: str, t: Tensor, meta: dm.Metadata, files: _Files, path: str) -> list | None:
    """Where this rank's slice of ``key`` comes from: ``[(index in the slice, stored array
    view)]``, every piece checked (the arrays are memory-mapped: nothing is copied yet). None
    when ``t`` holds no slice."""
    where = _slice_of(t)
    if where is None:
        return None
    off, lshape, gshape = where
    stored = meta.state_dict_metadata[key]
    if stored and stored[0].global_shape is not None and tuple(stored[0].global_shape) != gshape:
        raise ValueError(
            f"load_state_dict: {key!r} has global shape {list(gshape)} in the target but "
            f"{list(stored[0].global_shape)} in the checkpoint at {path}."
        )
    pieces, volume = [], 0
    for idx, fname in meta.storage_metadata.items():
        if idx.tensor_key != key or idx.replica_id not in (None, 0):
            continue
        shape = idx.local_shape or _shape_from(stored, idx)
        ov = _overlap(off, lshape, idx.global_offset, shape)
        if ov is None:
            continue
        src = files.array(fname, key)
        if tuple(src.shape) != tuple(shape):
            raise FormatError(
                f"load_state_dict: {key!r} in {os.path.join(path, fname)} has shape "
                f"{list(src.shape)}, the metadata says {list(shape)}; the checkpoint is damaged."
            )
        pieces.append((ov[0], src[ov[1]]))
        volume += int(np.prod([s.stop - s.start for s in ov[0]]))
    if volume != int(np.prod(lshape)):
        raise FormatError(
            f"load_state_dict: the checkpoint at {path} does not cover all of {key!r} exactly "
            f"(target slice at offset {list(off)}, shape {list(lshape)}: {volume} of "
            f"{int(np.prod(lshape))} elements stored); a shard file is missing from its metadata."
        )
    return pieces


def _copy_pieces(dst: torch.Tensor, pieces: list) -> None:
    """Copy the stored pieces into ``dst`` (one copy straight from the mapped file when the
    tensor is a CPU one numpy can address)."""
    with torch.no_grad():
        try:
            view = dst.detach().numpy() if dst.device.type == "cpu" else None
        except (TypeError, RuntimeError):  # bfloat16 and other dtypes numpy lacks
            view = None
        for idx, src in pieces:
            if view is not None and src.dtype.kind == view.dtype.kind and src.dtype != np.uint16:
                np.copyto(view[idx], src, casting="unsafe")
            else:
                dst[idx].copy_(numpy_to_torch(np.ascontiguousarray(src)).to(dst.dtype))


def _fill(key: str, t: Tensor, meta: dm.Metadata, files: _Files, path: str) -> None:
    pieces = _read(key, t, meta, files, path)
    if pieces is not None:
        _copy_pieces(t._t, pieces)


def _shape_from(stored: list, idx: dm.LocalTensorIndex) -> tuple[int, ...]:
    for m in stored:
        if tuple(m.global_offset) == tuple(idx.global_offset):
            return tuple(m.local_shape)
    raise FormatError(f"metadata: no local shape for {idx}")


def _metadata_path(path: str, unique_id: int | None) -> str:
    if not os.path.isdir(path):
        raise FileNotFoundError(f"load_state_dict: checkpoint directory {path} does not exist.")
    if unique_id is None:
        complete = _complete_ids(path)
        newest = _max_id(path, _DISTCP, 2)
        if complete:
            unique_id = complete[-1]
            if newest > unique_id:
                warnings.warn(
                    f"load_state_dict: the checkpoint with unique_id {newest} in {path} is "
                    f"incomplete (no {newest}.metadata: its save did not finish); loading "
                    f"unique_id {unique_id}, the newest complete one.",
                    stacklevel=3,
                )
        else:
            unique_id = newest
    meta_path = os.path.join(path, f"{unique_id}.metadata")
    if not os.path.exists(meta_path):
        raise FileNotFoundError(
            f"load_state_dict: {meta_path} is missing, so the checkpoint in {path} with "
            f"unique_id {unique_id} is absent or was not completed (the metadata is written "
            "last); load an earlier unique_id or another checkpoint."
        )
    return meta_path


def load_state_dict(
    state_dict: dict,
    path: str,
    process_group: Group | None = None,
    coordinator_rank: int = 0,
    unique_id: int | None = None,
    offload: bool = False,
    timeout: float | None = None,
    **unsupported: Any,
) -> None:
    """Fill ``state_dict``'s tensors in place from the checkpoint at ``path``, whatever layout it
    was saved with (each rank reads the slices overlapping its own). All or nothing: when any
    rank fails (a missing or damaged shard file, named with the tensor), no tensor is changed and
    every rank raises. ``timeout`` is as in ``save_state_dict``.

    >>> import tempfile, paddlefish as paddle, paddlefish.distributed as dist
    >>> d = tempfile.mkdtemp(); dist.save_state_dict({"w": paddle.ones([2])}, d)
    >>> sd = {"w": paddle.zeros([2])}; dist.load_state_dict(sd, d); sd["w"].numpy()
    array([1., 1.], dtype=float32)
    """
    if unsupported.get("safetensors") or unsupported.get("aoa_config"):
        raise NotImplementedError(
            "load_state_dict: safetensors and aoa_config are not implemented in paddlefish; "
            "load a .distcp checkpoint with the defaults."
        )
    flat, _ = _flatten(state_dict, "load_state_dict")
    use_dist = _use_dist(process_group)
    sync = _Sync(use_dist, process_group, _timeout_s(timeout), f"load_state_dict({path!r})")
    clear_async_save_task_queue()
    error: BaseException | None = None
    plan = []
    try:
        meta = dm.load_dist_metadata(_metadata_path(path, unique_id))
        missing = [k for k in flat if k not in meta.state_dict_metadata]
        if missing:
            raise KeyError(
                f"load_state_dict: keys {missing} are not in the checkpoint at {path} (it has "
                f"{sorted(meta.state_dict_metadata)[:20]}); rename them or load a matching "
                "checkpoint."
            )
        files = _Files(path)
        for key, t in flat.items():
            plan.append((t, _read(key, t, meta, files, path)))
    except Exception as e:  # noqa: BLE001 (reported to every rank, raised here below)
        error = e
    status = f"{type(error).__name__}: {error}" if error is not None else None
    failed = [(r, s) for r, s in enumerate(sync.gather(status, "reading the shards")) if s]
    if error is not None:
        raise error
    if failed:
        raise RuntimeError(
            f"load_state_dict: rank {failed[0][0]} could not read the checkpoint at {path}, so "
            f"no rank loaded it: {failed[0][1]}"
        )
    for t, pieces in plan:
        if pieces is not None:
            _copy_pieces(t._t, pieces)


def _iter_full(path: str, unique_id: int | None) -> Iterator[tuple[tuple, np.ndarray]]:
    meta = dm.load_dist_metadata(_metadata_path(path, unique_id))
    files = _Files(path)
    for key, stored in meta.state_dict_metadata.items():
        gshape = tuple(stored[0].global_shape or stored[0].local_shape)
        dtype = files.array(
            next(f for i, f in meta.storage_metadata.items() if i.tensor_key == key), key
        ).dtype
        full = Tensor(numpy_to_torch(np.zeros(gshape, dtype=dtype)))
        _fill(key, full, meta, files, path)
        yield meta.flat_mapping.get(key, (key,)), torch_to_numpy(full._t)


def merge_checkpoint(path: str, out: str | None = None, unique_id: int | None = None) -> dict:
    """Assemble a distributed checkpoint into one nested dict of full ndarrays, written to
    ``out`` as a plain ``.pdparams`` (loadable by ``paddle.load``) when ``out`` is given.

    >>> import tempfile, paddlefish as paddle, paddlefish.distributed as dist
    >>> d = tempfile.mkdtemp(); dist.save_state_dict({"w": paddle.ones([2])}, d)
    >>> merge_checkpoint(d)["w"]
    array([1., 1.], dtype=float32)
    """
    nested: dict = {}
    for keys, arr in _iter_full(path, unique_id):
        node = nested
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = arr
    if out is not None:
        pdparams.save_pdparams(nested, out)
    return nested
