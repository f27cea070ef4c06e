"""One parametrized oracle test body shared by the per-area test files."""

from __future__ import annotations

import pytest

import paddlefish as paddle
from tests.nn.oracle_harness import compare, run_oracle, run_ours


def check_against_paddle(cases, tmp_path, version="2.6"):
    ours = run_ours(paddle, cases, tmp_path)
    theirs = run_oracle(cases, tmp_path, version)
    bad = compare(ours, theirs)
    if bad:
        pytest.fail(f"{len(bad)} mismatches against real Paddle {version}:\n" + "\n".join(bad))
    return ours
