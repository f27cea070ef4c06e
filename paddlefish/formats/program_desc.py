"""The legacy program file (``.pdmodel``, 1.x ``__model__``): ProgramDesc protobuf <-> ir.Program.

FORMATS.md section 4. Parsing then re-serializing a real Paddle 2.6 / 3.3 (legacy) file gives the
same bytes: the IR keeps var order, slot order, attribute order and types, and the presence of
optional fields (see NOTE [presence is data] in ir/_program.py). Repeated scalars are written
unpacked, as Paddle does (python protobuf's proto2 default); packed input is accepted.
Message classes come from ``_proto_schema`` (see NOTE [runtime protobuf schema]).
"""

from __future__ import annotations

import os
from typing import IO

from google.protobuf.message import DecodeError, EncodeError

from .. import ir
from .._core import fs
from .._core.dtypes import from_vartype
from ..errors import FormatError, ProgramError
from ._proto_schema import messages
from .lod_tensor import write_all
from .op_versions import PADDLE_2_6_OP_VERSION_MAP, PADDLE_2_6_VERSION

__all__ = [
    "load_program_desc",
    "looks_like_program_desc",
    "paddle26_version_fields",
    "program_from_bytes",
    "program_to_bytes",
    "read_program_desc",
    "save_program_desc",
    "write_program_desc",
]

A = ir.AttrType
# value field of OpDesc.Attr per AttrType; list types are repeated fields
_ATTR_FIELD = {
    A.INT: "i",
    A.FLOAT: "f",
    A.STRING: "s",
    A.INTS: "ints",
    A.FLOATS: "floats",
    A.STRINGS: "strings",
    A.BOOLEAN: "b",
    A.BOOLEANS: "bools",
    A.BLOCK: "block_idx",
    A.LONG: "l",
    A.BLOCKS: "blocks_idx",
    A.LONGS: "longs",
    A.FLOAT64S: "float64s",
    A.VAR: "var_name",
    A.VARS: "vars_name",
    A.FLOAT64: "float64",
}
_REPEATED = {A.INTS, A.FLOATS, A.STRINGS, A.BOOLEANS, A.BLOCKS, A.LONGS, A.FLOAT64S, A.VARS}
# VarType sub-message that carries the tensor description, per variable kind
_DESC_FIELD = {
    ir.VarType.LOD_TENSOR: "lod_tensor",
    ir.VarType.LOD_TENSOR_ARRAY: "tensor_array",
    ir.VarType.SELECTED_ROWS: "selected_rows",
    ir.VarType.STRING: "string",
    ir.VarType.STRINGS: "strings",
    ir.VarType.VOCAB: "vocab",
    ir.VarType.SPARSE_COO: "sparse_coo",
    ir.VarType.SPARSE_CSR: "sparse_csr",
}
_WITH_LOD = {"lod_tensor", "tensor_array"}
_FLAGS = ("persistable", "need_check_feed", "is_parameter", "stop_gradient")
_SCALAR_BOOLEAN, _SCALAR_LONG, _SCALAR_FLOAT64, _SCALAR_COMPLEX = 1, 2, 3, 4


# ----------------------------------------------------------------------------------------------
# protobuf -> IR


def _opt(msg, field: str):
    return getattr(msg, field) if msg.HasField(field) else None


def _scalar_from(s):
    if s.type == _SCALAR_BOOLEAN:
        return bool(s.b)
    if s.type == _SCALAR_LONG:
        return int(s.i)
    if s.type == _SCALAR_FLOAT64:
        return float(s.r)
    return complex(s.c.r, s.c.i)


def _attr_value(a):
    t = A(a.type)
    if t == A.SCALAR:
        return _scalar_from(a.scalar)
    if t == A.SCALARS:
        return [_scalar_from(s) for s in a.scalars]
    value = getattr(a, _ATTR_FIELD[t])
    return list(value) if t in _REPEATED else value


