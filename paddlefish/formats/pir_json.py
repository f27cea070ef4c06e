"""Paddle 3.x PIR programs (``PREFIX.json``): JSON text <-> ``ir.PirModule`` (plain data, no torch).

FORMATS.md section 6. Reading ignores key order and whitespace, decodes every type and attribute
kind of 6.3 (``VD`` non-finite floats, the ``p`` parameter shorthand, ``OA`` result attributes)
and refuses a malformed file with a ``FormatError`` that names the file, the JSON path, the op and
the value id: broken JSON, a wrong node shape, a dangling value id, a value used before it is
defined or outside its region, an unknown schema version, hostile nesting or size. Writing gives
the compact, key-sorted form Paddle's nlohmann writer produces, so a real file round-trips to the
same JSON value. Turning the SSA program into an executable ``ir.Program`` is ``ir.lift_pir``.

Files of older schema versions (Paddle 3.0-3.2) are upgraded on reading, as Paddle does: see
NOTE [PIR schema versions] in ``ir/_pir_upgrade.py`` for what differs between the versions.
"""

from __future__ import annotations

import json
import math
import os
from typing import IO, Any

from .. import ir
from .._core import fs
from .._core.dtypes import from_pir
from ..errors import FormatError
from .lod_tensor import write_all
from .sniff import looks_like_pir_json

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_VERSIONS",
    "load_pir_json",
    "looks_like_pir_json",
    "module_from_json",
    "module_to_json",
    "read_pir_json",
    "save_pir_json",
    "write_pir_json",
]

# schema versions read (1: Paddle 3.0, 2: 3.1, 3: 3.2, 4: 3.3); see NOTE [PIR schema versions]
SUPPORTED_VERSIONS = (1, 2, 3, 4)
_WRITERS = {1: "Paddle 3.0", 2: "Paddle 3.1", 3: "Paddle 3.2", 4: "Paddle 3.3"}
# a PIR program is ops and attributes, not weights: real ones are kilobytes to a few megabytes
MAX_BYTES = 256 << 20
_NONFINITE = {"NaN": math.nan, "INF": math.inf, "-INF": -math.inf}
_DIALECT_IDS = {v: k for k, v in ir.DIALECTS.items()}
_ELEMENT_KINDS = {
    "0.t_bool",
    "0.t_i8",
    "0.t_ui8",
    "0.t_i16",
    "0.t_i32",
    "0.t_i64",
    "0.t_f16",
    "0.t_bf16",
    "0.t_f32",
    "0.t_f64",
    "0.t_c64",
    "0.t_c128",
}
_SCALAR_CHECK = {
    "0.a_bool": lambda v: isinstance(v, bool),
    "0.a_i32": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "0.a_i64": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "0.a_f32": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "0.a_f64": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "0.a_str": lambda v: isinstance(v, str),
    "1.a_dtype": lambda v: isinstance(v, str),
    "1.a_intarray": lambda v: (
        isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
    ),
    "1.a_place": lambda v: isinstance(v, list),
}


class _Bad(Exception):
    """Internal: a malformed node at ``path``; turned into FormatError with the file name."""

    def __init__(self, path: str, msg: str):
        super().__init__(f"at {path}: {msg}")


def _need(node, kind, path: str, what: str):
    if not isinstance(node, kind):
        got = type(node).__name__
        raise _Bad(path, f"expected {what}, got {got} {_short(node)}")
    return node


