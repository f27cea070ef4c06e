"""Helpers for the paddle.save / paddle.load tests."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.eager import Tensor
from paddlefish.optimizer import lr


class Net(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = paddle.nn.Linear(4, 3)
        self.fc2 = paddle.nn.Linear(3, 2)

    def forward(self, x):
        return self.fc2(self.fc1(x))


def named(arr, name: str) -> Tensor:
    t = paddle.to_tensor(arr)
    t.name = name
    return t


def optimizer_like_state(net: paddle.nn.Layer) -> dict:
    """An Adam-shaped state dict (FORMATS.md 1.8): accumulators keyed by name, then LR_Scheduler."""
    rng = np.random.default_rng(1)
    out = {}
    params = [p for _, p in net.named_parameters()]
    for kind in ("moment1", "moment2"):
        for p in params:
            n = f"{p.name}_{kind}_0"
            out[n] = named(rng.standard_normal(p.shape).astype("float32"), n)
    for kind, v in (("beta1_pow_acc", 0.729), ("beta2_pow_acc", 0.997003)):
        for p in params:
            n = f"{p.name}_{kind}_0"
            out[n] = named(np.array([v], "float32"), n)
    sched = lr.StepDecay(0.1, step_size=1, gamma=0.5)
    sched.step()
    sched.step()
    out["LR_Scheduler"] = sched.state_dict()
    return out


def assert_same(a, b, path="<root>"):
    """Structural equality where Tensors compare by name, dtype and exact values."""
    if isinstance(a, Tensor):
        assert isinstance(b, Tensor), f"{path}: {type(b)} is not a Tensor"
        assert a.name == b.name, f"{path}: name {b.name} != {a.name}"
        assert a.dtype == b.dtype, f"{path}: dtype {b.dtype} != {a.dtype}"
        assert a._t.shape == b._t.shape and bool((a._t == b._t).all()), f"{path}: values"
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype, f"{path}: {type(b)}"
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert type(a) is type(b) and list(a) == list(b), f"{path}: keys {list(b)} != {list(a)}"
        for k in a:
            assert_same(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), f"{path}: {b!r:.80}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    else:
        assert type(a) is type(b) and a == b, f"{path}: {b!r} != {a!r}"


@pytest.fixture
def net():
    with paddle._name_guard():
        return Net()
