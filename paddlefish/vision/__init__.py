"""``paddle.vision``: datasets, transforms and models.

>>> from paddlefish import vision
>>> vision.transforms.Resize(4).size
4
"""

from . import datasets as datasets
from . import models as models
from . import transforms as transforms
from .datasets._common import get_image_backend as get_image_backend
from .datasets._common import image_load as image_load
from .datasets._common import set_image_backend as set_image_backend

__all__ = [
    "datasets",
    "models",
    "transforms",
    "get_image_backend",
    "set_image_backend",
    "image_load",
]
