"""``paddle.vision.datasets``: datasets available without a download."""

from ._digits import Digits as Digits
