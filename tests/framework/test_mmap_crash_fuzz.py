"""mmap=True laziness, crash safety of save (SIGKILL at random instants), fuzzed files."""

from __future__ import annotations

import io
import os
import pickle
import random
import signal
import subprocess
import sys
import time

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import paddlefish as paddle
from paddlefish.errors import FormatError
from paddlefish.framework import STALE_TMP_SECONDS, load, remove_stale_tmp, save
from tests.framework.conftest import named

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _payload_offset(data: bytes, arr: np.ndarray) -> int:
    off = data.find(arr.tobytes())
    assert off > 0
    return off


def test_mmap_load_reads_only_touched_tensors(tmp_path):
    """Pages of an untouched tensor still follow the file: it was never read (copy-on-write)."""
    a = np.arange(4096, dtype="f4")
    b = np.arange(4096, dtype="f4") + 10_000
    p = tmp_path / "m.pdparams"
    save({"a": named(a, "a"), "b": named(b, "b")}, p)
    data = p.read_bytes()
    got = load(p, mmap=True)
    assert got["a"].name == "a" and got["b"].name == "b"
    off = _payload_offset(data, b)
    with open(p, "r+b") as f:  # change b's bytes on disk after load() returned
        f.seek(off)
        f.write(np.full(4096, -1, "f4").tobytes())
    assert got["b"]._t[0].item() == -1.0  # read at touch time, from the file
    got["a"]._t[0] = 123.0  # writes stay private
    assert load(p)["a"]._t[0].item() == 0.0


def test_mmap_load_is_fast_and_matches_eager(tmp_path):
    sd = {f"w{i}": named(np.full((256, 1024), i, "f4"), f"w{i}") for i in range(16)}
    p = tmp_path / "big.pdparams"
    save(sd, p)
    t0 = time.perf_counter()
    got = load(p, mmap=True)
    assert time.perf_counter() - t0 < 0.5
    assert all(got[k].tolist()[3][:2] == [i, i] for i, k in enumerate(sd))


# A fork server: imports once, then for every line on stdin forks a writer that saves a ~32 MB
# state dict to PATH in a loop (value = save counter % 7) and reports the writer's pid.
SERVER = r"""
import os, sys, numpy as np
sys.path.insert(0, {root!r})
import paddlefish as paddle
from paddlefish.framework import save
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        n = int(line)
        while True:
            n += 1
            sd = {{f"w{{i}}": paddle.to_tensor(np.full(1_000_000, n % 7, "f4")) for i in range(8)}}
            save(sd, {path!r})
    print(pid, flush=True)
    os.waitpid(pid, 0)
"""


def test_sigkill_during_save_never_leaves_a_partial_file(tmp_path):
    path = str(tmp_path / "ck.pdparams")
    save({"w0": named(np.full(1_000_000, -1, "f4"), "w0")}, path)
    env = dict(os.environ, OMP_NUM_THREADS="1")
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(root=ROOT, path=path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    rng = random.Random(0)
    seen = set()
    try:
        assert server.stdout.readline().strip() == "ready"
        for kill in range(30):
            server.stdin.write(f"{kill * 100}\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            time.sleep(rng.uniform(0.0, 0.4))
            os.kill(pid, signal.SIGKILL)
            got = load(path, return_numpy=True)
            assert set(got) in ({"w0"}, {f"w{i}" for i in range(8)}), sorted(got)
            values = {float(x) for v in got.values() for x in np.unique(v)}
            assert len(values) == 1, values  # one complete save, never a mix
            seen.add(values.pop())
    finally:
        server.kill()
        server.wait()
    assert len(seen) >= 3, seen  # the kills really landed between different saves
    stray = [f for f in os.listdir(tmp_path) if f != "ck.pdparams"]
    assert all(f.startswith(".ck.pdparams.") and f.endswith(".tmp") for f in stray), stray
    old = time.time() - STALE_TMP_SECONDS - 1
    for f in stray:  # age them; the next save removes them (NOTE [stale temp files])
        os.utime(tmp_path / f, (old, old))
    save({"x": named(np.ones(1, "f4"), "x")}, path)
    assert os.listdir(tmp_path) == ["ck.pdparams"]
    assert remove_stale_tmp(path) == []


def _sample_files() -> list[bytes]:
    t = named(np.arange(40, dtype="f4").reshape(5, 8), "w")
    out = []
    for obj in ({"w": t, "b": named(np.ones(3, "i8"), "b")}, [t, {"x": 1.5, "s": "a"}]):
        for proto in (2, 4):
            buf = io.BytesIO()
            save(obj, buf, protocol=proto)
            out.append(buf.getvalue())
    buf = io.BytesIO()
    save(t, buf, use_binary_format=True)
    out.append(buf.getvalue())
    return out


SAMPLES = _sample_files()
ALLOWED = (FormatError, FileNotFoundError)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.integers(0, len(SAMPLES) - 1),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4),
    cut=st.one_of(st.none(), st.integers(0, 10**6)),
    mmap=st.booleans(),
)
def test_fuzzed_files_raise_only_documented_errors(tmp_path, which, edits, cut, mmap):
    data = bytearray(SAMPLES[which])
    for pos, val in edits:
        data[pos % len(data)] = val
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    p = tmp_path / "f.pdparams"
    p.write_bytes(bytes(data))
    try:
        load(p, mmap=mmap)
    except ALLOWED:
        pass


def test_pickle_module_view_of_fuzz_sample_is_sane():
    assert pickle.loads(SAMPLES[0])["w"].shape == (5, 8)
    assert isinstance(load(io.BytesIO(SAMPLES[0]))["w"], paddle.Tensor)
