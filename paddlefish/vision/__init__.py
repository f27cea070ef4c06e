"""``paddle.vision``: datasets (more to come: transforms, models)."""

from . import datasets as datasets
