"""L4: Paddle's functional tensor API (creation, math, manipulation, search), each call going
through the op registry; importing it attaches the methods and operators to ``Tensor``."""

from . import _methods as _methods  # noqa: F401  (installs Tensor methods)
from .creation import *  # noqa: F401,F403
from .creation import __all__ as _creation_all
from .manipulation import *  # noqa: F401,F403
from .math import *  # noqa: F401,F403
