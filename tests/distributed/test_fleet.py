"""``paddle.distributed.fleet`` in collective mode (NOTE [fleet collective]): a fleet training
script on 2 real gloo ranks equals one process on the whole batch; the strategy's defaults and
keys are Paddle 2.6's; what is not built says so."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.distributed import fleet
from tests.oracle import run_paddle

from . import _workers
from .test_distributed import _results


def test_fleet_data_parallel_matches_single_process(tmp_path, pools):
    steps = 3
    pools(2).run(_workers.fleet_data_parallel, str(tmp_path), steps)
    res = _results(tmp_path, 2)
    # one process, the whole global batch, the same steps
    model = _workers._net(seed=100)
    opt = paddle.optimizer.Adam(learning_rate=0.01, parameters=model.parameters())
    x, y = _workers.data()
    _workers.train_steps(model, opt, x, y, steps)
    want = {k: v.numpy() for k, v in model.state_dict().items()}
    for rank, got in enumerate(res):
        assert list(got["params"]) == list(want)
        for k, v in want.items():
            np.testing.assert_allclose(np.array(got["params"][k]), v, rtol=1e-5, atol=1e-7)
        # accumulator names carry the process's unique-name counters: compare their kinds
        kinds = sorted(k.split("_", 2)[-1] for k in opt.state_dict())
        assert sorted(k.split("_", 2)[-1] for k in got["opt_keys"]) == kinds
        assert got["hcg"] == [2, rank, 1, rank == 0]


def test_single_process_fleet_and_refusals():
    fleet.init(is_collective=True)
    net = paddle.nn.Linear(2, 2)
    assert fleet.distributed_model(net) is net  # one process: the layer itself, as Paddle
    opt = paddle.optimizer.SGD(0.1, parameters=net.parameters())
    assert fleet.distributed_optimizer(opt) is opt
    s = fleet.DistributedStrategy()
    s.hybrid_configs = {"mp_degree": 2}
    with pytest.raises(NotImplementedError, match="hybrid parallelism"):
        fleet.init(is_collective=True, strategy=s)
    with pytest.raises(NotImplementedError, match="parameter-server mode"):
        fleet.init()
    with pytest.raises(ValueError, match="unknown keys"):
        s.amp_configs = {"no_such_key": 1}
    with pytest.raises(TypeError, match="takes a bool"):
        s.amp = "yes"
    with pytest.raises(NotImplementedError, match="tensor and pipeline parallelism"):
        fleet.meta_parallel  # noqa: B018


@pytest.mark.oracle
def test_strategy_defaults_are_paddles(tmp_path):
    out = run_paddle(
        f"""
        import json
        from paddle.distributed import fleet
        s = fleet.DistributedStrategy()
        names = {sorted(fleet._strategy._FLAGS)!r}
        print("JSON" + json.dumps({{n: getattr(s, n) for n in names}}))
        """,
        "2.6",
        cwd=tmp_path,
    )
    import json

    theirs = json.loads(out.split("JSON", 1)[1].strip().splitlines()[0])
    ours = {n: getattr(fleet.DistributedStrategy(), n) for n in theirs}
    assert ours == theirs
