"""A checkpoint step's state files are ordinary Paddle files: real Paddle 2.6 and 3.3
``paddle.load`` each one, ``set_state_dict`` them into the same network, optimizer, LR scheduler
and ``paddle.amp.GradScaler``, train one more step, and get the same numbers as paddlefish
continuing from the same step."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.checkpoint import CheckpointManager
from tests.oracle import require, run_paddle

BUILD = """
net = paddle.nn.Sequential(paddle.nn.Linear(4, 8), paddle.nn.ReLU(), paddle.nn.Linear(8, 2))
sched = paddle.optimizer.lr.StepDecay(0.1, step_size=2, gamma=0.5)
opt = paddle.optimizer.Adam(sched, parameters=net.parameters())
"""

STEP = """
def one_step(net, opt, sched, x):
    loss = net(paddle.to_tensor(x)).square().mean()
    loss.backward()
    opt.step()
    opt.clear_grad()
    sched.step()
    return float(loss)
"""

ORACLE = (
    "import json, numpy as np, paddle\n"
    + STEP
    + BUILD
    + """
d = "ck/step_3"
net.set_state_dict(paddle.load(d + "/model.pdparams"))
opt.set_state_dict(paddle.load(d + "/optimizer.pdopt"))
sched.set_state_dict(paddle.load(d + "/lr_scheduler.pdopt"))
sc = paddle.load(d + "/scaler.pdopt")  # a GradScaler on CPU is disabled: read the dict itself
scaler = paddle.amp.GradScaler(init_loss_scaling=1.0)
scaler.load_state_dict(sc)
x = np.load("x.npy")
loss = one_step(net, opt, sched, x)
out = {"loss": loss, "lr": sched.get_lr(), "last_epoch": sched.last_epoch,
       "scale": float(np.asarray(sc["scale"]).reshape(-1)[0]), "incr_count": sc["incr_count"],
       "scaler_keys": sorted(sc),
       "params": {k: v.numpy().tolist() for k, v in net.state_dict().items()}}
print(json.dumps(out))
"""
)

SCALER_STATE = {
    "scale": np.array([256.0], np.float32),
    "incr_ratio": 2.0,
    "decr_ratio": 0.5,
    "incr_every_n_steps": 1000,
    "decr_every_n_nan_or_inf": 2,
    "incr_count": 17,
    "decr_count": 0,
    "use_dynamic_loss_scaling": True,
}


class Scaler:
    """The state a Paddle GradScaler has (paddlefish has no AMP scaler yet)."""

    def state_dict(self):
        return dict(SCALER_STATE)


@pytest.mark.oracle
def test_real_paddle_opens_every_state_file(tmp_path):
    require("2.6")
    require("3.3")
    ns: dict = {"paddle": paddle}
    exec(STEP, ns)  # noqa: S102 - the same source real Paddle runs
    rs = np.random.RandomState(0)
    with paddle.utils.unique_name.guard():
        exec(BUILD, ns)  # noqa: S102
        net, opt, sched = ns["net"], ns["opt"], ns["sched"]
        for _ in range(3):
            ns["one_step"](net, opt, sched, rs.randn(5, 4).astype("float32"))
    mgr = CheckpointManager(tmp_path / "ck")
    mgr.save(3, model=net, optimizer=opt, lr_scheduler=sched, scaler=Scaler())
    x = rs.randn(5, 4).astype("float32")
    np.save(tmp_path / "x.npy", x)
    loss = ns["one_step"](net, opt, sched, x)
    mine = {k: v.numpy() for k, v in net.state_dict().items()}
    for version in ("2.6", "3.3"):
        got = json.loads(run_paddle(ORACLE, version, cwd=tmp_path).strip().splitlines()[-1])
        assert got["loss"] == pytest.approx(loss, rel=1e-6), version
        assert got["lr"] == sched.get_lr() and got["last_epoch"] == sched.last_epoch
        assert (got["scale"], got["incr_count"]) == (256.0, 17)
        assert got["scaler_keys"] == sorted(SCALER_STATE)
        assert sorted(got["params"]) == sorted(mine)
        for k, v in mine.items():
            np.testing.assert_allclose(np.array(got["params"][k]), v, rtol=1e-5, atol=1e-7)
