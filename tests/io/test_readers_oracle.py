"""``paddle.batch`` and the ``paddle.reader`` decorators against real Paddle 2.6 (the same
script under both: batches, caching, mapping, seeded shuffles, chains, compose and its alignment
error, buffered and threaded mapping, forked readers); plus the errors paddlefish hands on
where Paddle's worker threads would swallow them."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import random
import numpy as np

def run(paddle):
    R = paddle.reader
    out = {}

    def nums(n=11):
        def r():
            yield from range(n)
        return r

    def pairs():
        for i in range(4):
            yield (i, -i)

    def flat(xs):
        return np.array([v for x in xs for v in (x if isinstance(x, (list, tuple)) else [x])], "int64")

    out["batch"] = flat(paddle.batch(nums(), 4)())
    out["batch_sizes"] = np.array([len(b) for b in paddle.batch(nums(), 4)()])
    out["batch_drop"] = np.array([len(b) for b in paddle.batch(nums(), 4, drop_last=True)()])
    out["cache"] = flat(R.cache(nums(5))())
    out["map"] = flat(R.map_readers(lambda a, b: a * 100 + b, nums(5), nums(7))())
    random.seed(3)
    out["shuffle"] = flat(R.shuffle(nums(23), 7)())
    out["chain"] = flat(R.chain(nums(3), nums(4), pairs)())
    out["compose"] = flat(R.compose(nums(4), pairs)())
    out["compose_nocheck"] = flat(R.compose(nums(9), pairs, check_alignment=False)())
    try:
        list(R.compose(nums(9), pairs)())
        out["compose_error"] = np.array(["none"])
    except R.ComposeNotAligned:
        out["compose_error"] = np.array(["ComposeNotAligned"])
    out["buffered"] = flat(R.buffered(nums(50), 3)())
    out["firstn"] = flat(R.firstn(nums(), 4)())
    out["xmap_ordered"] = flat(R.xmap_readers(lambda v: v * v, nums(40), 4, 8, order=True)())
    out["xmap_any"] = np.sort(flat(R.xmap_readers(lambda v: v + 1, nums(40), 3, 5)()))
    out["multiprocess"] = np.sort(flat(R.multiprocess_reader([nums(5), nums(3)])()))
    try:
        paddle.batch(nums(), 0)
        out["batch_zero"] = np.array(["none"])
    except ValueError:
        out["batch_zero"] = np.array(["ValueError"])
    return out
"""


@pytest.mark.oracle
def test_readers_match_paddle_2_6(tmp_path):
    ours, theirs = run_both(SOURCE, "2.6", tmp_path)
    bad = mismatches(ours, theirs)
    assert not bad, "differences from Paddle 2.6:\n" + "\n".join(bad)


def test_worker_errors_reach_the_consumer():
    def broken():
        yield 1
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        list(paddle.reader.buffered(broken, 2)())
    with pytest.raises(ZeroDivisionError):
        list(paddle.reader.xmap_readers(lambda v: 1 / (v - 3), lambda: iter(range(6)), 2, 4)())
    with pytest.raises(ValueError, match="a reader failed in its process"):
        list(paddle.reader.multiprocess_reader([broken])())
    assert np.array_equal(list(paddle.reader.firstn(broken, 1)()), [1])
