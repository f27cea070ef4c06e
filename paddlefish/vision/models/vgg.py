"""VGG, as ``paddle.vision.models.vgg`` (see NOTE [vision model structure] in _utils.py)."""

from __future__ import annotations

from ... import nn
from ...tensor.manipulation import flatten
from ._utils import refuse_pretrained

__all__ = ["VGG", "make_layers", "vgg11", "vgg13", "vgg16", "vgg19"]

# conv widths per configuration, "M" = 2x2 max pool (the paper's A, B, D, E)
_CFGS = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M"]
    + [512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


class VGG(nn.Layer):
    """VGG over a ``features`` layer (``make_layers``), a 7x7 adaptive average pool
    (``with_pool``) and a 3-layer classifier (when ``num_classes > 0``).

    >>> import paddlefish as paddle
    >>> from paddlefish.vision.models.vgg import VGG, make_layers
    >>> m = VGG(make_layers([8, "M"]), num_classes=0, with_pool=False).eval()
    >>> m(paddle.ones([1, 3, 8, 8])).shape
    [1, 8, 4, 4]
    """

    def __init__(self, features: nn.Layer, num_classes: int = 1000, with_pool: bool = True):
        super().__init__()
        self.features = features
        self.num_classes = num_classes
        self.with_pool = with_pool
        if with_pool:
            self.avgpool = nn.AdaptiveAvgPool2D((7, 7))
        if num_classes > 0:
            self.classifier = nn.Sequential(
                nn.Linear(512 * 7 * 7, 4096),
                nn.ReLU(),
                nn.Dropout(),
                nn.Linear(4096, 4096),
                nn.ReLU(),
                nn.Dropout(),
                nn.Linear(4096, num_classes),
            )

    def forward(self, x):
        x = self.features(x)
        if self.with_pool:
            x = self.avgpool(x)
        if self.num_classes > 0:
            x = flatten(x, 1)
            x = self.classifier(x)
        return x


def make_layers(cfg: list, batch_norm: bool = False) -> nn.Sequential:
    """The convolutional part of VGG: 3x3 convs (+ BatchNorm2D when ``batch_norm``) + ReLU,
    ``"M"`` for a 2x2 max pool.

    >>> from paddlefish.vision.models.vgg import make_layers
    >>> len(make_layers([64, "M"], batch_norm=True))
    4
    """
    layers: list[nn.Layer] = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2D(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2D(in_channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2D(v))
        layers.append(nn.ReLU())
        in_channels = v
    return nn.Sequential(*layers)


def _vgg(arch: str, cfg: str, batch_norm: bool, pretrained: bool, **kwargs) -> VGG:
    if pretrained:
        refuse_pretrained(arch + ("_bn" if batch_norm else ""))
    return VGG(make_layers(_CFGS[cfg], batch_norm=batch_norm), **kwargs)


def vgg11(pretrained: bool = False, batch_norm: bool = False, **kwargs) -> VGG:
    """VGG 11-layer (config A); ``**kwargs`` go to ``VGG``.

    >>> from paddlefish.vision.models import vgg11
    >>> len(vgg11(num_classes=0).features)
    21
    """
    return _vgg("vgg11", "A", batch_norm, pretrained, **kwargs)


def vgg13(pretrained: bool = False, batch_norm: bool = False, **kwargs) -> VGG:
    """VGG 13-layer (config B); ``**kwargs`` go to ``VGG``.

    >>> from paddlefish.vision.models import vgg13
    >>> len(vgg13(batch_norm=True, num_classes=0).features)
    35
    """
    return _vgg("vgg13", "B", batch_norm, pretrained, **kwargs)


def vgg16(pretrained: bool = False, batch_norm: bool = False, **kwargs) -> VGG:
    """VGG 16-layer (config D); ``**kwargs`` go to ``VGG``.

    >>> from paddlefish.vision.models import vgg16
    >>> len(vgg16(num_classes=0).features)
    31
    """
    return _vgg("vgg16", "D", batch_norm, pretrained, **kwargs)


def vgg19(pretrained: bool = False, batch_norm: bool = False, **kwargs) -> VGG:
    """VGG 19-layer (config E); ``**kwargs`` go to ``VGG``.

    >>> from paddlefish.vision.models import vgg19
    >>> len(vgg19(num_classes=0).features)
    37
    """
    return _vgg("vgg19", "E", batch_norm, pretrained, **kwargs)
