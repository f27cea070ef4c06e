"""Bad input: every failure names the op and the inputs' shapes/dtypes (never a bare torch
traceback), and the exception type is the one real Paddle 3.3 raises (ValueError vs TypeError;
``paddlefish.errors.OpInputError`` is a ValueError)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.errors import AutogradError, OpInputError
from tests.oracle import run_paddle

PRELUDE = r"""
import numpy as np
a = np.ones((3, 4), 'float32')
b = np.ones((5, 6), 'float32')
i = np.ones((3, 4), 'int64')
T = paddle.to_tensor
"""

# name: (expr, words our message must contain)
CASES = {
    "matmul_shapes": ("paddle.matmul(T(a), T(b))", ["matmul", "[3, 4]", "[5, 6]"]),
    "matmul_dtypes": ("paddle.matmul(T(i), T(a).T)", ["matmul", "int64", "float32"]),
    "concat_shapes": ("paddle.concat([T(a), T(b)], axis=0)", ["concat", "[3, 4]", "[5, 6]"]),
    "reshape_numel": ("paddle.reshape(T(a), [5, 5])", ["reshape", "[3, 4]", "[5, 5]"]),
    "add_shapes": ("T(a) + T(b)", ["add", "[3, 4]", "[5, 6]"]),
    "add_dtypes": ("paddle.add(T(a), T(i))", ["float32", "int64"]),
    "stack_shapes": ("paddle.stack([T(a), T(b)])", ["stack", "[3, 4]", "[5, 6]"]),
    "bmm_rank": ("paddle.bmm(T(a), T(a))", ["bmm", "[3, 4]"]),
    "split_uneven": ("paddle.split(T(a), 3, axis=1)", ["split", "[3, 4]", "3"]),
    "transpose_perm": ("paddle.transpose(T(a), [0, 2])", ["transpose", "[3, 4]"]),
    "gather_index": ("paddle.gather(T(a), T(i))", ["gather", "[3, 4]"]),
    "unknown_kwarg": ("paddle.sum(T(a), axes=1)", ["axes"]),
    "unknown_kwarg_reshape": ("paddle.reshape(T(a), [4, 3], inplace=True)", ["inplace"]),
}

# Deliberate differences: Paddle 3.3's argument-alias decorator on paddle.sum turns an unknown
# keyword into ValueError; Python's own TypeError (naming the keyword) is what 2.x raised and
# what every other Paddle function raises.
ALLOWED = {"unknown_kwarg": ("TypeError", "ValueError")}

ORACLE = r"""
import json, numpy as np, paddle
exec(PRELUDE)
out = {}
for name, (expr, _) in CASES.items():
    try:
        eval(expr)
        out[name] = None
    except Exception as e:
        out[name] = [c.__name__ for c in type(e).__mro__]
print(json.dumps(out))
"""


def _ours(expr: str) -> BaseException | None:
    ns = {"paddle": paddle}
    exec(PRELUDE, ns)  # noqa: S102 - the fixed prelude above
    try:
        eval(expr, ns)
    except Exception as e:  # noqa: BLE001 - the exception is the result under test
        return e
    return None


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_names_op_and_inputs(name):
    expr, words = CASES[name]
    err = _ours(expr)
    assert err is not None, f"{expr} did not raise"
    msg = str(err)
    for w in words:
        assert w in msg, f"{expr}: message lacks {w!r}: {msg}"
    assert "Traceback" not in msg


@pytest.mark.oracle
def test_exception_types_match_paddle_33(tmp_path):
    src = f"PRELUDE = {PRELUDE!r}\nCASES = {CASES!r}\n" + ORACLE
    ref = json.loads(run_paddle(src, "3.3", cwd=tmp_path).strip().splitlines()[-1])
    bad = []
    for name, (expr, _) in CASES.items():
        err = _ours(expr)
        mro = ref[name]
        assert mro is not None, f"Paddle accepted {expr}; the case is wrong"
        want = next((c for c in ("TypeError", "ValueError", "RuntimeError") if c in mro), mro[0])
        got = [c.__name__ for c in type(err).__mro__]
        if want not in got and ALLOWED.get(name) != (got[0], mro[0]):
            bad.append(f"{name}: ours {got[0]} vs paddle {mro[0]} ({want})")
    assert not bad, "\n".join(bad)


def test_op_input_error_is_value_error():
    with pytest.raises(ValueError) as ei:
        paddle.matmul(paddle.ones([2, 3]), paddle.ones([4, 5]))
    assert isinstance(ei.value, OpInputError)
    assert ei.value.__cause__ is not None  # the torch error stays attached for debugging


def test_backward_twice_without_retain_graph():
    x = paddle.to_tensor([1.0, 2.0], stop_gradient=False)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(AutogradError, match="retain_graph=True"):
        y.backward()


def test_backward_twice_with_retain_graph_accumulates():
    x = paddle.to_tensor([1.0, 2.0], stop_gradient=False)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 8.0])


def test_set_device_gpu_without_cuda_is_clear():
    for dev in ("gpu", "gpu:1"):
        with pytest.raises(ValueError, match="no CUDA device"):
            paddle.set_device(dev)
    with pytest.raises(ValueError, match="expected 'cpu', 'gpu' or 'gpu:N'"):
        paddle.set_device("tpu")
    assert str(paddle.set_device("cpu")) == "Place(cpu)"
