"""Oracle: every conv case in oracle_cases.CONV equals real Paddle 2.6 (outputs, gradients,
state after the forward passes), rtol 1e-5."""

from __future__ import annotations

import pytest

from tests.nn._oracle_test import check_against_paddle
from tests.nn.oracle_cases import CONV


@pytest.mark.oracle
def test_conv_cases_match_paddle(tmp_path):
    check_against_paddle(CONV, tmp_path)


def test_conv_errors_name_op_and_shapes():
    import paddlefish as paddle

    conv = paddle.nn.Conv2D(3, 4, 3)
    with pytest.raises(ValueError, match=r"conv2d: expected a 4-D input.*\[2, 3, 8\]"):
        conv(paddle.ones([2, 3, 8]))
    with pytest.raises(
        ValueError,
        match=r"conv2d: the input \[1, 5, 8, 8\].*5 channels.*"
        r"expects 3",
    ):
        conv(paddle.ones([1, 5, 8, 8]))
