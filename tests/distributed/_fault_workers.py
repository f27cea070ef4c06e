"""Ranks of the checkpoint fault / async / optimizer tests (run by spawn or the shared pool)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import numpy as np

import paddlefish as paddle
import paddlefish.distributed as dist
from paddlefish.formats import pdparams


def state(n: int, scale: float) -> dict:
    mesh = dist.ProcessMesh(list(range(n)), dim_names=["x"])
    w = np.arange(24, dtype="float32").reshape(8, 3) * scale
    return {
        "w": dist.shard_tensor(paddle.to_tensor(w), mesh, [dist.Shard(0)]),
        "b": dist.shard_tensor(paddle.full([5], scale), mesh, [dist.Replicate()]),
    }


def _dump(out: str, obj) -> None:
    with open(os.path.join(out, f"rank{dist.get_rank()}.json"), "w") as f:
        json.dump(obj, f)


def _die_while_writing(obj, path, protocol=4) -> None:
    # half a shard reaches the disk (as a temporary file, as the atomic writer would leave it)
    with open(path + ".partial", "wb") as f:
        f.write(b"\x80\x04" * 1000)
    os.kill(os.getpid(), signal.SIGKILL)


def _hang_while_writing(obj, path, protocol=4) -> None:
    time.sleep(60)


def fault_in_save(out: str, ck: str, victim: int, how: str, timeout: float) -> None:
    """Save checkpoint 0, then a second one during which rank ``victim`` dies (SIGKILL) or
    hangs while writing its shard; the others record the error they raise."""
    dist.init_parallel_env()
    n = dist.get_world_size()
    dist.save_state_dict(state(n, 1.0), ck, timeout=timeout)
    if dist.get_rank() == victim:
        pdparams.save_pdparams = _die_while_writing if how == "kill" else _hang_while_writing
    t0 = time.monotonic()
    try:
        dist.save_state_dict(state(n, 2.0), ck, timeout=timeout)
        res = {"error": None}
    except Exception as e:  # noqa: BLE001 (the error is the result)
        res = {"error": f"{type(e).__name__}: {e}"}
    res["elapsed"] = time.monotonic() - t0
    _dump(out, res)
    os._exit(0)  # the job is broken: leave without tearing down the process group


# ---- shared-pool workers (return their results) ----------------------------------------------


def save_plain(ck: str, scale: float) -> None:
    dist.save_state_dict(state(dist.get_world_size(), scale), ck)


def load_expecting_error(ck: str) -> str:
    sd = state(dist.get_world_size(), 0.0)
    before = sd["w"]._local_value().numpy().copy()
    try:
        dist.load_state_dict(sd, ck, timeout=20)
    except Exception as e:  # noqa: BLE001 (the error is the result)
        untouched = np.array_equal(sd["w"]._local_value().numpy(), before)
        return f"{type(e).__name__}: {e} | untouched={untouched}"
    return "no error"


def async_save(ck: str) -> dict:
    """async_save: returns after the snapshot; the metadata appears only after every rank wrote;
    updates after the call do not reach the file."""
    n, rank = dist.get_world_size(), dist.get_rank()
    sd = state(n, 3.0)
    gate = threading.Event()
    real = pdparams.save_pdparams
    if rank == n - 1:  # the last rank's writer waits until we have looked at the directory

        def slow(obj, path, protocol=4):
            gate.wait(30)
            real(obj, path, protocol)

        pdparams.save_pdparams = slow
    try:
        t0 = time.monotonic()
        dist.save_state_dict(sd, ck, async_save=True)
        returned = time.monotonic() - t0
        with paddle.no_grad():
            sd["w"]._t.add_(1000.0)  # after the snapshot: must not reach the checkpoint
            sd["b"]._t.add_(1000.0)
        meta_early = os.path.exists(os.path.join(ck, "0.metadata"))
        dist.barrier()  # training goes on with collectives while the save runs
        gate.set()
        dist.clear_async_save_task_queue()
        meta_late = os.path.exists(os.path.join(ck, "0.metadata"))
    finally:
        pdparams.save_pdparams = real
    return {"meta_early": meta_early, "meta_late": meta_late, "returned": returned}


# ---- sharded training + optimizer state ------------------------------------------------------


def column_parallel(n: int, seed: int = 7):
    """A Linear(4, 6) whose weight is Shard(1) and bias Shard(0) over ``n`` ranks, with Adam."""
    mesh = dist.ProcessMesh(list(range(n)), dim_names=["mp"])
    paddle.seed(seed)
    net = paddle.nn.Linear(4, 6)

    def shard_fn(name, sub, mesh):
        if isinstance(sub, paddle.nn.Linear):
            sub.weight = dist.shard_tensor(sub.weight, mesh, [dist.Shard(1)])
            sub.bias = dist.shard_tensor(sub.bias, mesh, [dist.Shard(0)])

    net = dist.shard_layer(net, mesh, shard_fn)
    opt = dist.shard_optimizer(paddle.optimizer.Adam(0.05, parameters=net.parameters()))
    return net, opt


def train_data():
    rng = np.random.RandomState(3)
    return rng.randn(5, 4).astype("float32"), rng.randn(5, 6).astype("float32")


def train_local(net, opt, steps: int, col: tuple[int, int]) -> None:
    """Steps of loss = sum((y - t)^2) over this rank's columns (the total over ranks is the
    full loss, so each slice gets its slice of the full gradient)."""
    x, t = train_data()
    for _ in range(steps):
        y = net(paddle.to_tensor(x))
        loss = ((y - paddle.to_tensor(t[:, col[0] : col[1]])) ** 2).sum()
        loss.backward()
        opt.step()
        opt.clear_grad()


def _cols(net) -> tuple[int, int]:
    off = net.weight.global_offset[1]
    return off, off + net.weight._local_value().shape[1]


def train_and_save(ck: str, steps: int) -> dict:
    with paddle.utils.unique_name.guard():  # the same names in every run of the pool
        net, opt = column_parallel(dist.get_world_size())
        train_local(net, opt, steps, _cols(net))
        sd = opt.state_dict()
    dist.save_state_dict({"model": net.state_dict(), "opt": sd}, ck, async_save=True)
    dist.clear_async_save_task_queue()
    return {
        "opt_keys": sorted(sd),
        "moment_types": sorted({type(v).__name__ for k, v in sd.items() if "moment" in k}),
    }


def load_and_continue(ck: str, steps: int) -> dict:
    with paddle.utils.unique_name.guard():
        net, opt = column_parallel(dist.get_world_size(), seed=99)  # the load decides
        sd = {"model": net.state_dict(), "opt": opt.state_dict()}
    dist.load_state_dict(sd, ck)
    train_local(net, opt, steps, _cols(net))
    return {
        "col": list(_cols(net)),
        "w": net.weight._local_value().numpy().tolist(),
        "b": net.bias._local_value().numpy().tolist(),
    }


def save_on_sub_group(ck: str) -> bool:
    """Ranks 0 and 1 of the job save with process_group=new_group([0, 1]); 2 and 3 do not."""
    sub = dist.new_group([0, 1])
    if dist.get_rank() in (0, 1):
        dist.save_state_dict(state(2, 4.0), ck, process_group=sub)
        sd = state(2, 0.0)
        dist.load_state_dict(sd, ck, process_group=sub)
        return bool(np.array_equal(sd["b"]._local_value().numpy(), np.full(5, 4.0)))
    return True
