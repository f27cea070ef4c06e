"""``paddle.metric``: ``Metric`` and the classification metrics."""

from .._core.missing import module_getattr as _module_getattr
from ._accuracy import Accuracy as Accuracy
from ._accuracy import accuracy as accuracy
from ._base import Metric as Metric
from ._binary import Auc as Auc
from ._binary import Precision as Precision
from ._binary import Recall as Recall

__all__ = [
    "Accuracy",
    "Auc",
    "Metric",
    "Precision",
    "Recall",
    "accuracy",
]

__getattr__ = _module_getattr("paddle.metric")
