"""Devices: ``paddle.set_device('cpu'|'gpu'|'gpu:N')`` and Paddle-style ``Place`` objects."""

from __future__ import annotations

import torch

__all__ = ["CPUPlace", "CUDAPlace", "Place", "current_torch_device", "get_device", "set_device"]

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