def _var_type_fields(vt) -> dict:
    """dtype/shape/lod_level of a VarType message, or raw_type when the IR cannot express it."""
    kind = vt.type
    field = _DESC_FIELD.get(kind)
    present = [f.name for f, _ in vt.ListFields() if f.name != "type"]
    if not present:
        return {}
    if present != [field]:
        return {"raw_type": vt.SerializeToString()}
    desc = getattr(vt, field)
    tensor = desc.tensor if field in _WITH_LOD else desc
    try:
        dtype = from_vartype(tensor.data_type)
    except ValueError:
        return {"raw_type": vt.SerializeToString()}
    out = {"dtype": dtype, "shape": list(tensor.dims)}
    if field in _WITH_LOD:
        out["lod_level"] = _opt(desc, "lod_level")
    return out


def _var_from(v) -> ir.VarDesc:
    fields = {f: _opt(v, f) for f in _FLAGS}
    attrs = [(a.name, a.type, _var_attr_value(a)) for a in v.attrs]
    return ir.VarDesc(v.name, v.type.type, attrs=attrs, **fields, **_var_type_fields(v.type))


def _var_attr_value(a):
    if a.type == A.INT:
        return a.i
    if a.type == A.STRING:
        return a.s
    return list(a.ints)


def _op_from(o) -> ir.OpDesc:
    op = ir.OpDesc(
        o.type,
        {v.parameter: list(v.arguments) for v in o.inputs},
        {v.parameter: list(v.arguments) for v in o.outputs},
        is_target=_opt(o, "is_target"),
    )
    for a in o.attrs:
        op.attrs[a.name] = _attr_value(a)
        op.attr_types[a.name] = A(a.type)
    return op


def _block_from(b) -> ir.Block:
    block = ir.Block(b.idx, b.parent_idx, forward_block_idx=_opt(b, "forward_block_idx"))
    for v in b.vars:
        block.vars[v.name] = _var_from(v)
    block.ops = [_op_from(o) for o in b.ops]
    return block


def _program_from(msg) -> ir.Program:
    version = msg.version.version if msg.HasField("version") else None
    ovm = None
    if msg.HasField("op_version_map"):
        ovm = [(p.op_name, p.op_version.version) for p in msg.op_version_map.pair]
    return ir.Program([_block_from(b) for b in msg.blocks], version, ovm)


def program_from_bytes(data: bytes, *, name: str = "<bytes>", verify: bool = True) -> ir.Program:
    """Parse ProgramDesc bytes; damaged bytes -> FormatError naming ``name``."""
    msg = messages()["ProgramDesc"]()
    try:
        msg.ParseFromString(bytes(data))
    except DecodeError as e:
        raise FormatError(
            f"{name}: not a valid ProgramDesc protobuf ({e}); the file is damaged or is not a "
            f"legacy .pdmodel (a Paddle 3.x PIR program is a .json file)"
        ) from None
    if not msg.IsInitialized():
        missing = msg.FindInitializationErrors()
        raise FormatError(f"{name}: ProgramDesc lacks required fields {missing[:5]}; damaged file")
    try:
        program = _program_from(msg)
    except ValueError as e:
        raise FormatError(f"{name}: ProgramDesc holds an invalid value: {e}") from None
    if verify:
        try:
            program.verify()
        except ProgramError as e:
            raise FormatError(f"{name}: the program does not verify: {e}") from None
    return program


def read_program_desc(f, *, name: str | None = None, verify: bool = True) -> ir.Program:
    """Read a legacy program from a binary stream or from bytes.

    >>> p = ir.Program(); _ = p.global_block().create_var('x', dtype='float32', shape=[2])
    >>> read_program_desc(program_to_bytes(p)) == p
    True
    """
    if isinstance(f, (bytes, bytearray, memoryview)):
        return program_from_bytes(f, name=name or "<bytes>", verify=verify)
    where = name or getattr(f, "name", None) or "<stream>"
    return program_from_bytes(f.read(), name=where, verify=verify)


def load_program_desc(path: str | os.PathLike, *, verify: bool = True) -> ir.Program:
    with open(path, "rb") as f:
        return program_from_bytes(f.read(), name=os.fspath(path), verify=verify)


# ----------------------------------------------------------------------------------------------
# IR -> protobuf


def _scalar_to(s, value) -> None:
    if isinstance(value, bool):
        s.type, s.b = _SCALAR_BOOLEAN, value
    elif isinstance(value, int):
        s.type, s.i = _SCALAR_LONG, value
    elif isinstance(value, float):
        s.type, s.r = _SCALAR_FLOAT64, value
    else:
        s.type = _SCALAR_COMPLEX
        s.c.r, s.c.i = value.real, value.imag


