"""``paddle.sparse.nn`` activation layers."""

from __future__ import annotations

from ....nn.layer.layers import Layer
from ..functional import activation as F

__all__ = ["LeakyReLU", "ReLU", "ReLU6", "Softmax"]


class ReLU(Layer):
    """Sparse ReLU layer.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, -1.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.nn.ReLU()(x).values().tolist()
    [0.0, 2.0]
    """

    def __init__(self, name=None):
        super().__init__()
        self._name = name

    def forward(self, x):
        return F.relu(x, self._name)

    def extra_repr(self):
        return f"name={self._name}" if self._name else ""


class ReLU6(Layer):
    """Sparse ReLU6 layer.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 9.0], [2.0, 0.0]]).to_sparse_csr()
    >>> paddle.sparse.nn.ReLU6()(x).values().tolist()
    [6.0, 2.0]
    """

    def __init__(self, name=None):
        super().__init__()
        self._name = name

    def forward(self, x):
        return F.relu6(x, self._name)


class LeakyReLU(Layer):
    """Sparse LeakyReLU layer.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, -2.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.nn.LeakyReLU(0.5)(x).values().tolist()
    [-1.0, 2.0]
    """

    def __init__(self, negative_slope=0.01, name=None):
        super().__init__()
        self._negative_slope = negative_slope
        self._name = name

    def forward(self, x):
        return F.leaky_relu(x, self._negative_slope, self._name)


class Softmax(Layer):
    """Sparse softmax over the stored values of each row (``axis=-1``).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0, 1.0], [2.0, 0.0, 0.0]]).to_sparse_csr()
    >>> paddle.sparse.nn.Softmax()(x).values().tolist()
    [0.5, 0.5, 1.0]
    """

    def __init__(self, axis=-1, name=None):
        super().__init__()
        self._axis = axis
        self._name = name

    def forward(self, x):
        return F.softmax(x, self._axis, self._name)
