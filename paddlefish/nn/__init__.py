"""``paddle.nn``: Layer, layers, functional, initializers. Explicit re-exports, one line each."""

from . import functional as functional
from . import initializer as initializer
from .layer.container import LayerDict as LayerDict
from .layer.container import LayerList as LayerList
from .layer.container import ParameterList as ParameterList
from .layer.container import Sequential as Sequential
from .layer.layers import Layer as Layer
from .layer.linear import Identity as Identity
from .layer.linear import Linear as Linear
from .param_attr import ParamAttr as ParamAttr
