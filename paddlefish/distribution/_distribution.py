"""``Distribution``: the base class, and Paddle's rules for turning parameters into tensors."""

from __future__ import annotations

import warnings

import numpy as np

from .. import tensor as _T
from ..eager.dispatch import get_recorder
from ..eager.tensor import Tensor
from . import _functional as _F

__all__ = ["Distribution"]


class Distribution:
    """The abstract base of every distribution: ``batch_shape``, ``event_shape`` and the
    methods a subclass fills in (``sample``, ``log_prob``, ``entropy``, ...).

    ``prob(value)`` is ``exp(log_prob(value))`` unless a subclass says otherwise.

    >>> import paddlefish as paddle
    >>> d = paddle.distribution.Normal(paddle.zeros([3]), paddle.ones([3]))
    >>> d.batch_shape, d.event_shape
    ((3,), ())
    """

    def __init__(self, batch_shape=(), event_shape=()):
        self._batch_shape = tuple(batch_shape)
        self._event_shape = tuple(event_shape)
        super().__init__()

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def event_shape(self) -> tuple:
        return self._event_shape

    @property
    def mean(self):
        raise NotImplementedError(f"{type(self).__name__} does not define a mean")

    @property
    def variance(self):
        raise NotImplementedError(f"{type(self).__name__} does not define a variance")

    def sample(self, shape=()):
        raise NotImplementedError(f"{type(self).__name__}.sample is not implemented")

    def rsample(self, shape=()):
        raise NotImplementedError(
            f"{type(self).__name__}.rsample is not implemented (Paddle 2.6 has no "
            "reparameterised sampling for it); use sample(), which carries no gradient"
        )

    def entropy(self):
        raise NotImplementedError(f"{type(self).__name__}.entropy is not implemented")

    def kl_divergence(self, other):
        raise NotImplementedError(
            f"{type(self).__name__}.kl_divergence is not implemented (as in Paddle 2.6)"
        )

    def prob(self, value):
        return self.log_prob(value).exp()

    def log_prob(self, value):
        raise NotImplementedError(f"{type(self).__name__}.log_prob is not implemented")

    def probs(self, value):
        raise NotImplementedError(f"{type(self).__name__}.probs is not implemented")

    def _extend_shape(self, sample_shape) -> tuple:
        return tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape)

    def _validate_args(self, *args) -> bool:
        is_tensor = any(isinstance(a, Tensor) for a in args)
        if is_tensor and not all(isinstance(a, Tensor) for a in args):
            raise ValueError(
                f"{type(self).__name__}: if one argument is a Tensor, all arguments should be "
                f"Tensors; got {[type(a).__name__ for a in args]}"
            )
        return is_tensor

    def _to_tensor(self, *args) -> tuple:
        return params_to_tensors(type(self).__name__, *args)

    def _check_values_dtype_in_probs(self, param, value):
        if value.dtype != param.dtype and str(value.dtype) in ("paddle.float32", "paddle.float64"):
            warnings.warn(
                "dtype of input 'value' needs to be the same as parameters of distribution "
                "class. dtype of 'value' will be converted.",
                stacklevel=3,
            )
            return value.astype(param.dtype)
        return value

    def _probs_to_logits(self, probs, is_binary=False):
        return _T.log(probs) - _T.log1p(-probs) if is_binary else _T.log(probs)

    def _logits_to_probs(self, logits, is_binary=False):
        return _F.sigmoid(logits) if is_binary else _F.softmax(logits, axis=-1)


def params_to_tensors(owner: str, *args) -> tuple:
    """Paddle's ``Distribution._to_tensor``: python floats, lists, tuples and ndarrays become
    tensors broadcast against each other.

    NOTE [distribution params]: Paddle 2.6 casts every such argument to float32 (with a warning
    unless it was float64) before broadcasting; ``Normal``, ``Uniform`` and ``Categorical`` then
    cast back to float64 when an ndarray argument was float64. Tensor arguments skip all this:
    they are kept as given, not broadcast, and the batch shape is the first one's shape."""
    arrays = []
    total = np.float32(0.0)
    for arg in args:
        if isinstance(arg, Tensor):
            arg = arg.numpy()
        if not isinstance(arg, (float, list, tuple, np.ndarray)):
            raise TypeError(
                f"{owner}: type of input args must be float, list, tuple, numpy.ndarray or "
                f"Tensor, but received type {type(arg)}"
            )
        a = np.array(arg)
        if a.dtype != np.float32:
            if a.dtype != np.float64:
                warnings.warn(
                    "data type of argument only support float32 and float64, your argument "
                    "will be convert to float32.",
                    stacklevel=3,
                )
            a = a.astype("float32")
        total = total + a
        arrays.append(a)
    return tuple(
        _T.to_tensor(np.array(np.broadcast_arrays(a, total)[0]), dtype=total.dtype) for a in arrays
    )


def check_eager_sampling(owner: str) -> None:
    """Sampling draws from torch's generator directly, which a recorded program cannot hold."""
    if get_recorder() is not None:
        raise NotImplementedError(
            f"{owner}: sampling inside a forward that jit.save / to_static is converting is not "
            "supported by paddlefish (its random draws are eager-only); sample outside the "
            "exported forward and pass the noise in as an input, e.g. "
            "loc + noise * scale for a Normal"
        )


def sum_rightmost(value, n: int):
    """Sum over the ``n`` rightmost axes (``value`` unchanged when ``n <= 0``)."""
    return value.sum(list(range(-n, 0))) if n > 0 else value
