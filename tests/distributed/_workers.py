"""Functions run by ``paddle.distributed.spawn`` in the multi-process tests (importable by name).

Each writes what it observed to ``{out}/rank{r}.json`` for the test process to check.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np

import paddlefish as paddle
import paddlefish.distributed as dist


def _dump(out: str, obj) -> None:
    with open(os.path.join(out, f"rank{dist.get_rank()}.json"), "w") as f:
        json.dump(obj, f)


def collectives(out: str) -> None:
    dist.init_parallel_env()
    r, n = dist.get_rank(), dist.get_world_size()
    res: dict = {"rank": r, "world": n, "initialized": dist.is_initialized()}
    env = dist.ParallelEnv()
    res["env"] = [env.rank, env.world_size, env.current_endpoint, env.trainer_endpoints]
    base = lambda: paddle.to_tensor(np.array([r + 1.0, 2.0 * (r + 1)], dtype="float32"))
    for name, op in [
        ("sum", dist.ReduceOp.SUM),
        ("max", dist.ReduceOp.MAX),
        ("min", dist.ReduceOp.MIN),
        ("prod", dist.ReduceOp.PROD),
        ("avg", dist.ReduceOp.AVG),
    ]:
        t = base()
        assert dist.all_reduce(t, op=op) is None
        res["all_reduce_" + name] = t.numpy().tolist()
    t = base()
    task = dist.all_reduce(t, sync_op=False)
    task.wait()
    res["all_reduce_async"] = t.numpy().tolist()
    t = paddle.to_tensor(np.full([3], 10.0 * r, dtype="float32"))
    dist.broadcast(t, src=n - 1)
    res["broadcast"] = t.numpy().tolist()
    gathered: list = []
    dist.all_gather(gathered, paddle.to_tensor(np.array([r, r * r], dtype="int64")))
    res["all_gather"] = [g.numpy().tolist() for g in gathered]
    objs: list = []
    dist.all_gather_object(objs, {"rank": r, "name": f"w{r}"})
    res["all_gather_object"] = objs
    t = base()
    dist.reduce(t, dst=0)
    if r == 0:
        res["reduce"] = t.numpy().tolist()
    t = paddle.to_tensor(np.zeros([2], dtype="float32"))
    chunks = [paddle.to_tensor(np.array([i, 100 + i], dtype="float32")) for i in range(n)]
    dist.scatter(t, chunks if r == 0 else None, src=0)
    res["scatter"] = t.numpy().tolist()
    sub = dist.new_group([n - 1, 0])
    res["sub"] = [sub.rank, sub.nranks, sub.ranks, sub.is_member()]
    t = base()
    dist.all_reduce(t, group=sub)
    res["sub_all_reduce"] = t.numpy().tolist()
    p = paddle.create_parameter([2], "float32")  # in place on a trainable parameter too
    p.set_value(np.array([1.0, 1.0], dtype="float32"))
    dist.all_reduce(p)
    res["param_all_reduce"] = p.numpy().tolist()
    dist.barrier()
    _dump(out, res)


def _net(seed: int):
    paddle.seed(seed)
    return paddle.nn.Sequential(paddle.nn.Linear(6, 16), paddle.nn.Tanh(), paddle.nn.Linear(16, 3))


def data(n: int = 8):
    rng = np.random.RandomState(0)
    return rng.randn(n, 6).astype("float32"), rng.randn(n, 3).astype("float32")


def train_steps(model, opt, x, y, steps: int) -> None:
    for _ in range(steps):
        loss = paddle.nn.functional.mse_loss(model(paddle.to_tensor(x)), paddle.to_tensor(y))
        loss.backward()
        opt.step()
        opt.clear_grad()


def data_parallel(out: str, steps: int, comm_buffer_size: float) -> None:
    dist.init_parallel_env()
    r, n = dist.get_rank(), dist.get_world_size()
    net = _net(seed=100 + r)  # different on each rank: DataParallel must broadcast rank 0's
    model = dist.DataParallel(net, comm_buffer_size=comm_buffer_size, last_comm_buffer_size=0)
    opt = paddle.optimizer.Adam(learning_rate=0.01, parameters=model.parameters())
    x, y = data()
    sampler = paddle.io.DistributedBatchSampler(range(len(x)), batch_size=len(x) // n)
    (idx,) = list(sampler)
    train_steps(model, opt, x[idx], y[idx], steps)
    # no_sync: two micro-batches, the first without communication
    half = len(idx) // 2
    with model.no_sync():
        loss = paddle.nn.functional.mse_loss(
            model(paddle.to_tensor(x[idx[:half]])), paddle.to_tensor(y[idx[:half]])
        )
        (loss * 0.5).backward()
    local = [p.grad.numpy().tolist() for p in model.parameters()]
    loss = paddle.nn.functional.mse_loss(
        model(paddle.to_tensor(x[idx[half:]])), paddle.to_tensor(y[idx[half:]])
    )
    (loss * 0.5).backward()
    opt.step()
    opt.clear_grad()
    res = {
        "keys": list(model.state_dict()),
        "inner_keys": list(net.state_dict()),
        "params": {k: v.numpy().tolist() for k, v in model.state_dict().items()},
        "no_sync_grads": local,
        "n_buckets": len(model._reducer.buckets),
    }
    _dump(out, res)


def dies_in_collective(out: str) -> None:
    dist.init_parallel_env()
    if dist.get_rank() == 1:
        os._exit(0)  # vanish without a traceback: only rank 0's own error can report it
    t = paddle.to_tensor(np.ones([4], dtype="float32"))
    time.sleep(0.5)
    dist.all_reduce(t)


def never_arrives(out: str) -> None:
    if dist.get_rank() == 1:
        time.sleep(60)
        return
    dist.init_parallel_env()


def fleet_data_parallel(out: str, steps: int) -> None:
    # a Paddle 2.x fleet script: init, distributed_model/optimizer, the rank's share of the batch
    from paddlefish.distributed import fleet

    strategy = fleet.DistributedStrategy()
    strategy.fuse_grad_size_in_MB = 1
    fleet.init(is_collective=True, strategy=strategy)
    r, n = fleet.worker_index(), fleet.worker_num()
    net = _net(seed=100 + r)  # different on each rank: the wrapper broadcasts rank 0's
    model = fleet.distributed_model(net)
    opt = fleet.distributed_optimizer(
        paddle.optimizer.Adam(learning_rate=0.01, parameters=model.parameters())
    )
    x, y = data()
    sampler = paddle.io.DistributedBatchSampler(range(len(x)), batch_size=len(x) // n)
    (idx,) = list(sampler)
    train_steps(model, opt, x[idx], y[idx], steps)
    hcg = fleet.get_hybrid_communicate_group()
    _dump(
        out,
        {
            "params": {k: v.numpy().tolist() for k, v in model.state_dict().items()},
            "opt_keys": sorted(opt.state_dict()),
            "hcg": [
                hcg.get_data_parallel_world_size(),
                hcg.get_data_parallel_rank(),
                hcg.get_model_parallel_world_size(),
                fleet.is_first_worker(),
            ],
        },
    )
