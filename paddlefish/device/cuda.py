"""``paddle.device.cuda``: CUDA device queries (0 devices and 0 bytes on a machine without one).

>>> from paddlefish.device import cuda
>>> cuda.device_count() >= 0 and cuda.memory_allocated() >= 0
True
"""

from .._core.missing import module_getattr
from ..eager.device import cuda_device_count as device_count
from ..eager.device import cuda_empty_cache as empty_cache
from ..eager.device import cuda_memory_stat
from ..eager.device import cuda_synchronize as synchronize

__all__ = [
    "device_count",
    "empty_cache",
    "max_memory_allocated",
    "max_memory_reserved",
    "memory_allocated",
    "memory_reserved",
    "synchronize",
]


def memory_allocated(device=None) -> int:
    return cuda_memory_stat("memory_allocated", device)


def max_memory_allocated(device=None) -> int:
    return cuda_memory_stat("max_memory_allocated", device)


def memory_reserved(device=None) -> int:
    return cuda_memory_stat("memory_reserved", device)


def max_memory_reserved(device=None) -> int:
    return cuda_memory_stat("max_memory_reserved", device)


__getattr__ = module_getattr("paddle.device.cuda")
