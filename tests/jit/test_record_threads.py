"""Recording is per thread (NOTE [thread-local recording] in eager/dispatch.py).

One thread runs ``jit.save`` while others run eager ops at the same time: the saved program holds
exactly the saving thread's ops (byte-equal to a save done alone) and the eager threads always get
correct concrete tensors, never static Variables.
"""

from __future__ import annotations

import sys
import threading

import numpy as np

import paddlefish as paddle
from paddlefish.eager.dispatch import get_recorder
from paddlefish.jit.variable import Variable
from paddlefish.static import InputSpec


class Net(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = paddle.nn.Linear(8, 16)
        self.fc2 = paddle.nn.Linear(16, 4)

    def forward(self, x):
        h = paddle.nn.functional.relu(self.fc1(x))
        for _ in range(6):  # a longer program: more chances for the threads to interleave
            h = paddle.tanh(h) * 0.5 + h
        return paddle.nn.functional.softmax(self.fc2(h))


SPEC = [InputSpec([-1, 8], "float32", "x")]


def _eager_worker(stop: threading.Event, started: threading.Event, report: dict):
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((5, 3)).astype("float32")
    b_np = rng.standard_normal((3, 2)).astype("float32")
    want = a_np @ b_np * 2.0 + 1.0
    a, b = paddle.to_tensor(a_np), paddle.to_tensor(b_np)
    n, bad = 0, []
    try:
        while not stop.is_set() or n < 20:
            out = paddle.matmul(a, b) * 2.0 + 1.0
            s = paddle.nn.functional.relu(out).sum()
            if get_recorder() is not None or isinstance(out, Variable) or isinstance(s, Variable):
                bad.append(f"iteration {n}: got a static value {out!r}")
            elif not np.allclose(out.numpy(), want, rtol=1e-5, atol=1e-6):
                bad.append(f"iteration {n}: wrong eager result")
            n += 1
            report["live"] = n
            started.set()
    except Exception as e:  # a Variable reaching .numpy() raises: report it, do not hang
        bad.append(f"iteration {n}: {type(e).__name__}: {e}")
        started.set()
    report["n"], report["bad"] = n, bad


def _save_in_thread(layer, prefix):
    err = []

    def target():
        try:
            paddle.jit.save(layer, prefix, input_spec=SPEC)
        except Exception as e:
            err.append(e)

    t = threading.Thread(target=target)
    t.start()
    t.join(timeout=120)
    assert not t.is_alive(), "jit.save thread hung"
    if err:
        raise err[0]


def test_save_in_one_thread_never_records_another_threads_eager_ops(tmp_path):
    paddle.seed(3)
    layer = Net()
    paddle.jit.save(layer, str(tmp_path / "alone"), input_spec=SPEC)
    alone = (tmp_path / "alone.pdmodel").read_bytes()

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        stop, started, report = threading.Event(), threading.Event(), {}
        worker = threading.Thread(target=_eager_worker, args=(stop, started, report))
        worker.start()
        assert started.wait(60)
        saves, before = 3, report["live"]
        for k in range(saves):
            _save_in_thread(layer, str(tmp_path / f"busy{k}"))
        during = report["live"] - before
        stop.set()
        worker.join(timeout=120)
    finally:
        sys.setswitchinterval(old)
    assert not worker.is_alive()
    assert report["bad"] == [], report["bad"][:3]
    assert during > 0, "the eager thread made no progress while the saves ran"
    for k in range(saves):
        assert (tmp_path / f"busy{k}.pdmodel").read_bytes() == alone, f"save {k} differs"
    # and the saved programs still compute the layer
    x = paddle.to_tensor(np.random.default_rng(1).standard_normal((3, 8)).astype("float32"))
    loaded = paddle.jit.load(str(tmp_path / "busy0"))
    np.testing.assert_allclose(loaded(x).numpy(), layer(x).numpy(), rtol=1e-5, atol=1e-6)


def test_two_threads_saving_at_once_each_get_their_own_program(tmp_path):
    paddle.seed(4)
    layers = [Net(), paddle.nn.Sequential(paddle.nn.Linear(8, 3), paddle.nn.ReLU())]
    alone = []
    for i, layer in enumerate(layers):
        paddle.jit.save(layer, str(tmp_path / f"alone{i}"), input_spec=SPEC)
        alone.append((tmp_path / f"alone{i}.pdmodel").read_bytes())
    errors: list = []
    barrier = threading.Barrier(2)

    def target(i):
        try:
            barrier.wait(30)
            for k in range(3):
                paddle.jit.save(layers[i], str(tmp_path / f"t{i}_{k}"), input_spec=SPEC)
        except Exception as e:
            errors.append(e)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=target, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors
    for i in range(2):
        for k in range(3):
            assert (tmp_path / f"t{i}_{k}.pdmodel").read_bytes() == alone[i], (i, k)


def test_recorder_is_not_visible_from_a_new_thread():
    seen = []
    sentinel = object()
    old = paddle.eager.set_recorder(sentinel)
    try:
        t = threading.Thread(target=lambda: seen.append(get_recorder()))
        t.start()
        t.join()
        assert get_recorder() is sentinel
    finally:
        paddle.eager.set_recorder(old)
    assert seen == [None]
