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
from .layer.rnn import GRU as GRU
from .layer.rnn import LSTM as LSTM
from .layer.rnn import RNN as RNN
from .layer.rnn import BiRNN as BiRNN
from .layer.rnn import GRUCell as GRUCell
from .layer.rnn import LSTMCell as LSTMCell
from .layer.rnn import RNNCellBase as RNNCellBase
from .layer.rnn import SimpleRNN as SimpleRNN
from .layer.rnn import SimpleRNNCell as SimpleRNNCell
from .clip import ClipGradByGlobalNorm as ClipGradByGlobalNorm
from .clip import ClipGradByNorm as ClipGradByNorm
from .clip import ClipGradByValue as ClipGradByValue
