"""``paddle.static``: static-graph programs (building, Executor, static save/load)."""

from .._core.missing import module_getattr as _module_getattr
from ..ir import InputSpec as InputSpec
from . import nn as nn
from ._executor import CompiledProgram as CompiledProgram
from ._ema import ExponentialMovingAverage as ExponentialMovingAverage
from ._extras import BuildStrategy as BuildStrategy
from ._extras import ExecutionStrategy as ExecutionStrategy
from ._extras import Print as Print
from ._extras import py_func as py_func
from ._globals import Parameter as Parameter
from ._globals import create_global_var as create_global_var
from ._globals import create_parameter as create_parameter
from ._globals import cuda_places as cuda_places
from ._globals import device_guard as device_guard
from ._globals import name_scope as name_scope
from ._globals import setitem as setitem
from ._globals import xpu_places as xpu_places
from .backward import append_backward as append_backward
from .backward import gradients as gradients
from ._executor import CPUPlace as CPUPlace
from ._executor import Executor as Executor
from ._executor import cpu_places as cpu_places
from ._metrics import accuracy as accuracy
from ._metrics import auc as auc
from ._io import deserialize_persistables as deserialize_persistables
from ._io import deserialize_program as deserialize_program
from ._io import is_persistable as is_persistable
from ._io import load as load
from ._io import load_from_file as load_from_file
from ._io import load_inference_model as load_inference_model
from ._io import load_program_state as load_program_state
from ._io import load_vars as load_vars
from ._io import normalize_program as normalize_program
from ._io import save as save
from ._io import save_inference_model as save_inference_model
from ._io import save_to_file as save_to_file
from ._io import save_vars as save_vars
from ._io import serialize_persistables as serialize_persistables
from ._io import serialize_program as serialize_program
from ._io import set_program_state as set_program_state
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
    "BuildStrategy",
    "ExecutionStrategy",
    "ExponentialMovingAverage",
    "Print",
    "CPUPlace",
    "CompiledBlock",
    "CompiledProgram",
    "Executor",
    "InputSpec",
    "Parameter",
    "Program",
    "Scope",
    "Variable",
    "accuracy",
    "append_backward",
    "auc",
    "cpu_places",
    "create_global_var",
    "create_parameter",
    "cuda_places",
    "data",
    "default_main_program",
    "default_startup_program",
    "deserialize_persistables",
    "deserialize_program",
    "device_guard",
    "global_scope",
    "gradients",
    "is_persistable",
    "load",
    "load_from_file",
    "load_inference_model",
    "load_program_state",
    "load_vars",
    "name_scope",
    "nn",
    "normalize_program",
    "program_guard",
    "py_func",
    "save",
    "save_inference_model",
    "save_to_file",
    "save_vars",
    "scope_guard",
    "serialize_persistables",
    "serialize_program",
    "set_program_state",
    "setitem",
    "xpu_places",
]

__getattr__ = _module_getattr("paddle.static")
