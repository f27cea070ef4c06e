"""``paddle.vision``: datasets, transforms and models.

>>> from paddlefish import vision
>>> vision.transforms.Resize(4).size
4
"""

from . import datasets as datasets
from . import models as models
from . import transforms as transforms

__all__ = ["datasets", "models", "transforms"]
