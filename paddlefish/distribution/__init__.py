"""``paddle.distribution``: Paddle 2.6's probability distributions, transforms and KL
divergences, on torch tensors (gradients flow through ``rsample``, ``log_prob`` and friends).

>>> import paddlefish as paddle
>>> D = paddle.distribution
>>> d = D.Normal(paddle.to_tensor([0.0, 1.0]), paddle.to_tensor([1.0, 2.0]))
>>> d.rsample([4]).shape
[4, 2]
>>> D.kl_divergence(d, d).numpy().tolist()
[0.0, 0.0]
"""

from .._core.missing import module_getattr as _module_getattr
from . import transform as transform
from ._bernoulli import Bernoulli as Bernoulli
from ._beta import Beta as Beta
from ._categorical import Categorical as Categorical
from ._cauchy import Cauchy as Cauchy
from ._dirichlet import Dirichlet as Dirichlet
from ._distribution import Distribution as Distribution
from ._exponential_family import ExponentialFamily as ExponentialFamily
from ._geometric import Geometric as Geometric
from ._gumbel import Gumbel as Gumbel
from ._independent import Independent as Independent
from ._kl import kl_divergence as kl_divergence
from ._kl import register_kl as register_kl
from ._laplace import Laplace as Laplace
from ._lognormal import LogNormal as LogNormal
from ._multinomial import Multinomial as Multinomial
from ._normal import Normal as Normal
from ._transformed_distribution import TransformedDistribution as TransformedDistribution
from ._uniform import Uniform as Uniform
from .transform import AbsTransform as AbsTransform
from .transform import AffineTransform as AffineTransform
from .transform import ChainTransform as ChainTransform
from .transform import ExpTransform as ExpTransform
from .transform import IndependentTransform as IndependentTransform
from .transform import PowerTransform as PowerTransform
from .transform import ReshapeTransform as ReshapeTransform
from .transform import SigmoidTransform as SigmoidTransform
from .transform import SoftmaxTransform as SoftmaxTransform
from .transform import StackTransform as StackTransform
from .transform import StickBreakingTransform as StickBreakingTransform
from .transform import TanhTransform as TanhTransform
from .transform import Transform as Transform

__all__ = [
    "AbsTransform",
    "AffineTransform",
    "Bernoulli",
    "Beta",
    "Categorical",
    "Cauchy",
    "ChainTransform",
    "Dirichlet",
    "Distribution",
    "ExpTransform",
    "ExponentialFamily",
    "Geometric",
    "Gumbel",
    "Independent",
    "IndependentTransform",
    "Laplace",
    "LogNormal",
    "Multinomial",
    "Normal",
    "PowerTransform",
    "ReshapeTransform",
    "SigmoidTransform",
    "SoftmaxTransform",
    "StackTransform",
    "StickBreakingTransform",
    "TanhTransform",
    "Transform",
    "TransformedDistribution",
    "Uniform",
    "kl_divergence",
    "register_kl",
]

__getattr__ = _module_getattr("paddle.distribution")
