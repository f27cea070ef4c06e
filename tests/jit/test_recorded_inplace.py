"""NOTE [recorded setitem]: ``x[i] = v`` and in-place methods inside a forward that ``jit.save``
records become ops of the saved program (they were silently dropped before): the loaded model
equals eager paddlefish, and real Paddle 2.6 runs the saved files to the same numbers."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle

SOURCE = """
import paddlefish as paddle


class SetItems(paddle.nn.Layer):
    def forward(self, x):
        y = x * 1.0
        y[:, 0] = 5.0
        y[0] = paddle.full([4], -1.0)
        y[..., 1:3] = x[..., 2:4] * 2
        y[-1, -1] = 7
        return y


class InPlace(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 4)

    def forward(self, x):
        y = self.fc(x)
        y.add_(x)
        y.scale_(0.5)
        z = y
        z.clip_(-0.3, 0.8)
        return y + z


class Both(paddle.nn.Layer):
    def forward(self, x):
        y = paddle.zeros_like(x)
        y[:, 1:] = x[:, :-1]
        y.exp_()
        return y
"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    d = tmp_path_factory.mktemp("inplace")
    (d / "inplace_models.py").write_text(SOURCE)
    import sys

    sys.path.insert(0, str(d))
    try:
        import inplace_models as mods
    finally:
        sys.path.remove(str(d))
    paddle.seed(3)
    x = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    out = {}
    for name in ("SetItems", "InPlace", "Both"):
        net = getattr(mods, name)()
        net.eval()
        want = net(paddle.to_tensor(x)).numpy()
        spec = [paddle.static.InputSpec([None, 4], "float32", "x")]
        paddle.jit.save(net, str(d / name), input_spec=spec)
        out[name] = want
    np.save(d / "x.npy", x)
    return d, x, out


@pytest.mark.parametrize("name", ["SetItems", "InPlace", "Both"])
def test_loaded_program_equals_eager(saved, name):
    d, x, want = saved
    loaded = paddle.jit.load(str(d / name))
    np.testing.assert_allclose(loaded(paddle.to_tensor(x)).numpy(), want[name], rtol=1e-5)
    # a different batch size: the dynamic dimension survived the assignments
    got = loaded(paddle.to_tensor(np.concatenate([x, x]))).numpy()
    assert got.shape == (6, 4)


@pytest.mark.oracle
def test_paddle_2_6_runs_the_saved_assignments(saved):
    d, _, want = saved
    out = run_paddle(
        """
        import json, numpy as np, paddle
        x = np.load("x.npy")
        res = {}
        for name in ("SetItems", "InPlace", "Both"):
            m = paddle.jit.load(name)
            m.eval()
            res[name] = m(paddle.to_tensor(x)).numpy().tolist()
        print("JSON" + json.dumps(res))
        """,
        "2.6",
        cwd=d,
    )
    import json

    theirs = json.loads(out.split("JSON", 1)[1].strip().splitlines()[0])
    for name, w in want.items():
        np.testing.assert_allclose(np.array(theirs[name]), w, rtol=1e-5, atol=1e-6)
