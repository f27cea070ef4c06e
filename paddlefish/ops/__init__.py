"""L2': the op registry. Importing this package declares every op (one module per area)."""

from . import control_flow as control_flow
from . import legacy as legacy
from . import loss as loss
from . import manipulation as manipulation
from . import math as math
from . import metrics_ops as metrics_ops
from . import models_extra as models_extra
from . import nn as nn
from . import nn_extra as nn_extra
from . import rnn as rnn
from ._registry import AttrType as AttrType
from ._registry import OpDef as OpDef
from ._registry import Slot as Slot
from ._registry import all_ops as all_ops
from ._registry import by_pir as by_pir
from ._registry import get as get
from ._registry import lookup as lookup
from ._registry import op as op

__all__ = [
    "AttrType",
    "OpDef",
    "Slot",
    "all_ops",
    "by_pir",
    "control_flow",
    "get",
    "legacy",
    "lookup",
    "loss",
    "manipulation",
    "math",
    "metrics_ops",
    "models_extra",
    "nn",
    "nn_extra",
    "op",
    "rnn",
]
