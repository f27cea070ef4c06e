"""``paddle.vision``: datasets, transforms and models.

As in Paddle, every model, transform and dataset name is also reachable from ``paddle.vision``
itself (``paddle.vision.Resize is paddle.vision.transforms.Resize``).

>>> from paddlefish import vision
>>> vision.transforms.Resize(4).size, vision.LeNet is vision.models.LeNet
(4, True)
"""

from .._core.missing import module_getattr as _module_getattr
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

# Paddle's vision/__init__ star-imports its three subpackages: re-export what each provides
for _sub in (models, transforms, datasets):
    for _name in _sub.__all__:
        if _name not in globals() and hasattr(_sub, _name):
            globals()[_name] = getattr(_sub, _name)
            __all__.append(_name)

__getattr__ = _module_getattr("paddle.vision")
