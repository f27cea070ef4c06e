"""Oracle: every loss case in oracle_cases.LOSS equals real Paddle 2.6 (outputs, gradients,
state after the forward passes), rtol 1e-5."""

from __future__ import annotations

import pytest

from tests.nn._oracle_test import check_against_paddle
from tests.nn.oracle_cases import LOSS


@pytest.mark.oracle
def test_loss_cases_match_paddle(tmp_path):
    check_against_paddle(LOSS, tmp_path)
