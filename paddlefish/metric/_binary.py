"""Binary-classification metrics over numpy: ``Precision``, ``Recall``, ``Auc``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import Metric, as_numpy

__all__ = ["Auc", "Precision", "Recall"]


class Precision(Metric):
    """Precision of binary predictions (a prediction is positive when it rounds to 1).

    >>> import numpy as np
    >>> from paddlefish.metric import Precision
    >>> m = Precision()
    >>> m.update(np.array([0.1, 0.9, 0.8, 0.6]), np.array([0, 1, 0, 1]))
    >>> m.accumulate()
    0.6666666666666666
    """

    def __init__(self, name: str = "precision", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name = name
        self.reset()

    def update(self, preds: Any, labels: Any) -> None:
        p = np.floor(as_numpy(preds, "preds", "Precision") + 0.5).astype("int32").reshape(-1)
        y = as_numpy(labels, "labels", "Precision").reshape(-1)
        pos = p == 1
        self.tp += int(np.sum(pos & (y == 1)))
        self.fp += int(np.sum(pos & (y != 1)))

    def reset(self) -> None:
        self.tp = 0
        self.fp = 0

    def accumulate(self) -> float:
        ap = self.tp + self.fp
        return float(self.tp) / ap if ap != 0 else 0.0

    def name(self) -> str:
        return self._name


class Recall(Metric):
    """Recall of binary predictions (a prediction is positive when it rounds to 1).

    >>> import numpy as np
    >>> from paddlefish.metric import Recall
    >>> m = Recall()
    >>> m.update(np.array([0.1, 0.9, 0.8, 0.2]), np.array([1, 1, 0, 1]))
    >>> m.accumulate()
    0.3333333333333333
    """

    def __init__(self, name: str = "recall", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name = name
        self.reset()

    def update(self, preds: Any, labels: Any) -> None:
        p = np.rint(as_numpy(preds, "preds", "Recall")).astype("int32").reshape(-1)
        y = as_numpy(labels, "labels", "Recall").reshape(-1)
        true = y == 1
        self.tp += int(np.sum(true & (p == 1)))
        self.fn += int(np.sum(true & (p != 1)))

    def reset(self) -> None:
        self.tp = 0
        self.fn = 0

    def accumulate(self) -> float:
        total = self.tp + self.fn
        return float(self.tp) / total if total != 0 else 0.0

    def name(self) -> str:
        return self._name


class Auc(Metric):
    """Area under the ROC curve from bucketed positive-class scores ``preds[:, 1]``.

    >>> import numpy as np
    >>> from paddlefish.metric import Auc
    >>> m = Auc()
    >>> m.update(np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), np.array([0, 1, 1]))
    >>> float(m.accumulate())
    1.0
    """

    def __init__(
        self, curve: str = "ROC", num_thresholds: int = 4095, name: str = "auc", *args, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self._curve = curve
        self._num_thresholds = num_thresholds
        self._name = name
        self.reset()

    def update(self, preds: Any, labels: Any) -> None:
        y = as_numpy(labels, "labels", "Auc").reshape(-1)
        p = as_numpy(preds, "preds", "Auc")
        bins = (p[: len(y), 1] * self._num_thresholds).astype(np.int64)
        if np.any(bins > self._num_thresholds) or np.any(bins < 0):
            raise ValueError("Auc.update: preds[:, 1] must be probabilities in [0, 1].")
        pos = y.astype(bool)
        np.add.at(self._stat_pos, bins[pos], 1.0)
        np.add.at(self._stat_neg, bins[~pos], 1.0)

    def accumulate(self) -> float:
        pos = np.cumsum(self._stat_pos[::-1])
        neg = np.cumsum(self._stat_neg[::-1])
        pos_prev = np.concatenate([[0.0], pos[:-1]])
        neg_prev = np.concatenate([[0.0], neg[:-1]])
        auc = float(np.sum(np.abs(neg - neg_prev) * (pos + pos_prev) / 2.0))
        tot_pos, tot_neg = pos[-1], neg[-1]
        return auc / tot_pos / tot_neg if tot_pos > 0.0 and tot_neg > 0.0 else 0.0

    def reset(self) -> None:
        self._stat_pos = np.zeros(self._num_thresholds + 1)
        self._stat_neg = np.zeros(self._num_thresholds + 1)

    def name(self) -> str:
        return self._name
