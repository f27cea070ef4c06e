"""L4: Paddle's functional tensor API (creation, math, manipulation, search), each call going
through the op registry; importing it attaches the methods and operators to ``Tensor``."""

from . import _methods as _methods
from .creation import *
from .creation import __all__ as _creation_all
from .manipulation import *
from .math import *
