"""``paddle.vision``: datasets (more to come: transforms, models)."""

from . import datasets as datasets
from . import models as models
