"""``paddle.optimizer``: optimizers and (``lr``) learning-rate schedulers. Explicit re-exports."""

from .._core.missing import module_getattr as _module_getattr
from . import lr as lr
from .adadelta import Adadelta as Adadelta
from .adagrad import Adagrad as Adagrad
from .adam import Adam as Adam
from .adamax import Adamax as Adamax
from .adamw import AdamW as AdamW
from .lamb import Lamb as Lamb
from .lbfgs import LBFGS as LBFGS
from .momentum import Momentum as Momentum
from .optimizer import Optimizer as Optimizer
from .optimizer import OptimizerStateError as OptimizerStateError
from .rmsprop import RMSProp as RMSProp
from .sgd import SGD as SGD

__all__ = [
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "LBFGS",
    "Lamb",
    "Momentum",
    "Optimizer",
    "OptimizerStateError",
    "RMSProp",
    "SGD",
    "lr",
]

__getattr__ = _module_getattr("paddle.optimizer")
