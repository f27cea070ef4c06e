"""``paddle.static``: InputSpec and the program executor."""

from .._core.missing import module_getattr as _module_getattr
from ..ir import InputSpec as InputSpec
from ..ir import Program as Program
from .interpreter import CompiledBlock as CompiledBlock

__all__ = [
    "CompiledBlock",
    "InputSpec",
    "Program",
]

__getattr__ = _module_getattr("paddle.static")
