"""Devices: ``paddle.set_device('cpu'|'gpu'|'gpu:N')`` and Paddle-style ``Place`` objects."""

from __future__ import annotations

import torch

from .._core import flags

__all__ = [
    "CPUPlace",
    "CUDAPlace",
    "Place",
    "cuda_device_count",
    "cuda_empty_cache",
    "cuda_memory_stat",
    "cuda_synchronize",
    "current_torch_device",
    "get_all_device_type",
    "get_available_device",
    "get_cudnn_version",
    "get_device",
    "is_compiled_with_cuda",
    "set_device",
]

_current = torch.device("cpu")


class Place:
    """A device, printed as Paddle prints it: ``Place(cpu)``, ``Place(gpu:0)``."""

    def __init__(self, device: torch.device):
        self._device = torch.device(device)

    def is_cpu_place(self) -> bool:
        return self._device.type == "cpu"

    def is_gpu_place(self) -> bool:
        return self._device.type == "cuda"

    def gpu_device_id(self) -> int:
        return self._device.index or 0

    def __repr__(self) -> str:
        if self._device.type == "cpu":
            return "Place(cpu)"
        return f"Place(gpu:{self._device.index or 0})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Place) and self._device == other._device

    def __hash__(self) -> int:
        return hash(self._device)


def CPUPlace() -> Place:
    return Place(torch.device("cpu"))


def CUDAPlace(idx: int = 0) -> Place:
    return Place(torch.device("cuda", idx))


def _parse(device) -> torch.device:
    if isinstance(device, Place):
        return device._device
    if isinstance(device, torch.device):
        return device
    s = str(device).lower().strip()
    if s == "cpu":
        return torch.device("cpu")
    if s.startswith("gpu") or s.startswith("cuda"):
        idx = int(s.split(":")[1]) if ":" in s else 0
        if not torch.cuda.is_available():
            raise ValueError(
                f"set_device({device!r}): no CUDA device is available to torch on this machine; "
                "use 'cpu'"
            )
        return torch.device("cuda", idx)
    raise ValueError(f"unknown device {device!r}; expected 'cpu', 'gpu' or 'gpu:N'")


def set_device(device) -> Place:
    """Select the device new tensors are created on; returns its Place."""
    global _current
    _current = _parse(device)
    return Place(_current)


def get_device() -> str:
    return "cpu" if _current.type == "cpu" else f"gpu:{_current.index or 0}"


def current_torch_device() -> torch.device:
    return _current


def to_torch_device(place) -> torch.device:
    return _parse(place)


def is_compiled_with_cuda() -> bool:
    """Whether a CUDA device can be used (torch's CUDA build sees one)."""
    return torch.cuda.is_available()


def get_all_device_type() -> list[str]:
    """The accelerator types present, as Paddle lists them: ``['gpu']`` with CUDA, else ``[]``
    (Paddle 2.6's CPU build answers ``[]``; the CPU is never listed)."""
    return ["gpu"] if is_compiled_with_cuda() else []


def get_available_device() -> list[str]:
    """``['gpu:0', ...]``: the accelerators ``set_device`` can select (``[]`` on a CPU machine)."""
    return [f"gpu:{i}" for i in range(cuda_device_count())]


def get_cudnn_version() -> int | None:
    """cuDNN's version number as Paddle reports it (e.g. 8906), ``None`` without CUDA."""
    if not is_compiled_with_cuda():
        return None
    return torch.backends.cudnn.version()


def cuda_device_count() -> int:
    return torch.cuda.device_count() if is_compiled_with_cuda() else 0


def cuda_synchronize(device=None) -> None:
    if is_compiled_with_cuda():
        torch.cuda.synchronize(None if device is None else _parse(_gpu(device)))


def cuda_empty_cache() -> None:
    if is_compiled_with_cuda():
        torch.cuda.empty_cache()


def _gpu(device):
    return f"gpu:{device}" if isinstance(device, int) else device


def cuda_memory_stat(stat: str, device=None) -> int:
    """``memory_allocated`` / ``max_memory_allocated`` / ``memory_reserved`` /
    ``max_memory_reserved`` in bytes (0 without CUDA, as there is nothing allocated on a GPU)."""
    if not is_compiled_with_cuda():
        return 0
    dev = None if device is None else _parse(_gpu(device))
    return int(getattr(torch.cuda, stat)(dev))


def _set_cudnn_deterministic(value) -> None:
    torch.backends.cudnn.deterministic = bool(value)


# NOTE [flags]: FLAGS_cudnn_deterministic is one of the flags with an effect here
flags.watch("FLAGS_cudnn_deterministic", _set_cudnn_deterministic)
