"""PyLayer edge cases paddlefish adds clear errors for, and list/keyword Tensor inputs."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.autograd import PyLayer, PyLayerContext


class _Sum(PyLayer):
    @staticmethod
    def forward(ctx, xs, scale=1.0, bias=None):
        ctx.n = len(xs)
        out = xs[0] * scale
        for x in xs[1:]:
            out = out + x * scale
        return out + bias

    @staticmethod
    def backward(ctx, dy):
        return (dy,) * (ctx.n + 1)


def test_tensors_inside_lists_and_keywords_are_inputs():
    a = paddle.to_tensor([1.0, 2.0], stop_gradient=False)
    b = paddle.to_tensor([3.0, 4.0], stop_gradient=False)
    c = paddle.to_tensor([0.5, 0.5], stop_gradient=False)
    y = _Sum.apply([a, b], scale=2.0, bias=c)
    np.testing.assert_allclose(y.numpy(), [8.5, 12.5])
    (y * y).sum().backward()
    for t in (a, b, c):
        np.testing.assert_allclose(t.grad.numpy(), 2 * y.numpy())


def test_wrong_number_of_gradients_names_both_counts():
    class Two(PyLayer):
        @staticmethod
        def forward(ctx, x, w):
            assert isinstance(ctx, PyLayerContext)
            return x * w

        @staticmethod
        def backward(ctx, dy):
            return dy

    x = paddle.to_tensor([1.0], stop_gradient=False)
    w = paddle.to_tensor([2.0], stop_gradient=False)
    with pytest.raises(ValueError, match="returned 1 gradient\\(s\\) but forward took 2"):
        Two.apply(x, w).sum().backward()


def test_forward_without_tensor_output_and_base_class_are_refused():
    class NoTensor(PyLayer):
        @staticmethod
        def forward(ctx, x):
            return 3

        @staticmethod
        def backward(ctx, dy):
            return dy

    with pytest.raises(ValueError, match="must return a Tensor"):
        NoTensor.apply(paddle.ones([1]))
    with pytest.raises(NotImplementedError):
        PyLayer.apply(paddle.ones([1]))


def test_returning_an_input_gives_a_new_output_with_its_own_gradient():
    class Ident(PyLayer):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, dy):
            return dy * 5

    x = paddle.to_tensor([1.0, 2.0], stop_gradient=False)
    y = Ident.apply(x)
    assert y is not x
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [5.0, 5.0])
