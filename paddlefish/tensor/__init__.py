"""L4: Paddle's functional tensor API (creation, math, manipulation, search), each call going
through the op registry; importing it attaches the methods and operators to ``Tensor``."""

from . import _methods as _methods
from ._inplace import *
from .extra import *
from .extra import __all__ as _extra_all
from ._inplace import __all__ as _inplace_all
from .creation import *
from .creation import __all__ as _creation_all
from .manipulation import *
from .math import *
from .manipulation import __all__ as _manipulation_all
from .math import __all__ as _math_all

__all__ = sorted({*_creation_all, *_manipulation_all, *_math_all, *_inplace_all, *_extra_all})
