"""``paddle.hapi.progressbar``: the console progress bar of ``Model.fit``."""

from ._progressbar import ProgressBar as ProgressBar

__all__ = ["ProgressBar"]
