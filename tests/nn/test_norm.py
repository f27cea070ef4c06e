"""Oracle: every norm case in oracle_cases.NORM equals real Paddle 2.6 (outputs, gradients,
state after the forward passes), rtol 1e-5."""

from __future__ import annotations

import pytest

from tests.nn._oracle_test import check_against_paddle
from tests.nn.oracle_cases import NORM


@pytest.mark.oracle
def test_norm_cases_match_paddle(tmp_path):
    check_against_paddle(NORM, tmp_path)


def test_sync_batch_norm_is_batch_norm_on_one_process():
    import numpy as np

    import paddlefish as paddle

    net = paddle.nn.Sequential(paddle.nn.Conv2D(2, 3, 1), paddle.nn.BatchNorm2D(3))
    x = paddle.randn([4, 2, 3, 3])
    ref = net(x).numpy()
    net.eval()
    conv = paddle.nn.SyncBatchNorm.convert_sync_batchnorm(net)
    conv.train()
    assert isinstance(conv[1], paddle.nn.SyncBatchNorm)
    assert conv[1]._mean is net[1]._mean
    np.testing.assert_allclose(conv(x).numpy(), ref, rtol=1e-5, atol=1e-6)
