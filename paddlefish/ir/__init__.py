"""The Program IR (L1): plain-data Program/Block/OpDesc/VarDesc, verify(), a text printer."""

from ._input_spec import InputSpec as InputSpec
from ._pir import DIALECTS as DIALECTS
from ._pir import PirAttr as PirAttr
from ._pir import PirBlock as PirBlock
from ._pir import PirModule as PirModule
from ._pir import PirOp as PirOp
from ._pir import PirRegion as PirRegion
from ._pir import PirType as PirType
from ._pir import PirValue as PirValue
from ._pir_lift import OpSignature as OpSignature
from ._pir_lift import lift_pir as lift_pir
from ._pir_lift import pir_parameter_info as pir_parameter_info
from ._pir_lower import LowerError as LowerError
from ._pir_lower import lower_program as lower_program
from ._pir_rules import LiftError as LiftError
from ._pir_upgrade import PIR_PATCHES as PIR_PATCHES
from ._pir_upgrade import PIR_VERSION as PIR_VERSION
from ._pir_upgrade import upgrade_pir as upgrade_pir
from ._printer import format_op as format_op
from ._printer import format_var as format_var
from ._program import Block as Block
from ._program import OpDesc as OpDesc
from ._program import Program as Program
from ._program import VarDesc as VarDesc
from ._types import EMPTY_VAR_NAME as EMPTY_VAR_NAME
from ._types import AttrType as AttrType
from ._types import VarType as VarType
from ._types import infer_attr_type as infer_attr_type
from ._verify import check_attr_value as check_attr_value

__all__ = [
    "DIALECTS",
    "EMPTY_VAR_NAME",
    "PIR_PATCHES",
    "PIR_VERSION",
    "AttrType",
    "Block",
    "InputSpec",
    "LiftError",
    "LowerError",
    "OpDesc",
    "OpSignature",
    "PirAttr",
    "PirBlock",
    "PirModule",
    "PirOp",
    "PirRegion",
    "PirType",
    "PirValue",
    "Program",
    "VarDesc",
    "VarType",
    "check_attr_value",
    "format_op",
    "format_var",
    "infer_attr_type",
    "lift_pir",
    "lower_program",
    "pir_parameter_info",
    "upgrade_pir",
]
