"""paddle.async_save / clear_async_save_task_queue (see NOTE [async save] in _async_save.py)."""

from __future__ import annotations

import contextlib
import io
import os
import threading

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.framework import _async_save, _save, async_save, clear_async_save_task_queue, load
from tests.framework.conftest import named


@pytest.fixture(autouse=True)
def _drain():
    yield
    with contextlib.suppress(Exception):  # a test's own failure is already reported
        clear_async_save_task_queue()


def test_snapshot_is_taken_before_returning(tmp_path, net):
    sd = net.state_dict()
    before = {k: v.numpy().copy() for k, v in sd.items()}
    p = tmp_path / "ck" / "net.pdparams"
    async_save(sd, str(p))
    with paddle.no_grad():
        for v in sd.values():
            v.set_value(v * 0 + 123.0)  # training goes on right away
    clear_async_save_task_queue()
    got = load(p)
    assert list(got) == list(before)
    for k, arr in before.items():
        np.testing.assert_array_equal(got[k].numpy(), arr)
        assert got[k].name == sd[k].name
    assert not [n for n in os.listdir(p.parent) if n.endswith(".tmp")]


def test_slow_write_still_saves_the_snapshot(tmp_path, monkeypatch):
    gate = threading.Event()
    real = _save.write_to

    def slow(write, target):
        gate.wait(5)
        real(write, target)

    monkeypatch.setattr(_save, "write_to", slow)
    t = named(np.zeros(3, "f4"), "w")
    async_save({"w": t}, str(tmp_path / "a.pdparams"))
    assert not (tmp_path / "a.pdparams").exists()  # really in the background
    t.set_value(paddle.to_tensor(np.ones(3, "f4")))
    gate.set()
    clear_async_save_task_queue()
    assert load(tmp_path / "a.pdparams")["w"].tolist() == [0.0, 0.0, 0.0]


def test_saves_to_one_path_keep_call_order(tmp_path, monkeypatch):
    real = _save.write_to
    first = threading.Event()

    def first_is_slow(write, target):
        if not first.is_set():
            first.set()
            threading.Event().wait(0.3)
        real(write, target)

    monkeypatch.setattr(_save, "write_to", first_is_slow)
    p = str(tmp_path / "x.pdparams")
    for i in range(3):
        async_save({"step": named(np.array([i], "i8"), "step")}, p)
    clear_async_save_task_queue()
    assert load(p)["step"].tolist() == [2]


def test_tensor_and_bytesio_and_protocol(tmp_path):
    buf = io.BytesIO()
    async_save(named(np.arange(3, dtype="f4"), "t"), buf, protocol=2)
    clear_async_save_task_queue()
    assert buf.getvalue()[:2] == b"\x80\x02"
    buf.seek(0)
    got = load(buf)
    assert got.name == "t" and got.tolist() == [0.0, 1.0, 2.0]


def test_refusals_raise_in_the_caller(tmp_path):
    with pytest.raises(TypeError, match="does not support this type"):
        async_save([named(np.ones(1, "f4"), "a")], str(tmp_path / "a"))
    with pytest.raises(ValueError, match="is a Layer"):
        async_save({"m": {"l": paddle.nn.Linear(1, 1)}}, str(tmp_path / "a"))
    with pytest.raises(ValueError, match="protocol"):
        async_save({}, str(tmp_path / "a"), protocol=5)
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError):
        async_save({}, str(tmp_path / "d"))
    clear_async_save_task_queue()
    assert sorted(os.listdir(tmp_path)) == ["d"]


def test_configs_are_ignored_with_a_warning(tmp_path):
    with pytest.warns(UserWarning, match="ignored"):
        async_save({"a": named(np.ones(2, "f4"), "a")}, str(tmp_path / "a"), use_binary_format=True)
    clear_async_save_task_queue()
    assert load(tmp_path / "a")["a"].tolist() == [1.0, 1.0]  # a pickle, not a binary tensor


def test_background_errors_surface_from_clear(tmp_path, monkeypatch):
    def fail(write, target):
        raise PermissionError(f"denied: {target}")

    monkeypatch.setattr(_save, "write_to", fail)
    async_save({}, str(tmp_path / "a"))
    async_save({}, str(tmp_path / "b"))
    with pytest.raises(PermissionError, match="denied") as e:
        clear_async_save_task_queue()
    notes = "\n".join(e.value.__notes__)
    assert "background thread" in notes and "also failed" in notes
    clear_async_save_task_queue()  # collected once: the queue is empty now


def test_sync_other_task_waits_first(tmp_path, monkeypatch):
    gate = threading.Event()
    real = _save.write_to
    done = []

    def gated(write, target):
        gate.wait(5)
        real(write, target)
        done.append(target)

    monkeypatch.setattr(_save, "write_to", gated)
    async_save({}, str(tmp_path / "a"))
    threading.Timer(0.2, gate.set).start()
    async_save({}, str(tmp_path / "b"), sync_other_task=True)
    assert done and done[0].endswith("a")
    clear_async_save_task_queue()


def test_unclaimed_error_is_reported_at_exit(tmp_path, monkeypatch):
    monkeypatch.setattr(_save, "write_to", lambda w, t: (_ for _ in ()).throw(OSError("full")))
    async_save({}, str(tmp_path / "a"))
    for task in list(_async_save._tasks):
        task.thread.join()
    with pytest.warns(RuntimeWarning, match="never called.*full"):
        _async_save._report_unclaimed()
    with pytest.raises(OSError, match="full"):
        clear_async_save_task_queue()
