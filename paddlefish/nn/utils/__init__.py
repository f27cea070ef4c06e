"""``paddle.nn.utils``: weight re-parametrisations and parameter/gradient helpers.

>>> import paddlefish as paddle
>>> net = paddle.nn.Linear(2, 2)
>>> net(paddle.ones([1, 2])).sum().backward()
>>> float(paddle.nn.utils.clip_grad_norm_(net.parameters(), 1.0)) > 0
True
"""

from ..._core.missing import module_getattr
from ._params import clip_grad_norm_ as clip_grad_norm_
from ._params import clip_grad_value_ as clip_grad_value_
from ._params import parameters_to_vector as parameters_to_vector
from ._params import vector_to_parameters as vector_to_parameters
from ._weight_norm import remove_weight_norm as remove_weight_norm
from ._weight_norm import spectral_norm as spectral_norm
from ._weight_norm import weight_norm as weight_norm

__all__ = [
    "clip_grad_norm_",
    "clip_grad_value_",
    "parameters_to_vector",
    "remove_weight_norm",
    "spectral_norm",
    "vector_to_parameters",
    "weight_norm",
]

__getattr__ = module_getattr("paddle.nn.utils")
