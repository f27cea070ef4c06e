"""Exact resume (issue 3): train N steps, save .pdparams/.pdopt, load into a fresh model and
optimizer (in a fresh process) and train M more == N+M steps without stopping; and the same
across frameworks: real Paddle trains 3 steps and saves, paddlefish continues 3 more and matches
real Paddle's own 6-step run; paddlefish saves after 3, real Paddle continues and matches
paddlefish's 6-step run.

The training code is one source string run unchanged under ``import paddlefish as paddle`` and
under real ``import paddle``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tests.oracle import run_paddle

TRAIN_SRC = r'''
import json, os, sys, warnings
import numpy as np
import paddle

OPTS = ("sgd", "momentum", "adam", "adamw")


class Net(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = paddle.nn.Linear(6, 16)
        self.fc2 = paddle.nn.Linear(16, 3)

    def forward(self, x):
        return self.fc2(paddle.nn.functional.relu(self.fc1(x)))


def make(kind, data):
    net = Net()
    net.set_state_dict({k: paddle.to_tensor(data["init_" + k]) for k in net.state_dict()})
    sched = paddle.optimizer.lr.StepDecay(0.05, step_size=2, gamma=0.5)
    clip = paddle.nn.ClipGradByGlobalNorm(1.0)
    p = net.parameters()
    opt = {
        "sgd": lambda: paddle.optimizer.SGD(sched, parameters=p),
        "momentum": lambda: paddle.optimizer.Momentum(sched, momentum=0.9, parameters=p,
                                                      use_nesterov=True),
        "adam": lambda: paddle.optimizer.Adam(sched, parameters=p, grad_clip=clip),
        "adamw": lambda: paddle.optimizer.AdamW(sched, parameters=p, weight_decay=0.01,
                                                grad_clip=clip),
    }[kind]()
    return net, opt, sched


def train(net, opt, sched, data, start, end):
    losses = []
    for i in range(start, end):
        x = paddle.to_tensor(data["x%d" % i])
        y = paddle.to_tensor(data["y%d" % i])
        loss = paddle.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        opt.clear_grad()
        sched.step()
        losses.append(float(loss))
    return losses


def params(net):
    return {k: v.numpy() for k, v in net.state_dict().items()}


def run(mode, root, kind):
    data = np.load(os.path.join(root, "data.npz"))
    out = {}
    if mode == "full":  # 6 steps without stopping
        net, opt, sched = make(kind, data)
        out["losses"] = train(net, opt, sched, data, 0, 6)
        np.savez(os.path.join(root, kind + "_full_" + TAG + ".npz"), **params(net))
    elif mode == "first":  # 3 steps, then save a checkpoint
        net, opt, sched = make(kind, data)
        out["losses"] = train(net, opt, sched, data, 0, 3)
        paddle.save(net.state_dict(), os.path.join(root, kind + "_" + TAG + ".pdparams"))
        paddle.save(opt.state_dict(), os.path.join(root, kind + "_" + TAG + ".pdopt"))
    else:  # "resume:<tag>": load the other side's checkpoint, 3 more steps
        src = mode.split(":")[1]
        net, opt, sched = make(kind, data)
        net.set_state_dict(paddle.load(os.path.join(root, kind + "_" + src + ".pdparams")))
        opt.set_state_dict(paddle.load(os.path.join(root, kind + "_" + src + ".pdopt")))
        out["losses"] = train(net, opt, sched, data, 3, 6)
        np.savez(os.path.join(root, kind + "_resumed_" + src + "_by_" + TAG + ".npz"),
                 **params(net))
    return out


if __name__ == "__main__":
    mode, root = sys.argv[1], sys.argv[2]
    print(json.dumps({k: run(mode, root, k) for k in OPTS}))
'''

OPTS = ("sgd", "momentum", "adam", "adamw")


def _pf_src():
    return TRAIN_SRC.replace("import paddle\n", "import paddlefish as paddle\nTAG = 'pf'\n", 1)


def _pd_src(version):
    return TRAIN_SRC.replace("import paddle\n", f"import paddle\nTAG = 'pd{version}'\n", 1)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume")
    rng = np.random.default_rng(0)
    data = {"init_fc1.weight": rng.standard_normal((6, 16)).astype("float32") * 0.3,
            "init_fc1.bias": rng.standard_normal(16).astype("float32") * 0.1,
            "init_fc2.weight": rng.standard_normal((16, 3)).astype("float32") * 0.3,
            "init_fc2.bias": np.zeros(3, "float32")}
    for i in range(6):
        data[f"x{i}"] = rng.standard_normal((8, 6)).astype("float32")
        data[f"y{i}"] = rng.standard_normal((8, 3)).astype("float32")
    np.savez(root / "data.npz", **data)
    (root / "train_pf.py").write_text(_pf_src())
    for v in ("2.6", "3.3"):
        (root / f"train_pd{v}.py").write_text(_pd_src(v))
    return root


def _pf(mode, root):
    """paddlefish in a fresh process (the process that resumes after a crash)."""
    r = subprocess.run([sys.executable, str(root / "train_pf.py"), mode, str(root)],
                       capture_output=True, text=True, timeout=600,
                       cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert r.returncode == 0, r.stderr[-4000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def _pd(mode, root, version):
    code = (f"import sys, runpy; sys.argv = ['t', {mode!r}, {str(root)!r}]; "
            f"runpy.run_path({str(root / f'train_pd{version}.py')!r}, run_name='__main__')")
    out = run_paddle(code, version, timeout=600)
    return json.loads(out.strip().splitlines()[-1])


def _params(path):
    d = np.load(path)
    return {k: d[k] for k in d.files}


def test_paddlefish_resume_in_fresh_process_is_exact(root):
    full = _pf("full", root)
    first = _pf("first", root)
    resumed = _pf("resume:pf", root)
    for kind in OPTS:
        # bit-for-bit: the resumed run continues the uninterrupted one exactly
        assert first[kind]["losses"] + resumed[kind]["losses"] == full[kind]["losses"], kind
        a = _params(root / f"{kind}_full_pf.npz")
        b = _params(root / f"{kind}_resumed_pf_by_pf.npz")
        for k in a:
            np.testing.assert_array_equal(a[k], b[k], err_msg=f"{kind} {k}")


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_cross_framework_resume(root, version):
    tag = f"pd{version}"
    pd_full = _pd("full", root, version)
    _pd("first", root, version)
    _pf("first", root)
    pf_full = _pf("full", root)
    pf_resumed = _pf(f"resume:{tag}", root)        # Paddle 3 steps -> paddlefish 3 more
    pd_resumed = _pd("resume:pf", root, version)    # paddlefish 3 steps -> Paddle 3 more
    for kind in OPTS:
        np.testing.assert_allclose(pf_full[kind]["losses"], pd_full[kind]["losses"], rtol=1e-5)
        want = _params(root / f"{kind}_full_{tag}.npz")
        got = _params(root / f"{kind}_resumed_{tag}_by_pf.npz")
        for k in want:
            np.testing.assert_allclose(got[k], want[k], rtol=1e-5, atol=1e-7,
                                       err_msg=f"{kind} {k}: paddlefish resuming Paddle")
        np.testing.assert_allclose(pf_resumed[kind]["losses"], pd_full[kind]["losses"][3:],
                                   rtol=1e-5)
        want = _params(root / f"{kind}_full_pf.npz")
        got = _params(root / f"{kind}_resumed_pf_by_{tag}.npz")
        for k in want:
            np.testing.assert_allclose(got[k], want[k], rtol=1e-5, atol=1e-7,
                                       err_msg=f"{kind} {k}: Paddle resuming paddlefish")
        np.testing.assert_allclose(pd_resumed[kind]["losses"], pf_full[kind]["losses"][3:],
                                   rtol=1e-5)