def _attr_to(a, name: str, atype: int, value) -> None:
    a.name, a.type = name, atype
    if atype == A.SCALAR:
        _scalar_to(a.scalar, value)
    elif atype == A.SCALARS:
        for v in value:
            _scalar_to(a.scalars.add(), v)
    elif atype in _REPEATED:
        getattr(a, _ATTR_FIELD[A(atype)]).extend(value)
    else:
        setattr(a, _ATTR_FIELD[A(atype)], value)


def _var_type_to(vt, var: ir.VarDesc) -> None:
    if var.raw_type is not None:
        vt.ParseFromString(var.raw_type)
        return
    vt.type = var.type
    field = _DESC_FIELD.get(var.type)
    if var.dtype is None or field is None:
        return
    desc = getattr(vt, field)
    tensor = desc.tensor if field in _WITH_LOD else desc
    tensor.data_type = var.dtype.vartype
    tensor.dims.extend(var.shape or [])
    if field in _WITH_LOD and var.lod_level is not None:
        desc.lod_level = var.lod_level


def _var_to(v, var: ir.VarDesc) -> None:
    v.name = var.name
    _var_type_to(v.type, var)
    for f in _FLAGS:
        value = getattr(var, f)
        if value is not None:
            setattr(v, f, value)
    for name, atype, value in var.attrs:
        a = v.attrs.add(name=name, type=atype)
        if atype == A.INT:
            a.i = value
        elif atype == A.STRING:
            a.s = value
        else:
            a.ints.extend(value)


def _op_to(o, op: ir.OpDesc) -> None:
    o.type = op.type
    for slot, args in op.inputs.items():
        o.inputs.add(parameter=slot, arguments=args)
    for slot, args in op.outputs.items():
        o.outputs.add(parameter=slot, arguments=args)
    for name, value in op.attrs.items():
        _attr_to(o.attrs.add(), name, op.attr_types[name], value)
    if op.is_target is not None:
        o.is_target = op.is_target


def program_to_bytes(program: ir.Program) -> bytes:
    """Serialize ``program`` (verified first) as ProgramDesc bytes."""
    program.verify()
    msg = messages()["ProgramDesc"]()
    for block in program.blocks:
        b = msg.blocks.add(idx=block.idx, parent_idx=block.parent_idx)
        if block.forward_block_idx is not None:
            b.forward_block_idx = block.forward_block_idx
        for var in block.vars.values():
            _var_to(b.vars.add(), var)
        for op in block.ops:
            _op_to(b.ops.add(), op)
    if program.version is not None:
        msg.version.version = program.version
    if program.op_version_map is not None:
        msg.op_version_map.SetInParent()
        for op_name, version in program.op_version_map:
            msg.op_version_map.pair.add(op_name=op_name).op_version.version = version
    try:
        return msg.SerializeToString()
    except EncodeError as e:
        raise ProgramError(f"cannot serialize the program: {e}") from None


def paddle26_version_fields() -> tuple[int, list[tuple[str, int]]]:
    """``(version, op_version_map)`` exactly as Paddle 2.6.2 writes them into every program.

    >>> version, ovm = paddle26_version_fields(); version, ('elementwise_add', 1) in ovm
    (2006002, True)
    """
    return PADDLE_2_6_VERSION, list(PADDLE_2_6_OP_VERSION_MAP)


def write_program_desc(program: ir.Program, f: IO[bytes]) -> None:
    """Write ``program`` as a legacy ``.pdmodel`` to a binary stream."""
    write_all(f, program_to_bytes(program))


def save_program_desc(program: ir.Program, path: str | os.PathLike) -> None:
    data = program_to_bytes(program)
    with fs.atomic_write(os.fspath(path)) as f:
        write_all(f, data)


def looks_like_program_desc(head: bytes) -> bool:
    """A ProgramDesc starts with field 1 (blocks), length-delimited: ``0a``, then a varint
    length, then the block's ``idx`` field ``08``."""
    if len(head) < 3 or head[0] != 0x0A:
        return False
    i = 1
    while i < len(head) and head[i] & 0x80 and i < 6:
        i += 1
    return i + 1 < len(head) and head[i + 1] == 0x08
