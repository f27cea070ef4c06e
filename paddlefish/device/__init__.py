"""``paddle.device``: select and query devices (re-exports of ``paddlefish.eager.device``).

>>> import paddlefish as paddle
>>> paddle.device.set_device("cpu")
Place(cpu)
>>> paddle.device.get_device(), paddle.device.cuda.device_count() >= 0
('cpu', True)
"""

from .._core.missing import module_getattr
from ..eager.device import CPUPlace as CPUPlace
from ..eager.device import CUDAPlace as CUDAPlace
from ..eager.device import get_all_device_type as get_all_device_type
from ..eager.device import get_available_device as get_available_device
from ..eager.device import get_cudnn_version as get_cudnn_version
from ..eager.device import get_device as get_device
from ..eager.device import is_compiled_with_cuda as is_compiled_with_cuda
from ..eager.device import set_device as set_device
from . import cuda as cuda
from ._streams import CUDAPinnedPlace as CUDAPinnedPlace
from ._streams import CustomPlace as CustomPlace
from ._streams import Event as Event
from ._streams import IPUPlace as IPUPlace
from ._streams import Stream as Stream
from ._streams import XPUPlace as XPUPlace
from ._streams import current_stream as current_stream
from ._streams import set_stream as set_stream
from ._streams import stream_guard as stream_guard

__all__ = [
    "CPUPlace",
    "CUDAPlace",
    "Event",
    "IPUPlace",
    "Stream",
    "XPUPlace",
    "cuda",
    "current_stream",
    "get_all_custom_device_type",
    "get_all_device_type",
    "get_available_custom_device",
    "get_available_device",
    "get_cudnn_version",
    "get_device",
    "is_compiled_with_cinn",
    "is_compiled_with_custom_device",
    "is_compiled_with_distribute",
    "is_compiled_with_ipu",
    "is_compiled_with_rocm",
    "is_compiled_with_xpu",
    "set_device",
    "set_stream",
    "stream_guard",
    "synchronize",
]


def synchronize(device=None) -> None:
    """Wait for the device's queued work (CUDA only; a no-op on the CPU)."""
    cuda.synchronize(device)


def is_compiled_with_xpu() -> bool:
    """paddlefish runs on PyTorch's CPU and CUDA backends only."""
    return False


is_compiled_with_rocm = is_compiled_with_ipu = is_compiled_with_cinn = is_compiled_with_xpu


def is_compiled_with_distribute() -> bool:
    return False


def is_compiled_with_custom_device(device_type: str) -> bool:
    return False


def get_all_custom_device_type() -> list:
    return []


def get_available_custom_device() -> list:
    return []


__getattr__ = module_getattr("paddle.device")
