"""``paddle.vision.models``: LeNet, ResNet family, MobileNetV2/V3 with Paddle's exact structure
(state_dict keys match real Paddle's). Explicit re-exports, one line each.

Other Paddle 2.6 models (AlexNet, VGG, DenseNet, GoogLeNet, InceptionV3, MobileNetV1,
ShuffleNetV2, SqueezeNet) are not provided yet; see ``__getattr__``.
"""

from ..._core.missing import module_getattr as _module_getattr
from .lenet import LeNet as LeNet
from .mobilenetv2 import MobileNetV2 as MobileNetV2
from .mobilenetv2 import mobilenet_v2 as mobilenet_v2
from .mobilenetv3 import MobileNetV3Large as MobileNetV3Large
from .mobilenetv3 import MobileNetV3Small as MobileNetV3Small
from .mobilenetv3 import mobilenet_v3_large as mobilenet_v3_large
from .mobilenetv3 import mobilenet_v3_small as mobilenet_v3_small
from .resnet import ResNet as ResNet
from .resnet import resnet18 as resnet18
from .resnet import resnet34 as resnet34
from .resnet import resnet50 as resnet50
from .resnet import resnet101 as resnet101
from .resnet import resnet152 as resnet152
from .resnet import resnext50_32x4d as resnext50_32x4d
from .resnet import resnext50_64x4d as resnext50_64x4d
from .resnet import resnext101_32x4d as resnext101_32x4d
from .resnet import resnext101_64x4d as resnext101_64x4d
from .resnet import resnext152_32x4d as resnext152_32x4d
from .resnet import resnext152_64x4d as resnext152_64x4d
from .resnet import wide_resnet50_2 as wide_resnet50_2
from .resnet import wide_resnet101_2 as wide_resnet101_2

__all__ = [
    "LeNet",
    "MobileNetV2",
    "mobilenet_v2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "mobilenet_v3_large",
    "mobilenet_v3_small",
    "ResNet",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet101",
    "resnet152",
    "resnext50_32x4d",
    "resnext50_64x4d",
    "resnext101_32x4d",
    "resnext101_64x4d",
    "resnext152_32x4d",
    "resnext152_64x4d",
    "wide_resnet50_2",
    "wide_resnet101_2",
]

_MISSING = {
    "AlexNet",
    "alexnet",
    "VGG",
    "vgg11",
    "vgg13",
    "vgg16",
    "vgg19",
    "DenseNet",
    "densenet121",
    "densenet161",
    "densenet169",
    "densenet201",
    "densenet264",
    "GoogLeNet",
    "googlenet",
    "InceptionV3",
    "inception_v3",
    "MobileNetV1",
    "mobilenet_v1",
    "ShuffleNetV2",
    "shufflenet_v2_x0_25",
    "shufflenet_v2_x0_33",
    "shufflenet_v2_x0_5",
    "shufflenet_v2_x1_0",
    "shufflenet_v2_x1_5",
    "shufflenet_v2_x2_0",
    "shufflenet_v2_swish",
    "SqueezeNet",
    "squeezenet1_0",
    "squeezenet1_1",
}


__getattr__ = _module_getattr(
    "paddle.vision.models",
    {
        k: "available: LeNet, ResNet (resnet18..152, resnext*, wide_resnet*), MobileNetV2, "
        "MobileNetV3"
        for k in _MISSING
    },
)
