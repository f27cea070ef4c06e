"""Layer base behaviour, Paddle's parameter names in a fresh process, default initializers."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import ROOT, run_paddle

NAMES = r"""
import json
import {mod} as paddle
nn = paddle.nn
class Block(nn.Layer):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(3, 4, 3)
        self.bn = nn.BatchNorm2D(4)
        self.old = nn.BatchNorm(4)
        self.ln = nn.LayerNorm(4)
        self.gn = nn.GroupNorm(2, 4)
        self.inorm = nn.InstanceNorm2D(4)
        self.prelu = nn.PReLU(4)
        self.emb = nn.Embedding(7, 4)
        self.up = nn.Conv2DTranspose(4, 2, 3)
        self.c1 = nn.Conv1D(2, 2, 3)
class Net(nn.Layer):
    def __init__(self):
        super().__init__()
        self.blocks = nn.LayerList([Block(), Block()])
        self.head = nn.Sequential(nn.Linear(4, 2), nn.ReLU(), nn.Dropout())
net = Net()
print(json.dumps([[k, v.name, list(v.shape), bool(v.stop_gradient)]
                  for k, v in net.state_dict().items()]))
"""


@pytest.mark.oracle
def test_names_shapes_and_keys_match_paddle_in_fresh_process():
    theirs = json.loads(run_paddle(NAMES.format(mod="paddle"), "2.6").strip().splitlines()[-1])
    r = subprocess.run(
        [sys.executable, "-c", NAMES.format(mod="paddlefish")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    ours = json.loads(r.stdout.strip().splitlines()[-1])
    assert ours == theirs


INIT = r"""
import json, numpy as np
import {mod} as paddle
nn = paddle.nn
res = {{}}
for name, layer in [('linear', nn.Linear(400, 300)), ('conv', nn.Conv2D(64, 128, 3)),
                    ('emb', nn.Embedding(1000, 64)), ('convT', nn.Conv2DTranspose(64, 32, 3)),
                    ('prelu', nn.PReLU(8)), ('bn', nn.BatchNorm2D(8))]:
    for k, v in layer.state_dict().items():
        a = v.numpy().astype('float64')
        res[name + '.' + k] = [float(a.mean()), float(a.std()), float(a.min()), float(a.max())]
print(json.dumps(res))
"""


@pytest.mark.oracle
def test_default_initializer_statistics_close_to_paddle():
    theirs = json.loads(run_paddle(INIT.format(mod="paddle"), "2.6").strip().splitlines()[-1])
    r = subprocess.run(
        [sys.executable, "-c", INIT.format(mod="paddlefish")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    ours = json.loads(r.stdout.strip().splitlines()[-1])
    assert sorted(ours) == sorted(theirs)
    for k, (m, s, lo, hi) in theirs.items():
        om, os_, olo, ohi = ours[k]
        assert abs(om - m) < 0.01 + 0.05 * s, (k, ours[k], theirs[k])
        assert abs(os_ - s) <= 0.05 * s + 1e-7, (k, ours[k], theirs[k])
        if s == 0:
            assert (olo, ohi) == (lo, hi), k


class Net(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = paddle.nn.Linear(2, 3)
        self.fc2 = paddle.nn.Linear(3, 2)
        self.register_buffer("tmp", paddle.ones([2]), persistable=False)
        self.register_buffer("keep", paddle.zeros([2]))

    def forward(self, x):
        return self.fc2(self.fc1(x))


def test_hooks_sublayers_buffers_apply_and_to():
    net = Net()
    seen = []
    h = net.register_forward_pre_hook(lambda layer, inp: seen.append("pre"))
    net.register_forward_post_hook(lambda layer, inp, out: paddle.scale(out, 0.0))
    out = net(paddle.ones([1, 2]))
    assert seen == ["pre"] and float(out.abs().sum()) == 0.0
    h.remove()
    net(paddle.ones([1, 2]))
    assert seen == ["pre"]
    assert [n for n, _ in net.named_sublayers()] == ["fc1", "fc2"]
    assert list(net.state_dict()) == ["keep", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    visited = []
    net.apply(lambda layer: visited.append(type(layer).__name__))
    assert visited == ["Linear", "Linear", "Net"]
    net.to(dtype="float64")
    assert net.fc1.weight.dtype == paddle.float64


def test_set_state_dict_missing_unexpected_and_dtype():
    net = Net()
    sd = {k: v.numpy() for k, v in net.state_dict().items()}
    sd["fc2.bias"] = np.zeros([5], "float32")
    sd["extra"] = np.zeros([1], "float32")
    del sd["fc1.bias"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        missing, unexpected = net.set_state_dict(sd)
    assert missing == ["fc1.bias", "fc2.bias"]
    assert unexpected == ["fc2.bias", "extra"]
    with pytest.raises(TypeError, match="fc1.weight.*float64"):
        net.set_state_dict({"fc1.weight": np.zeros([2, 3], "float64")})


def test_batchnorm_eval_uses_running_stats():
    bn = paddle.nn.BatchNorm1D(2)
    bn.eval()
    x = paddle.to_tensor([[1.0, 2.0], [3.0, 6.0]])
    np.testing.assert_allclose(bn(x).numpy(), x.numpy() / np.sqrt(1 + 1e-5), rtol=1e-6)
    assert bn._mean.stop_gradient and not bn._mean.trainable
