"""``paddle.static``: InputSpec and the program executor."""

from ..ir import InputSpec as InputSpec
from ..ir import Program as Program
from .interpreter import CompiledBlock as CompiledBlock
