"""The distributed checkpoint: ``save_state_dict`` / ``load_state_dict`` in Paddle 3.x's layout.

A checkpoint directory holds ``{rank}_{id}.distcp`` (each rank's own slices, a ``paddle.save``
pickle of ``{flat_key: ndarray}``) and ``{id}.metadata`` (formats/dist_metadata.py). Loading reads
the slices that overlap the target's own slice straight from the files, so any layout loads into
any other (a shared file system is assumed: every rank can read every file).

NOTE [checkpoint commit order]: Paddle writes the metadata first. paddlefish writes it last: the
coordinator first removes an old ``{id}.metadata`` of the same id, all ranks write their
``.distcp`` atomically, a barrier, then the coordinator writes the metadata atomically, and a final
barrier. A crash at any instant leaves a checkpoint that is complete, or absent (no metadata), never
a metadata that names files of another save. Saving under a new ``unique_id`` (or path) keeps the
previous checkpoint loadable throughout.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

from ..eager import Tensor
from ..eager._dtype import numpy_to_torch, torch_to_numpy
from ..errors import FormatError
from ..formats import dist_metadata as dm
from ..formats import pdparams
from ._collective import all_gather_object
from ._group import Group, barrier, get_rank, get_world_size, is_initialized
from ._sharding import DistTensor

__all__ = ["load_state_dict", "merge_checkpoint", "save_state_dict"]

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
    return get_world_size() > 1 and is_initialized()


def _gather(obj: Any, use_dist: bool, group: Group | None) -> list:
    if not use_dist:
        return [obj]
    out: list = []
    all_gather_object(out, obj, group)
    return out


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


def save_state_dict(
    state_dict: dict,
    path: str,
    process_group: Group | None = None,
    coordinator_rank: int = 0,
    unique_id: int | None = None,
    async_save: bool = False,
    safetensors: bool = False,
    save_replicas: bool = False,
) -> None:
    """Save a (possibly sharded) state dict to the directory ``path``; every rank of the group
    calls it and writes only its own slices (see NOTE [checkpoint commit order]).

    >>> import tempfile, paddlefish as paddle, paddlefish.distributed as dist
    >>> d = tempfile.mkdtemp()
    >>> dist.save_state_dict({"w": paddle.ones([2, 3])}, d)
    >>> sorted(os.listdir(d))
    ['0.metadata', '0_0.distcp']
    """
    if async_save or safetensors or save_replicas:
        raise NotImplementedError(
            "save_state_dict: async_save, safetensors and save_replicas are not implemented in "
            "paddlefish; call it with the defaults (a synchronous .distcp save)."
        )
    flat, mapping = _flatten(state_dict, "save_state_dict")
    os.makedirs(path, exist_ok=True)
    use_dist = _use_dist(process_group)
    rank = get_rank()
    if unique_id is None:
        unique_id = _gather(_max_id(path, _DISTCP, 2), use_dist, process_group)[0]
    fname = f"{rank}_{unique_id}.distcp"
    local, metas, storage = {}, {}, {}
    for key, t in flat.items():
        where = _slice_of(t)
        if where is None:
            continue
        off, lshape, gshape = where
        local[key] = t
        metas[key] = dm.LocalTensorMetadata(off, lshape, _dtype_name(t), gshape)
        storage[dm.LocalTensorIndex(key, off, local_shape=lshape)] = fname
    meta = dm.Metadata(
        _merge_metadata(_gather(metas, use_dist, process_group)),
        _balanced_storage(_gather(storage, use_dist, process_group)),
        {},
    )
    for m in _gather(mapping, use_dist, process_group):
        for k, v in m.items():
            meta.flat_mapping.setdefault(k, v)
    mine = {idx.tensor_key for idx, f in meta.storage_metadata.items() if f == fname}
    arrays = {k: torch_to_numpy(t._t.detach().cpu()) for k, t in local.items() if k in mine}
    names = {k: local[k].name for k in arrays}
    meta_path = os.path.join(path, f"{unique_id}.metadata")
    is_coord = rank == coordinator_rank
    if is_coord and os.path.exists(meta_path):
        os.remove(meta_path)
    if use_dist:
        barrier(process_group)
    pdparams.save_pdparams(pdparams.encode_state_dict(arrays, names), os.path.join(path, fname))
    if use_dist:
        barrier(process_group)
    if is_coord:
        dm.save_dist_metadata(meta, meta_path)
    if use_dist:
        barrier(process_group)


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
                self.cache[fname] = pdparams.load_pdparams(full)
            except FormatError as e:
                raise FormatError(
                    f"load_state_dict: shard file {full} (needed for {key!r}) is damaged: {e}"
                ) from None
        arr = self.cache[fname].get(key) if isinstance(self.cache[fname], dict) else None
        if not isinstance(arr, np.ndarray):
            raise FormatError(
                f"load_state_dict: shard file {os.path.join(self.path, fname)} has no array for "
                f"{key!r} although the metadata says it does; the checkpoint is damaged."
            )
        return arr


def _fill(key: str, t: Tensor, meta: dm.Metadata, files: _Files, path: str) -> None:
    where = _slice_of(t)
    if where is None:
        return
    off, lshape, gshape = where
    stored = meta.state_dict_metadata[key]
    if stored and stored[0].global_shape is not None and tuple(stored[0].global_shape) != gshape:
        raise ValueError(
            f"load_state_dict: {key!r} has global shape {list(gshape)} in the target but "
            f"{list(stored[0].global_shape)} in the checkpoint at {path}."
        )
    target = torch.empty(lshape, dtype=t._t.dtype)
    covered = np.zeros(lshape, dtype=bool)
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
        target[ov[0]] = numpy_to_torch(np.ascontiguousarray(src[ov[1]])).to(t._t.dtype)
        covered[ov[0]] = True
    if not covered.all():
        raise FormatError(
            f"load_state_dict: the checkpoint at {path} does not cover all of {key!r} (target "
            f"slice at offset {list(off)}, shape {list(lshape)}); a shard file is missing from "
            "its metadata."
        )
    with torch.no_grad():
        t._t.copy_(target.to(t._t.device))


def _shape_from(stored: list, idx: dm.LocalTensorIndex) -> tuple[int, ...]:
    for m in stored:
        if tuple(m.global_offset) == tuple(idx.global_offset):
            return tuple(m.local_shape)
    raise FormatError(f"metadata: no local shape for {idx}")


def _metadata_path(path: str, unique_id: int | None) -> str:
    if not os.path.isdir(path):
        raise FileNotFoundError(f"load_state_dict: checkpoint directory {path} does not exist.")
    if unique_id is None:
        unique_id = _max_id(path, _DISTCP, 2)
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
    **unsupported: Any,
) -> None:
    """Fill ``state_dict``'s tensors in place from the checkpoint at ``path``, whatever layout it
    was saved with (each rank reads the slices overlapping its own).

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
    meta = dm.load_dist_metadata(_metadata_path(path, unique_id))
    missing = [k for k in flat if k not in meta.state_dict_metadata]
    if missing:
        raise KeyError(
            f"load_state_dict: keys {missing} are not in the checkpoint at {path} (it has "
            f"{sorted(meta.state_dict_metadata)[:20]}); rename them or load a matching checkpoint."
        )
    files = _Files(path)
    for key, t in flat.items():
        _fill(key, t, meta, files, path)
    if _use_dist(process_group):
        barrier(process_group)


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
