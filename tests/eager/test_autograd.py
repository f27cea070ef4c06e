"""paddle.no_grad (context and decorator), paddle.grad (create_graph, allow_unused), seed."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle


def _leaf(v):
    return paddle.to_tensor(v, stop_gradient=False)


def test_no_grad_context_and_decorator():
    x = _leaf([1.0, 2.0])
    with paddle.no_grad():
        y = x * 2
    assert y.stop_gradient

    @paddle.no_grad()
    def f(t):
        return t * 3

    assert f(x).stop_gradient
    assert not (x * 2).stop_gradient  # grad mode is back after both


def test_grad_create_graph_gives_second_derivative():
    x = _leaf([1.0, 2.0, 3.0])
    y = (x * x * x).sum()
    (gx,) = paddle.grad(y, x, create_graph=True)
    np.testing.assert_allclose(gx.numpy(), 3 * np.array([1.0, 4.0, 9.0]))
    assert not gx.stop_gradient
    (ggx,) = paddle.grad(gx.sum(), x)
    np.testing.assert_allclose(ggx.numpy(), [6.0, 12.0, 18.0])


def test_grad_allow_unused():
    x, z = _leaf([1.0]), _leaf([2.0])
    y = (x * 2).sum()
    gx, gz = paddle.grad(y, [x, z], allow_unused=True)
    assert gz is None
    np.testing.assert_allclose(gx.numpy(), [2.0])
    y = (x * 2).sum()
    with pytest.raises((RuntimeError, ValueError), match="allow_unused"):
        paddle.grad(y, [x, z])


def test_grad_does_not_touch_dot_grad():
    x = _leaf([1.0, 2.0])
    paddle.grad((x * x).sum(), x)
    assert x.grad is None


def test_grad_outputs_weights():
    x = _leaf([1.0, 2.0])
    (g,) = paddle.grad(x * x, x, grad_outputs=paddle.to_tensor([1.0, 10.0]))
    np.testing.assert_allclose(g.numpy(), [2.0, 40.0])


def test_seed_reproducible():
    paddle.seed(123)
    a = paddle.randn([4]).numpy(), paddle.rand([3]).numpy(), paddle.randint(0, 9, [5]).numpy()
    paddle.seed(123)
    b = paddle.randn([4]).numpy(), paddle.rand([3]).numpy(), paddle.randint(0, 9, [5]).numpy()
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    paddle.seed(124)
    assert not np.array_equal(paddle.randn([4]).numpy(), a[0])


def test_backward_accumulates_and_clear_grad():
    x = _leaf([1.0, 2.0])
    (x * x).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 8.0])
    x.clear_grad()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0])
    x.clear_grad(set_to_zero=False)
    assert x.grad is None


def test_detach_and_clone_graph():
    x = _leaf([1.0, 2.0])
    d = x.detach()
    assert d.stop_gradient
    c = x.clone()
    assert not c.stop_gradient
    (c * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])
