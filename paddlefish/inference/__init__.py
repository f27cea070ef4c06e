"""``paddle.inference``: Paddle Inference's Python API over paddlefish's program executor.

``Config`` names a saved model (``.pdmodel`` or PIR ``.json`` with ``.pdiparams``, a jit.save
prefix, or a 1.x directory); ``create_predictor`` loads it, folds batch_norm into convolutions
and compiles it per input shape (see NOTE [inference compile] in _engine.py).

>>> from paddlefish import inference
>>> inference.DataType.FLOAT32.name, inference.PlaceType.CPU.name
('FLOAT32', 'CPU')
"""

from ._config import Config as Config
from ._config import DataType as DataType
from ._config import PlaceType as PlaceType
from ._config import PrecisionType as PrecisionType
from ._config import get_version as get_version
from ._predictor import Predictor as Predictor
from ._predictor import PredictorPool as PredictorPool
from ._predictor import Tensor as Tensor
from ._predictor import create_predictor as create_predictor

__all__ = [
    "Config",
    "DataType",
    "PlaceType",
    "PrecisionType",
    "Predictor",
    "PredictorPool",
    "Tensor",
    "create_predictor",
    "get_version",
]
