"""``paddle.base``: the names Paddle 2.x code reaches for, against real Paddle 2.6."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish._core.dtypes import VarType
from tests.oracle import run_paddle


@pytest.mark.oracle
def test_vartype_numbers_equal_paddle_26():
    code = """
import json
from paddle.base import core
T = core.VarDesc.VarType
print(json.dumps({k: int(getattr(T, k)) for k in dir(T) if k.isupper()}))
"""
    ref = json.loads(run_paddle(code, "2.6").strip().splitlines()[-1])
    ours = {k: int(getattr(VarType, k)) for k in dir(VarType) if k.isupper()}
    assert ours == ref


def test_dtype_members_are_paddlefish_dtypes():
    T = paddle.base.core.VarDesc.VarType
    assert T.FP32 is paddle.float32 and T.INT64 is paddle.int64 and T.BF16 is paddle.bfloat16
    assert paddle.to_tensor([1.0]).dtype == T.FP32


def test_dygraph_guard_restores_the_device_and_to_variable_names():
    before = paddle.get_device()
    with paddle.base.dygraph.guard(paddle.base.CPUPlace()):
        t = paddle.base.dygraph.to_variable(np.arange(3, dtype="int64"), name="ids")
        assert paddle.base.dygraph.enabled()
    assert paddle.get_device() == before
    assert t.name == "ids" and t.dtype == paddle.int64 and t.numpy().tolist() == [0, 1, 2]


def test_one_module_under_every_spelling():
    import sys

    assert paddle.base.unique_name is paddle.utils.unique_name
    assert sys.modules["paddlefish.base.unique_name"] is paddle.utils.unique_name
    assert sys.modules["paddlefish.fluid.dygraph"] is paddle.base.dygraph
    assert paddle.base.framework.Parameter is paddle.Parameter


def test_static_names_are_paddle_static_and_modes_switch():
    assert paddle.base.Executor is paddle.static.Executor
    assert paddle.fluid.framework.Program is paddle.static.Program
    assert paddle.base.program_guard is paddle.static.program_guard
    paddle.enable_static()
    try:
        assert not paddle.in_dynamic_mode() and not paddle.base.dygraph.enabled()
    finally:
        paddle.disable_static()
    assert paddle.in_dynamic_mode()
    with pytest.raises(AttributeError, match="paddle.base.DataFeedDesc is a Paddle name"):
        paddle.base.DataFeedDesc  # noqa: B018
