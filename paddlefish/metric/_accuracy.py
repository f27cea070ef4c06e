"""``Accuracy`` (top-k) and the functional ``accuracy``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..eager import Tensor
from ..tensor import argmax, argsort, cast, equal, mean, reshape, slice, sum, topk
from ._base import Metric

__all__ = ["Accuracy", "accuracy"]


def _label_column(label: Tensor) -> Tensor:
    """Labels as an ``[N, 1]`` column: class ids as they are, one-hot/soft labels by argmax."""
    shape = label.shape
    if len(shape) == 1 or (len(shape) == 2 and shape[-1] == 1):
        return reshape(label, (-1, 1))
    if shape[-1] != 1:
        return argmax(label, axis=-1, keepdim=True)
    return label


class Accuracy(Metric):
    """Top-k classification accuracy.

    ``compute(pred, label)`` gives the ``[N, maxk]`` float32 matrix of hits (column j: the j-th
    ranked class equals the label); ``update(correct)`` returns this batch's accuracy per k and
    accumulates; ``accumulate()`` returns the running accuracy (a float for one k, else a list).

    >>> import paddlefish as paddle
    >>> from paddlefish.metric import Accuracy
    >>> m = Accuracy()
    >>> pred = paddle.to_tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    >>> label = paddle.to_tensor([[1], [1], [1]])
    >>> float(m.update(m.compute(pred, label))), m.name()
    (0.6666666666666666, ['acc'])
    """

    def __init__(
        self, topk: Sequence[int] = (1,), name: str | None = None, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.topk = topk
        self.maxk = max(topk)
        self._init_name(name)
        self.reset()

    def compute(self, pred: Tensor, label: Tensor, *args: Any) -> Tensor:
        order = argsort(pred, descending=True)
        order = slice(order, axes=[len(order.shape) - 1], starts=[0], ends=[self.maxk])
        label = _label_column(label)
        return cast(equal(order, cast(label, order.dtype)), "float32")

    def update(self, correct: Any, *args: Any) -> Any:
        if isinstance(correct, Tensor):
            correct = correct.numpy()
        num_samples = np.prod(np.array(correct.shape[:-1]))
        accs = []
        for i, k in enumerate(self.topk):
            num_corrects = correct[..., :k].sum()
            accs.append(float(num_corrects) / num_samples)
            self.total[i] += num_corrects
            self.count[i] += num_samples
        return accs[0] if len(self.topk) == 1 else accs

    def reset(self) -> None:
        self.total = [0.0] * len(self.topk)
        self.count = [0] * len(self.topk)

    def accumulate(self) -> Any:
        res = [float(t) / c if c > 0 else 0.0 for t, c in zip(self.total, self.count)]
        return res[0] if len(self.topk) == 1 else res

    def _init_name(self, name: str | None) -> None:
        name = name or "acc"
        self._name = [f"{name}_top{k}" for k in self.topk] if self.maxk != 1 else [name]

    def name(self) -> list[str]:
        return self._name


def accuracy(
    input: Tensor,
    label: Tensor,
    k: int = 1,
    correct: Tensor | None = None,
    total: Tensor | None = None,
    name: str | None = None,
) -> Tensor:
    """Fraction of rows whose ``label`` is among the top ``k`` scores of ``input``; a float32
    0-D Tensor. ``correct``/``total`` (Paddle's optional output holders) are not filled.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]])
    >>> y = paddle.to_tensor([[2], [0]])
    >>> float(paddle.metric.accuracy(x, y, k=1)), float(paddle.metric.accuracy(x, y, k=2))
    (0.5, 1.0)
    """
    _, indices = topk(input, k=k)
    hits = equal(indices, cast(reshape(label, (-1, 1)), indices.dtype))
    per_row = sum(cast(hits, "float32"), axis=-1)
    return mean(per_row)
