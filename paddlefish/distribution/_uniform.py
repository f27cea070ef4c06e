"""``Uniform`` on ``[low, high)``, Paddle 2.6's boundary rule: density 0 at ``low`` too."""

from __future__ import annotations

from .. import tensor as _T
from ._distribution import Distribution, check_eager_sampling
from ._normal import _check_shape, _float_params

__all__ = ["Uniform"]


class Uniform(Distribution):
    """The uniform distribution on ``(low, high)``.

    Parameters as for ``Normal`` (see NOTE [distribution params]). ``log_prob`` is ``-inf`` and
    ``probs`` is 0 outside the open interval, at both ends included (Paddle compares strictly).

    >>> import paddlefish as paddle
    >>> u = paddle.distribution.Uniform([0.0, 1.0], [2.0, 5.0])
    >>> u.probs(paddle.to_tensor([1.5, 1.5])).numpy().tolist()
    [0.5, 0.25]
    >>> u.sample([3]).shape
    [3, 2]
    """

    def __init__(self, low, high, name=None):
        self.name = name if name is not None else "Uniform"
        self.batch_size_unknown = False
        self.low, self.high, self.dtype, self.all_arg_is_float = _float_params(self, low, high)
        super().__init__(self.low.shape)

    def sample(self, shape, seed=0):
        """Samples of shape ``shape + broadcast(low, high).shape`` (``shape`` for floats)."""
        check_eager_sampling("Uniform.sample")
        shape = _check_shape(shape)
        out_shape = shape + list((self.low + self.high).shape)
        u = _T.uniform(out_shape, dtype=self.dtype, min=0.0, max=1.0)
        out = u * (_T.zeros(out_shape, dtype=self.dtype) + (self.high - self.low)) + self.low
        return out.reshape(shape) if self.all_arg_is_float else out

    def _inside(self, value):
        value = self._check_values_dtype_in_probs(self.low, value)
        return (self.low < value).astype(value.dtype) * (value < self.high).astype(value.dtype)

    def log_prob(self, value):
        return _T.log(self._inside(value)) - _T.log(self.high - self.low)

    def probs(self, value):
        return self._inside(value) / (self.high - self.low)

    def entropy(self):
        return _T.log(self.high - self.low)
