"""``paddle.static``: static-graph programs (building, Executor, static save/load)."""

from .._core.missing import module_getattr as _module_getattr
from ..ir import InputSpec as InputSpec
from . import nn as nn
from ._executor import CompiledProgram as CompiledProgram
from ._executor import CPUPlace as CPUPlace
from ._executor import Executor as Executor
from ._executor import cpu_places as cpu_places
from ._mode import disable_static as disable_static
from ._mode import enable_static as enable_static
from ._mode import in_dynamic_mode as in_dynamic_mode
from ._program import Program as Program
from ._program import data as data
from ._program import default_main_program as default_main_program
from ._program import default_startup_program as default_startup_program
from ._program import program_guard as program_guard
from ._scope import Scope as Scope
from ._scope import global_scope as global_scope
from ._scope import scope_guard as scope_guard
from .interpreter import CompiledBlock as CompiledBlock
from .variable import Variable as Variable

__all__ = [
    "CPUPlace",
    "CompiledBlock",
    "CompiledProgram",
    "Executor",
    "InputSpec",
    "Program",
    "Scope",
    "Variable",
    "cpu_places",
    "data",
    "default_main_program",
    "default_startup_program",
    "global_scope",
    "nn",
    "program_guard",
    "scope_guard",
]

__getattr__ = _module_getattr("paddle.static")
