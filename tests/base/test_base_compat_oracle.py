"""``paddle.base``'s LoDTensor, create_lod_tensor, DataFeeder, require_version and friends
against real Paddle 2.6 (one script under both)."""

from __future__ import annotations

import pytest

from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import numpy as np

def run(paddle):
    b = paddle.base
    out = {}
    t = b.LoDTensor()
    t.set(np.arange(6, dtype="float32").reshape(2, 3), b.CPUPlace())
    out["t"], out["t_shape"] = np.array(t), np.array(t.shape())
    l = b.create_lod_tensor(np.arange(6).reshape(6, 1).astype("int64"), [[2, 4]], b.CPUPlace())
    out["lod"], out["lens"] = np.array(l.lod()), np.array(l.recursive_sequence_lengths())
    out["lod_data"], out["lod_valid"] = np.array(l), np.array([l.has_valid_recursive_sequence_lengths()])
    l2 = b.create_lod_tensor([[1, 2], [3, 4, 5]], [[2, 3]], b.CPUPlace())
    out["lod_list"], out["lod_list_lod"] = np.array(l2), np.array(l2.lod())
    l.set_recursive_sequence_lengths([[1, 5]])
    out["relod"] = np.array(l.lod())
    try:
        b.create_lod_tensor(np.arange(6).reshape(6, 1), [[2, 3]], b.CPUPlace())
        out["bad_lens"] = np.array(["none"])
    except Exception as e:
        out["bad_lens"] = np.array([type(e).__name__ in ("ValueError", "AssertionError")])
    b.require_version("1.8.0")
    b.require_version("2.0", "3.0")
    for spec in (("99.0",), ("1.0", "2.0")):
        try:
            b.require_version(*spec)
            out["require_" + "_".join(spec)] = np.array(["passed"])
        except Exception as e:
            out["require_" + "_".join(spec)] = np.array([str(e).startswith("VersionError")])
    out["compiled"] = np.array([b.is_compiled_with_cinn(), b.is_compiled_with_rocm(), b.is_compiled_with_xpu()])
    paddle.enable_static()
    try:
        main, startup = paddle.static.Program(), paddle.static.Program()
        with paddle.static.program_guard(main, startup):
            x = paddle.static.data("x", [None, 2, 2], "float32")
            y = paddle.static.data("y", [None, 1], "int64")
            z = paddle.sum(x, axis=[1, 2]) + paddle.cast(paddle.squeeze(y, 1), "float32")
        feeder = b.DataFeeder(feed_list=[x, "y"], place=b.CPUPlace(), program=main)
        feed = feeder.feed([(np.arange(4), [3]), (np.ones(4) * 2, [7])])
        for k, v in feed.items():
            out["feed_" + k] = np.array(v)
        exe = paddle.static.Executor(b.CPUPlace())
        exe.run(startup)
        out["run"] = exe.run(main, feed=feed, fetch_list=[z])[0]
    finally:
        paddle.disable_static()
    return out
"""


@pytest.mark.oracle
def test_base_compat_matches_paddle_2_6(tmp_path):
    ours, theirs = run_both(SOURCE, "2.6", tmp_path)
    bad = mismatches(ours, theirs)
    assert not bad, "differences from Paddle 2.6:\n" + "\n".join(bad)
