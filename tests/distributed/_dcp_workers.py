"""Functions run by ``paddle.distributed.spawn`` in the distributed-checkpoint tests."""

from __future__ import annotations

import json
import os

import numpy as np

import paddlefish as paddle
import paddlefish.distributed as dist


def full_values() -> dict[str, np.ndarray]:
    """The global values every test saves (same on every rank)."""
    return {
        "w": np.arange(60, dtype="float32").reshape(10, 6),
        "b": np.arange(7, dtype="float32") * 0.5,
        "opt.m": (np.arange(30, dtype="float32").reshape(5, 6) - 9.0),
        "opt.step": np.array([3, 4, 5], dtype="int64"),
    }


def _state(n: int, dim: int, zeros: bool) -> dict:
    mesh = dist.ProcessMesh(list(range(n)), dim_names=["x"])
    v = {k: (np.zeros_like(a) if zeros else a) for k, a in full_values().items()}
    sh = lambda a: dist.shard_tensor(paddle.to_tensor(a), mesh, [dist.Shard(dim)])
    rep = lambda a: dist.shard_tensor(paddle.to_tensor(a), mesh, [dist.Replicate()])
    return {
        "w": sh(v["w"]),
        "b": rep(v["b"]),
        "opt": {"m": sh(v["opt.m"]), "step": rep(v["opt.step"])},
    }


def _dump(out: str, obj) -> None:
    with open(os.path.join(out, f"rank{dist.get_rank()}.json"), "w") as f:
        json.dump(obj, f)


def _locals(sd: dict) -> dict:
    return {
        "w": [sd["w"].global_offset, sd["w"]._local_value().numpy().tolist()],
        "b": sd["b"]._local_value().numpy().tolist(),
        "opt.m": [sd["opt"]["m"].global_offset, sd["opt"]["m"]._local_value().numpy().tolist()],
        "opt.step": sd["opt"]["step"]._local_value().numpy().tolist(),
    }


def save(out: str, ck: str, dim: int) -> None:
    dist.init_parallel_env()
    n = dist.get_world_size()
    sd = _state(n, dim, zeros=False)
    dist.save_state_dict(sd, ck)
    # reshard to the other dim and back: values follow
    mesh = sd["w"].process_mesh
    other = dist.reshard(sd["w"], mesh, [dist.Shard(1 - dim)])
    back = dist.reshard(other, mesh, [dist.Replicate()])
    _dump(
        out,
        {
            "shape": sd["w"].shape,
            "local_shape": sd["w"]._local_value().shape,
            "reshard": [other.global_offset, other._local_value().numpy().tolist()],
            "replicated": back._local_value().numpy().tolist(),
        },
    )


def load(out: str, ck: str, dim: int) -> None:
    dist.init_parallel_env()
    sd = _state(dist.get_world_size(), dim, zeros=True)
    dist.load_state_dict(sd, ck)
    _dump(out, _locals(sd))
