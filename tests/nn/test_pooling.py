"""Oracle: every pooling case in oracle_cases.POOL equals real Paddle 2.6 (outputs, gradients,
state after the forward passes), rtol 1e-5."""

from __future__ import annotations

import pytest

from tests.nn._oracle_test import check_against_paddle
from tests.nn.oracle_cases import POOL


@pytest.mark.oracle
def test_pooling_cases_match_paddle(tmp_path):
    check_against_paddle(POOL, tmp_path)
