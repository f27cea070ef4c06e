"""Tensor semantics (shape/dtype/stop_gradient/data access/identity/indexing/operators) and
``repr`` byte-for-byte against real Paddle 3.3."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle


def test_metadata():
    x = paddle.to_tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.shape == [2, 2] and isinstance(x.shape, list)
    assert x.dtype == paddle.float32 and x.dtype == "float32"
    assert x.stop_gradient is True
    assert x.ndim == 2 and x.size == 4 and x.numel() == 4
    assert str(x.place) == "Place(cpu)" and x.place.is_cpu_place()
    assert x.persistable is False
    assert x.name.startswith("generated_tensor_")
    assert paddle.to_tensor(1).name != paddle.to_tensor(1).name


def test_parameter_defaults():
    w = paddle.nn.Linear(2, 3).weight
    assert isinstance(w, paddle.Parameter)
    assert w.stop_gradient is False and w.trainable and w.persistable
    w.trainable = False
    assert w.stop_gradient is True
    assert repr(w).startswith("Parameter containing:\nTensor(shape=[2, 3]")


def test_data_access():
    x = paddle.to_tensor([[1.0, 2.0], [3.0, 4.0]])
    a = x.numpy()
    assert isinstance(a, np.ndarray) and a.dtype == np.float32
    a[0, 0] = 99  # numpy() is a copy
    assert x.numpy()[0, 0] == 1.0
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert x.item(1) == 2.0 and x.item(1, 0) == 3.0
    assert paddle.to_tensor([5]).item() == 5 and isinstance(paddle.to_tensor([5]).item(), int)
    with pytest.raises(ValueError, match="exactly one element"):
        x.item()
    assert float(paddle.to_tensor(2.5)) == 2.5 and int(paddle.to_tensor(3)) == 3


def test_astype_and_cast():
    x = paddle.to_tensor([1.7, -1.7])
    assert x.astype("int32").dtype == paddle.int32
    assert x.astype(paddle.int64).tolist() == [1, -1]
    assert paddle.cast(x, "float64").dtype == paddle.float64
    assert x.cast("bool").tolist() == [True, True]


def test_stop_gradient_flag():
    x = paddle.to_tensor([1.0])
    x.stop_gradient = False
    y = x * 2
    assert y.stop_gradient is False
    i = paddle.to_tensor([1])
    i.stop_gradient = False  # integer tensors remember the flag
    assert i.stop_gradient is False


def test_slice_assignment():
    a = np.arange(12, dtype="float32").reshape(3, 4)
    x = paddle.to_tensor(a)
    x[1:3] = 0
    a[1:3] = 0
    x[x > 5] = -1.0
    a[a > 5] = -1.0
    x[0] = paddle.to_tensor([9.0, 8.0, 7.0, 6.0])
    a[0] = [9, 8, 7, 6]
    x[:, ::-1][0]  # negative-step read
    x[:, ::-2] = paddle.to_tensor([[1.0, 2.0]])
    a[:, ::-2] = [[1, 2]]
    np.testing.assert_array_equal(x.numpy(), a)


def test_int_tensor_index_and_bool_mask():
    a = np.arange(24).reshape(2, 3, 4)
    x = paddle.to_tensor(a)
    np.testing.assert_array_equal(x[paddle.to_tensor([1, 0])].numpy(), a[[1, 0]])
    np.testing.assert_array_equal(x[..., None, 1:].numpy(), a[..., None, 1:])
    m = a % 3 == 0
    np.testing.assert_array_equal(x[paddle.to_tensor(m)].numpy(), a[m])
    np.testing.assert_array_equal(x[1, ::-1, ::-2].numpy(), a[1, ::-1, ::-2])


def test_operators_reflected_and_logic():
    x = paddle.to_tensor([1.0, 2.0, 4.0])
    np.testing.assert_allclose((1 - x).numpy(), [0, -1, -3])
    np.testing.assert_allclose((2 / x).numpy(), [2, 1, 0.5])
    np.testing.assert_allclose((2**x).numpy(), [2, 4, 16])
    np.testing.assert_allclose((7 % x).numpy(), [0, 1, 3])
    np.testing.assert_allclose((7 // x).numpy(), [7, 3, 1])
    assert (x > 1).dtype == paddle.bool and (x > 1).tolist() == [False, True, True]
    b = x > 1
    assert (~b).tolist() == [True, False, False]
    assert (b & (x < 4)).tolist() == [False, True, False]
    assert (-x).tolist() == [-1, -2, -4] and abs(-x).tolist() == [1, 2, 4]


def test_dtype_rules_for_scalars():
    i = paddle.to_tensor([3, -3])
    assert (i + 1).dtype == paddle.int64
    assert (i + 1.5).dtype == paddle.float32
    assert (i / 2).dtype == paddle.float32 and (i / i).dtype == paddle.float32
    assert (i // 2).tolist() == [1, -2] and (i % 2).tolist() == [1, 1]
    assert (paddle.to_tensor([True]) + 1).dtype == paddle.int64
    with pytest.raises(TypeError, match="int64.*float32"):
        i + paddle.to_tensor([1.0, 2.0])


REPR_VALUES = r"""[
    [[1.0, 2.0], [3.0, 4.0]], 3, [True, False], [1e-5, 1.0], [1e9, 1.5],
    [1.5, float('nan'), float('inf')], np.arange(2000, dtype='float32'), 2.5,
    [0.0577091, -0.63660771], np.arange(2000), np.arange(-1200, 1200).reshape(40, 60) / 7,
    [[1, -2], [3, 4]], np.arange(24).reshape(2, 3, 4) - 5, np.arange(30.0) / 3,
    np.zeros((0, 3), 'float32'),
]"""


@pytest.mark.oracle
def test_repr_matches_paddle_33(tmp_path):
    code = (
        "import json, numpy as np, paddle\n"
        f"vals = {REPR_VALUES}\n"
        "print(json.dumps([repr(paddle.to_tensor(v)) for v in vals]))\n"
    )
    theirs = json.loads(run_paddle(code, "3.3", cwd=tmp_path).strip().splitlines()[-1])
    vals = eval(REPR_VALUES, {"np": np})
    ours = [repr(paddle.to_tensor(v)) for v in vals]
    for o, t in zip(ours, theirs):
        assert o == t
