"""``paddle.io.DistributedBatchSampler`` splits data exactly as real Paddle's (no init needed)."""

from __future__ import annotations

import json

import pytest

from paddlefish.io import DistributedBatchSampler
from tests.oracle import run_paddle

# (dataset length, batch_size, num_replicas, shuffle, drop_last)
CASES = [
    (10, 2, 3, False, False),
    (10, 3, 3, True, False),
    (11, 4, 2, False, True),
    (17, 3, 4, True, True),
    (7, 5, 4, True, False),
    (16, 4, 4, False, False),
    (5, 2, 8, False, False),
]
EPOCHS = (0, 3)

ORACLE = """
import json
import paddle
cases = {cases!r}
out = []
for n, bs, reps, shuffle, drop in cases:
    per_rank = []
    for rank in range(reps):
        s = paddle.io.DistributedBatchSampler(list(range(n)), batch_size=bs, num_replicas=reps,
                                              rank=rank, shuffle=shuffle, drop_last=drop)
        epochs = []
        for e in {epochs!r}:
            s.set_epoch(e)
            epochs.append([list(map(int, b)) for b in s])
        per_rank.append([epochs, len(s)])
    out.append(per_rank)
print(json.dumps(out))
"""


def _ours(n, bs, reps, shuffle, drop):
    per_rank = []
    for rank in range(reps):
        s = DistributedBatchSampler(
            list(range(n)),
            batch_size=bs,
            num_replicas=reps,
            rank=rank,
            shuffle=shuffle,
            drop_last=drop,
        )
        epochs = []
        for e in EPOCHS:
            s.set_epoch(e)
            epochs.append([list(map(int, b)) for b in s])
        per_rank.append([epochs, len(s)])
    return per_rank


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["3.3", "2.6"])
def test_distributed_batch_sampler_matches_paddle(tmp_path, version):
    want = json.loads(run_paddle(ORACLE.format(cases=CASES, epochs=EPOCHS), version, cwd=tmp_path))
    for case, expected in zip(CASES, want, strict=True):
        assert _ours(*case) == expected, case