def _short(node) -> str:
    text = json.dumps(node) if not isinstance(node, str) else repr(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _key(node: dict, key: str, path: str, kind=None, what: str = ""):
    if key not in node:
        raise _Bad(path, f"missing key {key!r} (keys present: {sorted(node)[:8]})")
    value = node[key]
    return value if kind is None else _need(value, kind, f"{path}.{key}", what)


# ---------------------------------------------------------------------------------------------
# JSON value -> plain data


def _type(node, path: str) -> ir.PirType:
    _need(node, dict, path, "a type object {'#': ...}")
    kind = _key(node, "#", path, str, "a type id string")
    data = node.get("D")
    if kind in _ELEMENT_KINDS:
        return ir.PirType(kind, dtype=from_pir(kind))
    if kind == "0.t_dtensor":
        d = _need(data, list, path + ".D", "[element type, dims, layout, lod, offset]")
        if len(d) != 5:
            raise _Bad(path + ".D", f"a dense tensor type has 5 fields, got {len(d)}")
        elem = _type(d[0], path + ".D[0]")
        if elem.dtype is None:
            raise _Bad(path + ".D[0]", f"element type {elem.kind!r} is not a scalar type")
        dims = _need(d[1], list, path + ".D[1]", "a list of dims")
        if not all(isinstance(x, int) and not isinstance(x, bool) and x >= -1 for x in dims):
            raise _Bad(path + ".D[1]", f"dims must be ints >= -1, got {_short(dims)}")
        return ir.PirType(
            kind,
            dtype=elem.dtype,
            shape=list(dims),
            layout=_need(d[2], str, path + ".D[2]", "a layout string"),
            lod=_need(d[3], list, path + ".D[3]", "a lod list"),
            offset=_need(d[4], int, path + ".D[4]", "an offset int"),
        )
    if kind == "0.t_vec":
        elems = _need(data, list, path + ".D", "a list of types")
        return ir.PirType(kind, elements=[_type(e, f"{path}.D[{i}]") for i, e in enumerate(elems)])
    return ir.PirType(kind, data=data)


def _attr_value(node, path: str) -> ir.PirAttr:
    _need(node, dict, path, "an attribute value {'#': ..., 'D': ...}")
    kind = _key(node, "#", path, str, "an attribute kind string")
    if "VD" in node:
        vd = node["VD"]
        if vd not in _NONFINITE or kind not in ("0.a_f32", "0.a_f64"):
            raise _Bad(
                path, f"'VD' is 'NaN'/'INF'/'-INF' on a float attribute, got {kind} {_short(vd)}"
            )
        return ir.PirAttr(kind, _NONFINITE[vd])
    value = node.get("D")
    if kind == "0.a_array":
        items = _need(value, list, path + ".D", "a list of attribute values")
        return ir.PirAttr(kind, [_attr_value(a, f"{path}.D[{i}]") for i, a in enumerate(items)])
    check = _SCALAR_CHECK.get(kind)
    if check is not None and not check(value):
        raise _Bad(path, f"attribute kind {kind} cannot hold {_short(value)}")
    if kind in ("0.a_f32", "0.a_f64"):
        value = float(value)
    return ir.PirAttr(kind, value)


def _attrs(nodes, path: str) -> dict[str, ir.PirAttr]:
    out = {}
    for i, a in enumerate(_need(nodes, list, path, "a list of attributes")):
        p = f"{path}[{i}]"
        _need(a, dict, p, "an attribute {'N': name, 'AT': value}")
        out[_key(a, "N", p, str, "an attribute name")] = _attr_value(_key(a, "AT", p), p + ".AT")
    return out


def _result(node, path: str) -> ir.PirValue:
    _need(node, dict, path, "a value {'%': id, 'TT': type}")
    vid = _key(node, "%", path, int, "an int value id")
    if vid <= 0:
        raise _Bad(path, f"result value ids are positive, got {vid}")
    return ir.PirValue(vid, _type(_key(node, "TT", path), path + ".TT"))


def _flag(v, path: str) -> bool:
    if v not in (0, 1) or isinstance(v, float):
        raise _Bad(path, f"expected a 0/1 flag, got {_short(v)}")
    return bool(v)


def _parameter(node: dict, path: str) -> ir.PirOp:
    a = _key(node, "A", path, list, "[is_distributed, is_parameter, need_clip, name]")
    if len(a) != 4 or not isinstance(a[3], str):
        raise _Bad(
            path + ".A",
            f"a 'p' op has A=[is_distributed, is_parameter, need_clip, name], got {_short(a)}",
        )
    flags = [_flag(v, f"{path}.A[{i}]") for i, v in enumerate(a[:3])]
    oa = node.get("OA", [1, 0, 1])
    _need(oa, list, path + ".OA", "[persistable, stop_gradient, trainable]")
    if len(oa) != 3:
        raise _Bad(
            path + ".OA",
            f"a 'p' op has OA=[persistable, stop_gradient, trainable], got {_short(oa)}",
        )
    oflags = [_flag(v, f"{path}.OA[{i}]") for i, v in enumerate(oa)]
    result = _result(_key(node, "O", path, dict, "a single value object"), path + ".O")
    attrs = {
        "is_distributed": ir.PirAttr("0.a_bool", flags[0]),
        "is_parameter": ir.PirAttr("0.a_bool", flags[1]),
        "need_clip": ir.PirAttr("0.a_bool", flags[2]),
        "parameter_name": ir.PirAttr("0.a_str", a[3]),
    }
    rattrs = {
        k: ir.PirAttr("0.a_array", [ir.PirAttr("0.a_bool", v)])
        for k, v in zip(("persistable", "stop_gradient", "trainable"), oflags)
    }
    extra = {k: node[k] for k in ("DA", "QA") if k in node}
    if "OA" not in node:
        extra["no_OA"] = True
    return ir.PirOp("builtin.parameter", [], [result], attrs, rattrs, [], extra)


def _op_name(name: str, path: str) -> str:
    dialect, dot, op = name.partition(".")
    if not dot or not dialect.isdigit() or int(dialect) not in ir.DIALECTS or not op:
        raise _Bad(
            path,
            f"op id {name!r} is not '<dialect number>.<op name>' with a dialect "
            f"in {sorted(ir.DIALECTS)}",
        )
    return f"{ir.DIALECTS[int(dialect)]}.{op}"


def _op(node, path: str, depth: int) -> ir.PirOp:
    _need(node, dict, path, "an op object")
    name = _key(node, "#", path, str, "an op id string")
    if name == "p":
        return _parameter(node, path)
    full = _op_name(name, path)
    path = f"{path} ({full})"
    operands = []
    for i, o in enumerate(_need(node.get("I", []), list, path + ".I", "a list of operands")):
        _need(o, dict, f"{path}.I[{i}]", "an operand {'%': id}")
        operands.append(_key(o, "%", f"{path}.I[{i}]", int, "an int value id"))
    outs = _need(node.get("O", []), list, path + ".O", "a list of results")
    results = [_result(r, f"{path}.O[{i}]") for i, r in enumerate(outs)]
    regions = [
        _region(r, f"{path}.regions[{i}]", depth + 1)
        for i, r in enumerate(
            _need(node.get("regions", []), list, path + ".regions", "a list of regions")
        )
    ]
    return ir.PirOp(
        full,
        operands,
        results,
        _attrs(node.get("A", []), path + ".A"),
        _attrs(node.get("OA", []), path + ".OA"),
        regions,
        {"no_OA": True} if "OA" not in node else {},
    )


def _block(node, path: str, depth: int) -> ir.PirBlock:
    _need(node, dict, path, "a block object")
    name = _key(node, "#", path, str, "a block name")
    args = []
    for i, a in enumerate(_need(node.get("args", []), list, path + ".args", "a list")):
        p = f"{path}.args[{i}]"
        _need(a, dict, p, "a block argument {'#': id, 'TT': type}")
        vid = _key(a, "#", p, int, "a negative int id")
        if vid >= 0:
            raise _Bad(p, f"block argument ids are negative, got {vid}")
        args.append(ir.PirValue(vid, _type(_key(a, "TT", p), p + ".TT")))
    ops = [
        _op(o, f"{path}.ops[{i}]", depth)
        for i, o in enumerate(_key(node, "ops", path, list, "a list of ops"))
    ]
    return ir.PirBlock(name, args, ops, node.get("kwargs"))


def _region(node, path: str, depth: int) -> ir.PirRegion:
    if depth > 64:
        raise _Bad(path, "regions nest more than 64 deep; refusing a hostile or broken file")
    _need(node, dict, path, "a region object")
    blocks = _key(node, "blocks", path, list, "a list of blocks")
    return ir.PirRegion(
        _key(node, "#", path, str, "a region name"),
        [_block(b, f"{path}.blocks[{i}]", depth) for i, b in enumerate(blocks)],
    )


def _module(doc) -> ir.PirModule:
    _need(doc, dict, "top level", "a JSON object {'base_code': ..., 'program': ...}")
    base = _key(doc, "base_code", "top level", dict, "an object")
    magic = _key(base, "magic", "base_code", str, "a string")
    if magic != "pir":
        raise _Bad("base_code.magic", f"expected 'pir', got {magic!r}")
    version = _key(base, "version", "base_code", int, "an int")
    if version not in SUPPORTED_VERSIONS:
        why = (
            "0 is what development builds of Paddle write, with no fixed layout"
            if version == 0
            else f"it is newer than Paddle 3.3's {ir.PIR_VERSION}, so the file comes from a "
            "Paddle release whose changes paddlefish does not know"
            if version > ir.PIR_VERSION
            else "no Paddle release writes it"
        )
        raise _Bad(
            "base_code.version",
            (
                f"PIR schema version {version} is not supported: {why} (paddlefish reads "
                f"{', '.join(f'{v} ({w})' for v, w in _WRITERS.items())}; see NOTE [PIR schema "
                f"versions]). Re-export the model with Paddle 3.0-3.3, or load it in the Paddle "
                f"that wrote it and save it with FLAGS_enable_pir_api=0 as a .pdmodel"
            ),
        )
    trainable = _need(base.get("trainable", True), bool, "base_code.trainable", "a bool")
    program = _key(doc, "program", "top level", dict, "an object")
    regions = _key(program, "regions", "program", list, "a list of regions")
    if not regions:
        raise _Bad("program.regions", "a program has at least one region")
    module = ir.PirModule(
        version,
        trainable,
        [_region(r, f"program.regions[{i}]", 0) for i, r in enumerate(regions)],
        magic,
        source_version=version,
    )
    if not module.regions[0].blocks:
        raise _Bad("program.regions[0]", "the top-level region has no block")
    return module


# ---------------------------------------------------------------------------------------------
# value ids: every operand names a value defined earlier in its own block or an enclosing one


def _check_values(module: ir.PirModule) -> None:
    defined_anywhere = {r.id for op in module.walk() for r in op.results}
    seen: set[int] = set()

    def block(b: ir.PirBlock, visible: set[int], where: str) -> None:
        local = set(visible)
        own: set[int] = set()
        for a in b.args:
            if a.id in own:
                raise _Bad(where, f"block argument id %{a.id} is declared twice")
            own.add(a.id)
        local |= own
        for i, op in enumerate(b.ops):
            w = f"{where}.ops[{i}] ({op.name})"
            for vid in op.operands:
                if vid == 0 or vid in local:
                    continue
                if vid in defined_anywhere or vid < 0:
                    why = (
                        "is used before it is defined or outside the region that defines it"
                        if vid > 0
                        else "is a block argument of another block"
                    )
                    raise _Bad(w, f"operand %{vid} {why}")
                raise _Bad(
                    w,
                    f"operand %{vid} refers to no value: no op result or block "
                    "argument has this id (a dangling value id)",
                )
            for r, region in enumerate(op.regions):
                for k, sub in enumerate(region.blocks):
                    block(sub, local, f"{w}.regions[{r}].blocks[{k}]")
            for res in op.results:
                if res.id in seen:
                    raise _Bad(w, f"result id %{res.id} is defined twice")
                seen.add(res.id)
                local.add(res.id)

    for r, region in enumerate(module.regions):
        for k, b in enumerate(region.blocks):
            block(b, set(), f"program.regions[{r}].blocks[{k}]")


def module_from_json(
    text: str | bytes, *, name: str = "<json>", upgrade: bool = True
) -> ir.PirModule:
    """Parse PIR JSON text; anything malformed -> ``FormatError`` naming ``name`` and the spot.

    A file of an older schema version (Paddle 3.0-3.2) is upgraded to version 4 unless
    ``upgrade=False`` (which keeps the file's own attribute kinds and version, for round trips);
    the version the file had stays in ``module.source_version``."""
    if len(text) > MAX_BYTES:
        raise FormatError(
            f"{name}: {len(text)} bytes is more than a PIR program can plausibly "
            f"be (limit {MAX_BYTES}); refusing to parse it"
        )
    try:
        doc = json.loads(text)
    except RecursionError:
        raise FormatError(
            f"{name}: JSON nested too deeply to be a PIR program; refusing a hostile or broken file"
        ) from None
    except (ValueError, UnicodeDecodeError) as e:
        raise FormatError(
            f"{name}: not valid JSON ({e}); the file is truncated or damaged "
            "(a PIR program is the .json file paddle.jit.save writes in Paddle 3.x)"
        ) from None
    try:
        module = _module(doc)
        _check_values(module)
    except _Bad as e:
        raise FormatError(f"{name}: malformed PIR program {e}") from None
    except RecursionError:
        raise FormatError(f"{name}: PIR program nested too deeply; refusing it") from None
    return ir.upgrade_pir(module) if upgrade else module


def read_pir_json(f, *, name: str | None = None, upgrade: bool = True) -> ir.PirModule:
    """Read a PIR program from a text/binary stream or from a string (any schema version of
    ``SUPPORTED_VERSIONS``, upgraded to 4 unless ``upgrade=False``; see ``module_from_json``).

    >>> m = read_pir_json('{"base_code": {"magic": "pir", "trainable": true, "version": 4},'
    ...                   ' "program": {"regions": [{"#": "region_0", "blocks": '
    ...                   '[{"#": "block_0", "args": [], "ops": []}]}]}}')
    >>> m.version, len(m.global_block().ops)
    (4, 0)
    """
    if isinstance(f, (str, bytes, bytearray)):
        return module_from_json(f, name=name or "<json>", upgrade=upgrade)
    where = name or getattr(f, "name", None) or "<stream>"
    _refuse_huge(f, str(where))
    data = f.read(MAX_BYTES + 1)
    return module_from_json(data, name=str(where), upgrade=upgrade)


def _refuse_huge(f, where: str) -> None:
    """A file larger than ``MAX_BYTES`` is refused from its size, before reading any of it."""
    try:
        size = os.fstat(f.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        return  # not a real file (BytesIO...): the bounded read below still caps it
    if size > MAX_BYTES:
        raise FormatError(
            f"{where}: {size} bytes is more than a PIR program can plausibly be (limit "
            f"{MAX_BYTES}); refusing to read it (the weights belong in the .pdiparams file)"
        )


def load_pir_json(path: str | os.PathLike, *, upgrade: bool = True) -> ir.PirModule:
    with open(path, "rb") as f:
        return read_pir_json(f, name=os.fspath(path), upgrade=upgrade)


# ---------------------------------------------------------------------------------------------
# plain data -> JSON value (the inverse of the reader, for round trips and re-writing)


def _type_json(t: ir.PirType) -> dict:
    if t.kind in _ELEMENT_KINDS:
        return {"#": t.kind}
    if t.is_tensor:
        return {"#": t.kind, "D": [{"#": t.dtype.pir_name}, t.shape, t.layout, t.lod, t.offset]}
    if t.is_vector:
        return {"#": t.kind, "D": [_type_json(e) for e in t.elements]}
    return {"#": t.kind} if t.data is None else {"#": t.kind, "D": t.data}


def _attr_json(a: ir.PirAttr) -> dict:
    if a.kind == "0.a_array":
        return {"#": a.kind, "D": [_attr_json(x) for x in a.value]}
    if isinstance(a.value, float) and not math.isfinite(a.value):
        vd = "NaN" if math.isnan(a.value) else ("INF" if a.value > 0 else "-INF")
        return {"#": a.kind, "VD": vd}
    return {"#": a.kind, "D": a.value}


def _attrs_json(attrs: dict) -> list:
    return [{"AT": _attr_json(a), "N": n} for n, a in attrs.items()]


def _op_json(op: ir.PirOp) -> dict:
    if op.name == "builtin.parameter":
        r = op.results[0]
        flags = [int(op.attr(k)) for k in ("is_distributed", "is_parameter", "need_clip")]
        node = {
            "#": "p",
            "A": [*flags, op.attr("parameter_name")],
            "O": {"%": r.id, "TT": _type_json(r.type)},
            **op.extra,
        }
        node.pop("no_OA", None)
        if not op.extra.get("no_OA"):
            node["OA"] = [
                int(op.result_flags(k)[0]) for k in ("persistable", "stop_gradient", "trainable")
            ]
        return node
    dialect, _, name = op.name.partition(".")
    node = {
        "#": f"{_DIALECT_IDS[dialect]}.{name}",
        "A": _attrs_json(op.attrs),
        "I": [{"%": i} for i in op.operands],
        "O": [{"%": r.id, "TT": _type_json(r.type)} for r in op.results],
    }
    if not op.extra.get("no_OA"):
        node["OA"] = _attrs_json(op.result_attrs)
    if op.regions:
        node["regions"] = [_region_json(r) for r in op.regions]
    return node


def _region_json(region: ir.PirRegion) -> dict:
    blocks = []
    for b in region.blocks:
        node = {
            "#": b.name,
            "args": [{"#": a.id, "TT": _type_json(a.type)} for a in b.args],
            "ops": [_op_json(op) for op in b.ops],
        }
        if b.kwargs is not None:
            node["kwargs"] = b.kwargs
        blocks.append(node)
    return {"#": region.name, "blocks": blocks}


def module_to_json(module: ir.PirModule) -> dict[str, Any]:
    """The JSON value of ``module`` (``json.dumps(..., sort_keys=True)`` gives Paddle's text)."""
    return {
        "base_code": {
            "magic": module.magic,
            "trainable": module.trainable,
            "version": module.version,
        },
        "program": {"regions": [_region_json(r) for r in module.regions]},
    }


def _dumps(module: ir.PirModule) -> bytes:
    return json.dumps(
        module_to_json(module), sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode()


def write_pir_json(module: ir.PirModule, f: IO[bytes]) -> None:
    """Write ``module`` as compact, key-sorted PIR JSON to a binary stream.

    >>> m = ir.PirModule(4, True, [ir.PirRegion('region_0', [ir.PirBlock('block_0')])])
    >>> import io; buf = io.BytesIO(); write_pir_json(m, buf); read_pir_json(buf.getvalue()) == m
    True
    """
    write_all(f, _dumps(module))


def save_pir_json(module: ir.PirModule, path: str | os.PathLike) -> None:
    data = _dumps(module)
    with fs.atomic_write(os.fspath(path)) as f:
        write_all(f, data)
