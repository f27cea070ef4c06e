"""Metric base, Accuracy and accuracy against hand-computed values; Precision, Recall, Auc."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.metric import Accuracy, Auc, Metric, Precision, Recall, accuracy

PRED = np.array(
    [[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.2, 0.3, 0.5], [0.4, 0.35, 0.25]], dtype="float32"
)
LABEL = np.array([[1], [2], [0], [1]], dtype="int64")
# ranks of the label: row0 1st, row1 2nd, row2 3rd, row3 2nd


def test_metric_base_is_abstract_and_compute_passes_through():
    with pytest.raises(TypeError):
        Metric()

    class Sum(Metric):
        def reset(self):
            self.s = 0

        def update(self, x):
            self.s += x

        def accumulate(self):
            return self.s

        def name(self):
            return "sum"

    m = Sum()
    m.reset()
    m.update(2)
    assert m.accumulate() == 2 and m.compute(1, 2) == (1, 2)


def test_accuracy_compute_matrix():
    m = Accuracy(topk=(1, 2))
    correct = m.compute(paddle.to_tensor(PRED), paddle.to_tensor(LABEL))
    assert correct.dtype == paddle.float32 and correct.shape == [4, 2]
    np.testing.assert_array_equal(correct.numpy(), [[1, 0], [0, 1], [0, 0], [0, 1]])


def test_accuracy_update_and_accumulate_by_hand():
    m = Accuracy(topk=(1, 2), name="my")
    assert m.name() == ["my_top1", "my_top2"]
    accs = m.update(m.compute(paddle.to_tensor(PRED), paddle.to_tensor(LABEL)))
    assert accs == [0.25, 0.75]
    accs = m.update(m.compute(paddle.to_tensor(PRED[:2]), paddle.to_tensor(LABEL[:2])))
    assert accs == [0.5, 1.0]
    assert m.accumulate() == [2 / 6, 5 / 6]
    m.reset()
    assert m.accumulate() == [0.0, 0.0]


def test_accuracy_single_k_returns_scalars_and_handles_label_forms():
    m = Accuracy()
    assert m.name() == ["acc"]
    flat = m.compute(paddle.to_tensor(PRED), paddle.to_tensor(LABEL.reshape(-1)))
    one_hot = m.compute(paddle.to_tensor(PRED), paddle.to_tensor(np.eye(3)[LABEL.reshape(-1)]))
    np.testing.assert_array_equal(flat.numpy(), one_hot.numpy())
    assert m.update(flat) == 0.25
    assert m.update(flat.numpy()) == 0.25  # numpy input too
    assert m.accumulate() == 0.25


def test_functional_accuracy():
    x, y = paddle.to_tensor(PRED), paddle.to_tensor(LABEL)
    a1, a2, a3 = (accuracy(x, y, k=k) for k in (1, 2, 3))
    assert a1.dtype == paddle.float32 and a1.shape == []
    assert (float(a1), float(a2), float(a3)) == (0.25, 0.75, 1.0)


def test_precision_recall():
    preds = np.array([0.9, 0.8, 0.2, 0.6, 0.4])
    labels = np.array([1, 0, 1, 1, 0])
    p, r = Precision(), Recall()
    p.update(preds, labels)
    r.update(paddle.to_tensor(preds), paddle.to_tensor(labels))
    assert p.accumulate() == 2 / 3 and r.accumulate() == 2 / 3
    assert (p.name(), r.name()) == ("precision", "recall")
    p.reset()
    assert p.accumulate() == 0.0
    with pytest.raises(ValueError, match="'preds' must be a numpy ndarray or Tensor"):
        p.update([0.1], labels)


def test_auc_against_pairwise_definition():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 200)
    score = np.clip(labels * 0.3 + rng.random(200) * 0.7, 0, 1)
    m = Auc()
    m.update(np.stack([1 - score, score], axis=1), labels)
    pos, neg = score[labels == 1], score[labels == 0]
    diff = pos[:, None] - neg[None, :]
    expect = (np.sum(diff > 0) + 0.5 * np.sum(diff == 0)) / diff.size
    assert abs(m.accumulate() - expect) < 2e-3  # bucketing to 4096 thresholds
    m.reset()
    assert m.accumulate() == 0.0
