"""Async save by fork (``async_mode='fork'``, the default for local directories on POSIX): the
child writes a frozen copy-on-write image, runs without the parent's signal handlers, torch
threads, garbage collector or atexit handlers, and its failures (an exception, a signal) are
reported at the next ``save``/``wait`` without touching the last good step. Where fork is not
safe (remote storage, CUDA initialised, no ``os.fork``) the copy path is used."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish.checkpoint import CheckpointManager, CheckpointSaveError, _fork, _state

pytestmark = pytest.mark.skipif(not _fork.fork_supported(), reason="needs os.fork (POSIX)")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _net():
    return paddle.nn.Sequential(paddle.nn.Linear(4, 8), paddle.nn.ReLU(), paddle.nn.Linear(8, 2))


def _wait_file(path, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def _patch_writer(monkeypatch, before_write):
    """Every state file's writer first calls ``before_write()`` (in whichever process writes)."""
    real = _state.pickle_writer

    def patched(obj):
        write = real(obj)

        def w(f):
            before_write()
            write(f)

        return w

    monkeypatch.setattr(_state, "pickle_writer", patched)


def _writer_pid(monkeypatch, tmp_path):
    log = tmp_path / "pids"
    _patch_writer(monkeypatch, lambda: log.open("a").write(f"{os.getpid()}\n"))
    return lambda: {int(x) for x in log.read_text().split()}


def test_auto_forks_locally_and_retention_runs_in_the_parent(tmp_path, monkeypatch):
    pids = _writer_pid(monkeypatch, tmp_path)
    net = _net()
    mgr = CheckpointManager(tmp_path / "ck", max_to_keep=1, async_save=True)
    for step in (1, 2):
        assert mgr.save(step, model=net, data_state={"at": step})
    mgr.wait()
    assert len(pids()) == 2 and os.getpid() not in pids()  # one child per save
    assert mgr.all_steps() == [2] and sorted(os.listdir(tmp_path / "ck")) == ["step_2"]
    assert mgr.restore(model=_net()).data_state == {"at": 2}
    assert not mgr._stager.buffers  # nothing staged: no host copy of the state is kept
    mgr.close()


@pytest.mark.parametrize("why", ["copy", "cuda", "no-fork", "memory"])
def test_falls_back_to_copy(why, tmp_path, monkeypatch):
    pids = _writer_pid(monkeypatch, tmp_path)
    where, mode = str(tmp_path / "ck"), "auto"
    if why == "copy":
        mode = "copy"
    elif why == "cuda":
        monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)
    elif why == "no-fork":
        monkeypatch.setattr(_fork, "fork_supported", lambda: False)
    else:
        where = f"memory://ck-{uuid.uuid4().hex}"
    net = _net()
    mgr = CheckpointManager(where, async_save=True, async_mode=mode)
    mgr.save(1, model=net)
    mgr.wait()
    assert pids() == {os.getpid()} and mgr.all_steps() == [1]
    assert mgr._stager.buffers  # the copy path staged the state
    mgr.close()


def test_bad_async_mode(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match=r"async_mode must be one of 'auto', 'fork', 'copy'"):
        CheckpointManager(tmp_path, async_save=True, async_mode="thread")
    with pytest.raises(ValueError, match=r"async_mode='fork' .* only works for a local directory"):
        CheckpointManager(f"memory://ck-{uuid.uuid4().hex}", async_save=True, async_mode="fork")
    monkeypatch.setattr(_fork, "fork_supported", lambda: False)
    with pytest.raises(ValueError, match=r"async_mode='fork' needs os.fork"):
        CheckpointManager(tmp_path, async_save=True, async_mode="fork")


def test_child_writes_the_frozen_state_in_a_clean_environment(tmp_path, monkeypatch):
    """The parent changes the weights in place while the child is held mid-save: the step holds
    the weights as they were at save(). The child has default SIGTERM/SIGINT handlers (the
    parent's preemption handler is not inherited), one torch thread and no garbage collector."""
    go, env = tmp_path / "go", tmp_path / "env.json"

    def in_child():
        if os.path.exists(env):
            return
        env.write_text(json.dumps({
            "pid": os.getpid(), "threads": torch.get_num_threads(), "gc": gc.isenabled(),
            "term": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
            "int": signal.getsignal(signal.SIGINT) == signal.SIG_DFL,
        }))  # fmt: skip
        _wait_file(go)

    _patch_writer(monkeypatch, in_child)
    net = _net()
    opt = paddle.optimizer.Adam(parameters=net.parameters())
    mgr = CheckpointManager(tmp_path / "ck", async_save=True)
    mgr.install_preemption_handler((signal.SIGTERM,))
    ref = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    t0 = time.perf_counter()
    mgr.save(1, model=net, optimizer=opt)
    assert time.perf_counter() - t0 < 5  # returned while the child is held
    _wait_file(env)
    with paddle.no_grad():
        for p in net.parameters():
            p.set_value(p.numpy() + 1.0)  # in place, while the child writes
    go.touch()
    mgr.wait()
    fresh = _net()
    mgr.restore(model=fresh)
    for k, v in fresh.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), ref[k])
        assert not np.array_equal(net.state_dict()[k].numpy(), ref[k])
    seen = json.loads(env.read_text())
    assert seen["pid"] != os.getpid()
    assert seen == {**seen, "threads": 1, "gc": False, "term": True, "int": True}
    assert gc.isenabled() and signal.getsignal(signal.SIGTERM) == mgr._on_signal  # parent's
    mgr.close()


def _boom():
    raise OSError("disk full (simulated)")


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize(
    "fail, why",
    [(_boom, r"failed: OSError: disk full \(simulated\)"), (_die, "was killed by signal SIGKILL")],
)
def test_child_failure_is_reported_and_keeps_the_last_good_step(tmp_path, monkeypatch, fail, why):
    net = _net()
    mgr = CheckpointManager(tmp_path / "ck", max_to_keep=1, async_save=True)
    mgr.save(1, model=net, data_state={"at": 1})
    mgr.wait()
    with monkeypatch.context() as m:
        _patch_writer(m, fail)
        mgr.save(2, model=net, data_state={"at": 2})
    with pytest.raises(CheckpointSaveError, match=rf"background save of step 2 .*{why}") as e:
        mgr.save(3, model=net, data_state={"at": 3})
    assert "checkpoints before it are intact (latest: 1)" in str(e.value)
    assert mgr.all_steps() == [1] and mgr.restore().data_state == {"at": 1}
    mgr.save(3, model=net, data_state={"at": 3})  # reported once; saving works again
    mgr.wait()
    assert mgr.all_steps() == [3] and mgr.restore().data_state == {"at": 3}
    mgr.close()


def test_child_skips_atexit_and_the_parents_stdio_buffers(tmp_path):
    """stdout is a pipe (block-buffered): text printed before the fork and the atexit handler
    appear once, from the parent, not again from each child."""
    script = tmp_path / "s.py"
    script.write_text(textwrap.dedent(f"""
        import atexit
        import paddlefish as paddle
        from paddlefish.checkpoint import CheckpointManager
        atexit.register(lambda: print("atexit ran"))
        print("printed before the saves")
        net = paddle.nn.Linear(3, 3)
        mgr = CheckpointManager({str(tmp_path / "ck")!r}, async_save=True, async_mode="fork")
        for step in (1, 2, 3):
            mgr.save(step, model=net)
        mgr.close()
        print("steps", mgr.all_steps())
    """))  # fmt: skip
    r = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count("printed before the saves") == 1
    assert r.stdout.count("atexit ran") == 1
    assert "steps [1, 2, 3]" in r.stdout
