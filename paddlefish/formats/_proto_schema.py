"""Message classes for ``framework.proto``, built at run time (no protoc, no generated _pb2).

NOTE [runtime protobuf schema]: generated ``_pb2`` modules embed a check for a minimum protobuf
runtime equal to the generating protoc, and Paddle's own ``framework_pb2`` registers the package
``paddle.framework.proto`` (a second registration of that package in one process fails with
"duplicate symbol"). So we parse the small proto2 subset that ``framework.proto`` uses (enums,
nested messages, optional/required/repeated scalar, enum and message fields, ``[default = x]``,
``reserved``) into a ``FileDescriptorProto`` under package ``paddlefish.framework.proto`` and add
it to a private ``DescriptorPool``. Works with protobuf >= 3.20.2 (python, cpp and upb backends).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

__all__ = ["messages", "parse_proto"]

_FD = descriptor_pb2.FieldDescriptorProto
_SCALARS = {
    "double": _FD.TYPE_DOUBLE,
    "float": _FD.TYPE_FLOAT,
    "int32": _FD.TYPE_INT32,
    "int64": _FD.TYPE_INT64,
    "uint32": _FD.TYPE_UINT32,
    "uint64": _FD.TYPE_UINT64,
    "sint32": _FD.TYPE_SINT32,
    "sint64": _FD.TYPE_SINT64,
    "bool": _FD.TYPE_BOOL,
    "string": _FD.TYPE_STRING,
    "bytes": _FD.TYPE_BYTES,
}
_LABELS = {
    "optional": _FD.LABEL_OPTIONAL,
    "required": _FD.LABEL_REQUIRED,
    "repeated": _FD.LABEL_REPEATED,
}
_TOKEN = re.compile(r'\s*(?:(//[^\n]*)|("[^"]*")|(-?\w[\w.]*)|(.))', re.DOTALL)


def _tokens(text: str) -> list[str]:
    out = []
    for m in _TOKEN.finditer(text):
        comment, string, word, sym = m.groups()
        if comment:
            continue
        tok = string or word or sym
        if tok and not tok.isspace():
            out.append(tok)
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str:
        return self.toks[self.i] if self.i < len(self.toks) else ""

    def take(self, expect: str | None = None) -> str:
        tok = self.peek()
        if expect is not None and tok != expect:
            raise ValueError(f"framework.proto: expected {expect!r} at token {self.i}, got {tok!r}")
        self.i += 1
        return tok

    def file(self) -> descriptor_pb2.FileDescriptorProto:
        fd = descriptor_pb2.FileDescriptorProto(name="paddlefish_framework.proto")
        while self.peek():
            tok = self.take()
            if tok == "syntax":
                self.take("=")
                fd.syntax = self.take().strip('"')
                self.take(";")
            elif tok == "package":
                fd.package = self.take()
                self.take(";")
            elif tok == "enum":
                self.enum(fd.enum_type.add())
            elif tok == "message":
                self.message(fd.message_type.add())
            else:
                raise ValueError(f"framework.proto: unexpected top-level token {tok!r}")
        return fd

    def enum(self, ed) -> None:
        ed.name = self.take()
        self.take("{")
        while self.peek() != "}":
            v = ed.value.add(name=self.take())
            self.take("=")
            v.number = int(self.take())
            self.take(";")
        self.take("}")

    def message(self, md) -> None:
        md.name = self.take()
        self.take("{")
        while self.peek() != "}":
            tok = self.take()
            if tok == "enum":
                self.enum(md.enum_type.add())
            elif tok == "message":
                self.message(md.nested_type.add())
            elif tok == "reserved":
                while True:
                    n = int(self.take())
                    md.reserved_range.add(start=n, end=n + 1)
                    if self.take() == ";":
                        break
            else:
                self.field(md.field.add(), tok)
        self.take("}")

    def field(self, f, label: str) -> None:
        f.label = _LABELS[label]
        type_name = self.take()
        f.name = self.take()
        self.take("=")
        f.number = int(self.take())
        if type_name in _SCALARS:
            f.type = _SCALARS[type_name]
        else:
            f.type_name = type_name  # resolved to a full name in _resolve
        if self.peek() == "[":
            self.take("[")
            self.take("default")
            self.take("=")
            f.default_value = self.take().strip('"')
            self.take("]")
        self.take(";")


def _collect(prefix: str, md, kinds: dict) -> None:
    full = f"{prefix}.{md.name}"
    kinds[full] = _FD.TYPE_MESSAGE
    for e in md.enum_type:
        kinds[f"{full}.{e.name}"] = _FD.TYPE_ENUM
    for n in md.nested_type:
        _collect(full, n, kinds)


def _resolve(scope: str, md, kinds: dict) -> None:
    here = f"{scope}.{md.name}"
    for f in md.field:
        if f.type_name:
            parts = here.split(".")
            for k in range(len(parts), 0, -1):
                cand = ".".join(parts[:k]) + "." + f.type_name
                if cand in kinds:
                    f.type_name, f.type = cand, kinds[cand]
                    break
            else:
                raise ValueError(f"framework.proto: unknown type {f.type_name!r} in {here}")
    for n in md.nested_type:
        _resolve(here, n, kinds)


def parse_proto(text: str) -> descriptor_pb2.FileDescriptorProto:
    """Parse the proto2 subset used by ``framework.proto`` into a FileDescriptorProto."""
    fd = _Parser(text).file()
    root = "." + fd.package
    kinds = {f"{root}.{e.name}": _FD.TYPE_ENUM for e in fd.enum_type}
    for md in fd.message_type:
        _collect(root, md, kinds)
    for md in fd.message_type:
        _resolve(root, md, kinds)
    return fd


def _message_class(pool, full_name: str):
    desc = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)  # protobuf 3.20 - 4.21


@functools.lru_cache(maxsize=1)
def messages() -> dict[str, type]:
    """Top-level message classes of framework.proto by short name (``ProgramDesc``, ...)."""
    text = resources.files(__package__).joinpath("framework.proto").read_text(encoding="utf-8")
    fd = parse_proto(text)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return {md.name: _message_class(pool, f"{fd.package}.{md.name}") for md in fd.message_type}
