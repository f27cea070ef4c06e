"""paddle.create_parameter (see NOTE [create_parameter names] in _create_parameter.py)."""

from __future__ import annotations

import math

import pytest

import paddlefish as paddle
from paddlefish._core import unique_name
from paddlefish.eager import Parameter
from paddlefish.framework import create_parameter

init = paddle.nn.initializer


def test_names_follow_paddle():
    with unique_name.guard():
        w = create_parameter([3, 2], "float32")
        b = create_parameter([2], "float32", is_bias=True)
        named = create_parameter([1], "float64", name="my_p")
        by_attr = create_parameter([1], "float32", attr=paddle.ParamAttr(name="attr_p"))
        helper = create_parameter([1], "float32", name="nm", attr=paddle.ParamAttr())
        after = create_parameter([1], "float32")
        by_str = create_parameter([1], "float32", attr="s")
    assert [w.name, b.name, named.name, by_attr.name, helper.name, after.name, by_str.name] == [
        "create_parameter_0.w_0",
        "create_parameter_1.b_0",
        "my_p",
        "attr_p",
        "nm.w_0",
        "create_parameter_3.w_0",  # attr_p's call took create_parameter_2
        "s",
    ]


def test_default_initializers_and_flags():
    w = create_parameter([100, 50], "float32")
    bound = math.sqrt(6 / 150)
    v = w.numpy()
    assert isinstance(w, Parameter) and w.dtype == paddle.float32 and w.shape == [100, 50]
    assert v.min() >= -bound and v.max() <= bound and v.std() > bound / 2  # Xavier uniform
    assert w.stop_gradient is False and w.trainable and w.persistable
    b = create_parameter([30], "float64", is_bias=True)
    assert b.dtype == paddle.float64 and b.tolist() == [0.0] * 30


def test_initializer_priority():
    c = create_parameter(
        [4],
        "float32",
        attr=paddle.ParamAttr(initializer=init.Constant(2.0)),
        default_initializer=init.Constant(3.0),
    )
    assert c.tolist() == [2.0] * 4
    d = create_parameter([4], "float32", default_initializer=init.Constant(3.0))
    assert d.tolist() == [3.0] * 4
    i = create_parameter([2], "int64", default_initializer=init.Constant(3.0))
    assert i.dtype == paddle.int64 and i.tolist() == [3, 3]


def test_trainable_false_and_attr_false():
    p = create_parameter([2], "float32", attr=paddle.ParamAttr(trainable=False))
    assert p.stop_gradient is True and not p.trainable
    assert create_parameter([2], "float32", attr=False) is None


def test_refusals():
    with pytest.raises(TypeError, match="no default initializer"):
        create_parameter([4], "int64")
    with pytest.raises(TypeError, match="list of ints"):
        create_parameter([2.0], "float32")
    with pytest.raises(ValueError, match=">= 0"):
        create_parameter([-1, 2], "float32")


def test_trains_with_an_optimizer():
    w = create_parameter([3], "float32", default_initializer=init.Constant(1.0))
    opt = paddle.optimizer.SGD(learning_rate=0.5, parameters=[w])
    (w * w).sum().backward()
    opt.step()
    assert w.tolist() == [0.0, 0.0, 0.0]
