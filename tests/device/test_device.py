"""``paddle.device`` on a machine without a GPU, against real Paddle 2.6's CPU build."""

from __future__ import annotations

import json

import pytest

import paddlefish as paddle
from tests.oracle import run_paddle


@pytest.mark.oracle
def test_cpu_answers_equal_paddle_26():
    code = """
import json, paddle
d = paddle.device
print(json.dumps([d.get_device(), str(d.set_device("cpu")), d.get_all_device_type(),
                  d.get_available_device(), d.is_compiled_with_cuda(),
                  d.is_compiled_with_xpu(), d.is_compiled_with_rocm(),
                  d.cuda.device_count(), d.get_cudnn_version()]))
"""
    ref = json.loads(run_paddle(code, "2.6").strip().splitlines()[-1])
    if paddle.is_compiled_with_cuda():
        pytest.skip("this machine has a GPU; the CPU oracle does not apply")
    d = paddle.device
    ours = [d.get_device(), str(d.set_device("cpu")), d.get_all_device_type(),
            d.get_available_device(), d.is_compiled_with_cuda(), d.is_compiled_with_xpu(),
            d.is_compiled_with_rocm(), d.cuda.device_count(), d.get_cudnn_version()]
    assert ours == ref


def test_memory_queries_are_zero_without_cuda():
    if paddle.is_compiled_with_cuda():
        pytest.skip("GPU present")
    assert paddle.device.cuda.memory_allocated() == 0
    assert paddle.device.cuda.max_memory_reserved(0) == 0
    paddle.device.cuda.empty_cache()
    paddle.device.synchronize()
    with pytest.raises(ValueError, match="no CUDA device"):
        paddle.device.set_device("gpu:0")
