"""Helpers shared by the vision models: channel rounding, the conv-norm-activation block and the
``pretrained=True`` refusal.

NOTE [vision model structure]: every model here mirrors Paddle 2.6's ``paddle.vision.models`` layer
for layer (attribute names, ``Sequential`` nesting, the order sublayers are created, bias on/off),
because the structured names of ``state_dict()`` (``layer1.0.conv1.weight``) are the file contract
with real Paddle's ``.pdparams``. Change nothing here without the oracle test
(tests/vision/test_models.py) comparing keys, shapes and order.
"""

from __future__ import annotations

from ... import nn


def _make_divisible(v: float, divisor: int = 8, min_value: int | None = None) -> int:
    """Round ``v`` to a multiple of ``divisor``, never going down by more than 10% (Paddle's rule).

    >>> _make_divisible(32 * 0.75)
    24
    """
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class ConvNormActivation(nn.Sequential):
    """Conv2D, then an optional norm layer, then an optional activation (as
    ``paddle.vision.ops.ConvNormActivation``); the conv has a bias only when there is no norm.

    >>> import paddlefish as paddle
    >>> block = ConvNormActivation(3, 8, stride=2)
    >>> block(paddle.ones([1, 3, 8, 8])).shape
    [1, 8, 4, 4]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        padding: int | None = None,
        groups: int = 1,
        norm_layer=nn.BatchNorm2D,
        activation_layer=nn.ReLU,
        dilation: int = 1,
        bias: bool | None = None,
    ):
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        if bias is None:
            bias = norm_layer is None
        layers = [
            nn.Conv2D(
                in_channels,
                out_channels,
                kernel_size,
                stride,
                padding,
                dilation=dilation,
                groups=groups,
                bias_attr=None if bias else False,
            )
        ]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            layers.append(activation_layer())
        super().__init__(*layers)


def refuse_pretrained(arch: str) -> None:
    """Raise: paddlefish never downloads weights."""
    raise NotImplementedError(
        f"{arch}(pretrained=True) would download ImageNet weights, which paddlefish does not do. "
        f"Build it with pretrained=False and load a local file instead: "
        f"model = {arch}(); model.set_state_dict(paddle.load('{arch}.pdparams')) "
        "(real Paddle's pretrained .pdparams files load as they are)"
    )
