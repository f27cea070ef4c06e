"""Checkpoints on a real S3-compatible server (moto's standalone server, started here on
127.0.0.1 with a free port and stopped afterwards), and the commit guarantee on every store: a
step being written is invisible to readers until its manifest lands, a save that dies leaves the
previous checkpoints readable, and damaged steps are skipped."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.checkpoint import CheckpointManager, CheckpointWarning, _state

s3fs = pytest.importorskip("s3fs")
pytest.importorskip("moto.server")

CREDS = {"key": "testing", "secret": "testing"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto server did not start on {url} (exit {proc.poll()})")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _opts(endpoint):
    return {**CREDS, "endpoint_url": endpoint, "client_kwargs": {"region_name": "eu-central-1"}}


@pytest.fixture
def s3_dir(s3_endpoint):
    bucket = f"ck-{uuid.uuid4().hex[:12]}"
    fs = s3fs.S3FileSystem(**_opts(s3_endpoint))
    fs.mkdir(bucket)
    return f"s3://{bucket}/run1", _opts(s3_endpoint)


def _net():
    return paddle.nn.Sequential(paddle.nn.Linear(3, 5), paddle.nn.Linear(5, 2))


def test_s3_round_trip_retention_and_fallback(s3_dir):
    url, opts = s3_dir
    net = _net()
    opt = paddle.optimizer.SGD(0.1, parameters=net.parameters())
    mgr = CheckpointManager(url, max_to_keep=2, storage_options=opts)
    states = {}
    for step in (1, 2, 3):
        net(paddle.randn([2, 3])).mean().backward()
        opt.step()
        opt.clear_grad()
        mgr.save(step, model=net, optimizer=opt, data_state={"step": step}, metrics={"m": step})
        states[step] = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    assert mgr.all_steps() == [2, 3]
    fresh = _net()
    # a second manager (another process) sees the same bucket
    other = CheckpointManager(url, storage_options=opts)
    assert other.latest_step() == 3
    r = other.restore(model=fresh)
    assert r.step == 3 and r.data_state == {"step": 3} and r.metrics == {"m": 3}
    for k, v in fresh.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), states[3][k])
    fs = s3fs.S3FileSystem(**opts)
    path = url[len("s3://") :]
    assert sorted(p.rsplit("/", 1)[-1] for p in fs.ls(f"{path}/step_3")) == [
        "checkpoint.json", "data_state.json", "model.pdparams", "optimizer.pdopt",
        "rng_state.json",
    ]  # fmt: skip
    data = fs.cat_file(f"{path}/step_3/model.pdparams")
    fs.pipe_file(f"{path}/step_3/model.pdparams", data[:-7])  # truncated by hand
    with pytest.warns(CheckpointWarning, match="step 3 at s3://.*/step_3 is damaged: "
                                               "model.pdparams has .* bytes.*truncated"):  # fmt: skip
        r = other.restore(model=fresh)
    assert r.step == 2
    for k, v in fresh.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), states[2][k])


class _FileEvent:
    """A ``threading.Event`` made of a file, so that a forked writer process can set or wait on
    it too (``async_mode='fork'`` writes in a child process)."""

    def __init__(self, path):
        self.path = path

    def set(self):
        open(self.path, "w").close()

    def wait(self, timeout):
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.path):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


class _Gate:
    """Makes one file's writer stop half-way until released: a save caught mid-write."""

    def __init__(self, monkeypatch, where):
        self.reached = _FileEvent(where / "reached")
        self.release = _FileEvent(where / "release")
        real = _state.pickle_writer

        def gated(obj):
            write = real(obj)

            def w(f):
                buf = io.BytesIO()
                write(buf)
                data = buf.getvalue()
                f.write(data[: len(data) // 2])
                self.reached.set()
                assert self.release.wait(30)
                f.write(data[len(data) // 2 :])

            return w

        monkeypatch.setattr(_state, "pickle_writer", gated)


@pytest.mark.parametrize("store", ["local-fork", "local-copy", "memory", "s3"])
def test_step_invisible_until_committed(store, tmp_path, monkeypatch, request):
    opts, mode = None, "auto"
    if store.startswith("local"):
        url, mode = str(tmp_path / "ck"), store.split("-")[1]
    elif store == "memory":
        url = f"memory://ck-{uuid.uuid4().hex}"
    else:
        url, opts = request.getfixturevalue("s3_dir")
    net = _net()
    mgr = CheckpointManager(url, async_save=True, storage_options=opts, async_mode=mode)
    mgr.save(1, model=net, data_state={"at": 1})
    mgr.wait()
    gate = _Gate(monkeypatch, tmp_path)
    mgr.save(2, model=net, data_state={"at": 2})  # the writer stops mid-file
    assert gate.reached.wait(30)
    reader = CheckpointManager(url, storage_options=opts)
    try:
        assert reader.all_steps() == [1] and reader.latest_step() == 1
        assert reader.restore(model=_net()).data_state == {"at": 1}
    finally:
        gate.release.set()
    mgr.wait()
    assert reader.all_steps() == [1, 2]
    assert reader.restore(model=_net()).data_state == {"at": 2}


@pytest.mark.parametrize("store", ["memory", "s3"])
def test_dead_save_leaves_previous_readable(store, request, monkeypatch):
    """A save that dies after uploading some files (no manifest) is ignored by readers, and a
    later save of that step replaces the leftovers."""
    if store == "memory":
        url, opts = f"memory://ck-{uuid.uuid4().hex}", None
    else:
        url, opts = request.getfixturevalue("s3_dir")
    net = _net()
    mgr = CheckpointManager(url, storage_options=opts)
    mgr.save(1, model=net, data_state={"at": 1})

    def dying(obj):
        def w(f):
            f.write(b"half")
            raise OSError("connection reset (simulated)")

        return w

    with monkeypatch.context() as m:
        m.setattr(_state, "pickle_writer", dying)
        with pytest.raises(OSError, match="simulated"):
            mgr.save(2, model=net, data_state={"at": 2})
    assert mgr.all_steps() == [1] and mgr.restore().data_state == {"at": 1}
    mgr.save(2, model=net, data_state={"at": 2})
    assert mgr.all_steps() == [1, 2] and mgr.restore().data_state == {"at": 2}


def test_bad_urls(tmp_path):
    with pytest.raises(ValueError, match="storage_options are for fsspec URLs"):
        CheckpointManager(tmp_path, storage_options={"key": "x"})
    with pytest.raises(Exception, match="fsspec|protocol|nosuchproto"):
        CheckpointManager("nosuchproto://bucket/x")
