"""``paddlefish graph MODEL -o OUT``: a picture (Graphviz) or a plain-text listing of a program.

Any saved program opens (``static.read_model_program``): a legacy ``.pdmodel`` / ``__model__``,
a Paddle 3 PIR ``.json`` (lifted; NOTE [PIR lifting]), a ``jit.save`` prefix or a 1.x
``save_inference_model`` directory. The drawing: one box per op (its type, the parameters it
reads with their shapes, its main attributes), one edge per variable flowing between ops labelled
``name dtype[shape]``, feeds and fetches as ellipses; the sub-blocks of control-flow ops
(``conditional_block``, ``while``, ...) are clusters drawn inside their op's block and joined to
it with a dashed edge.

``OUT``'s suffix picks the output: ``.dot`` (Graphviz source, no dependency), ``.txt`` (the
plain-text listing), ``.svg``/``.png``/``.pdf`` (rendered by Graphviz's ``dot`` program: install
Graphviz, e.g. ``apt install graphviz``, or ``pip install 'paddlefish[graph]'`` for the Python
``graphviz`` wrapper, which needs that program too). Without ``dot`` the command writes the
``.dot`` and ``.txt`` beside the requested file and says so.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from collections.abc import Iterator

from .. import ir, jit
from ..static._model_file import read_model_program

__all__ = ["graph_dot", "graph_text", "open_program", "write_graph"]

_RENDERED = (".svg", ".png", ".pdf")
_SHOWN_ATTRS = {
    "conv2d": ("strides", "paddings", "dilations", "groups"),
    "depthwise_conv2d": ("strides", "paddings", "groups"),
    "pool2d": ("pooling_type", "ksize", "strides", "global_pooling", "adaptive"),
    "reshape2": ("shape",),
    "transpose2": ("axis",),
    "scale": ("scale", "bias"),
    "elementwise_add": ("axis",),
    "matmul_v2": ("trans_x", "trans_y"),
    "concat": ("axis",),
    "split": ("axis", "num", "sections"),
    "slice": ("axes", "starts", "ends"),
    "rnn": ("mode", "num_layers", "hidden_size", "is_bidirec"),
    "softmax": ("axis",),
    "cast": ("out_dtype",),
    "fill_constant": ("value", "shape"),
}


def open_program(model: str) -> tuple[str, ir.Program]:
    """``(model file, program)`` for a model file, a ``jit.save`` prefix or a 1.x directory."""
    path = model if os.path.isfile(model) else jit.resolve_model_files(model)[0]
    program, _ = read_model_program(path)
    return path, program


def _shape(var: ir.VarDesc | None) -> str:
    if var is None or var.shape is None:
        return ""
    dt = var.dtype.name if var.dtype is not None else "?"
    return f"{dt}[{', '.join(str(d) for d in var.shape)}]"


def _is_param(var: ir.VarDesc | None) -> bool:
    return bool(var is not None and var.persistable and var.shape is not None
                and var.name not in ("feed", "fetch"))


def _sub_blocks(op: ir.OpDesc) -> list[int]:
    out = []
    for name, t in op.attr_types.items():
        v = op.attrs.get(name)
        if t == ir.AttrType.BLOCK and isinstance(v, int):
            out.append(v)
        elif t == ir.AttrType.BLOCKS and isinstance(v, list):
            out.extend(v)
    return out


def _attrs(op: ir.OpDesc) -> str:
    keys = _SHOWN_ATTRS.get(op.type, ())
    parts = [f"{k}={op.attrs[k]}" for k in keys if k in op.attrs]
    return ", ".join(parts)


def _summary(path: str, program: ir.Program) -> list[str]:
    params = {n: v for b in program.blocks for n, v in b.vars.items() if _is_param(v)}
    count = sum(math.prod(max(d, 0) for d in v.shape) for v in params.values())
    block = program.global_block()
    feeds = [op.output("Out")[0] for op in block.ops if op.type == "feed"]
    fetches = [op.input("X")[0] for op in block.ops if op.type == "fetch"]
    n_ops = sum(len(b.ops) for b in program.blocks)
    return [
        (f"{path}: {len(program.blocks)} block(s), {n_ops} ops, {len(params)} parameters "
         f"({count:,} values)"),
        "inputs:  " + ", ".join(f"{n} {_shape(block.find_var(n))}" for n in feeds),
        "outputs: " + ", ".join(f"{n} {_shape(block.find_var(n))}" for n in fetches),
    ]


def _text_block(program: ir.Program, idx: int, indent: str) -> Iterator[str]:
    block = program.blocks[idx]
    yield f"{indent}block {idx}" + (f" (parent {block.parent_idx})" if idx else "") + ":"
    for op in block.ops:
        if op.type == "feed":
            out = op.output("Out")[0]
            yield f"{indent}  input {out} {_shape(block.find_var(out))}"
            continue
        if op.type == "fetch":
            x = op.input("X")[0]
            yield f"{indent}  output {op.attrs.get('col', '')} <- {x} {_shape(block.find_var(x))}"
            continue
        ins = []
        for slot, names in op.inputs.items():
            for n in names:
                v = block.find_var(n)
                tag = "param " if _is_param(v) else ""
                ins.append(f"{slot}={n}({tag}{_shape(v)})")
        outs = [f"{n} {_shape(block.find_var(n))}".rstrip() for n in op.output_names()]
        attrs = _attrs(op)
        line = f"{indent}  {op.type}({', '.join(ins)}) -> {', '.join(outs) or '-'}"
        yield line + (f"  [{attrs}]" if attrs else "")
        for sub in _sub_blocks(op):
            if 0 <= sub < len(program.blocks) and sub != idx:
                yield from _text_block(program, sub, indent + "    ")


def graph_text(path: str, program: ir.Program) -> str:
    """The plain-text listing: a summary, then every block's ops (sub-blocks indented under the
    op that runs them) with their inputs' and outputs' shapes.

    >>> import os, tempfile, paddlefish as paddle
    >>> d = tempfile.mkdtemp()
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), os.path.join(d, "lin"),
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> path, program = open_program(os.path.join(d, "lin"))
    >>> print(graph_text(path, program).splitlines()[1])
    inputs:  x float32[-1, 4]
    """
    return "\n".join([*_summary(path, program), *_text_block(program, 0, "")]) + "\n"


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Dot:
    def __init__(self, program: ir.Program):
        self.program = program
        self.lines: list[str] = []
        self.edges: list[str] = []  # at top level: an edge inside a cluster pulls its ends in
        self.producer: dict[str, str] = {}  # variable -> node that wrote it last
        self.n = 0

    def node(self, label: str, indent: str, **style) -> str:
        self.n += 1
        name = f"n{self.n}"
        extra = "".join(f", {k}={_q(v)}" for k, v in style.items())
        self.lines.append(f"{indent}{name} [label={_q(label)}{extra}];")
        return name

    def block(self, idx: int, indent: str) -> str | None:
        """Draw block ``idx``; returns its first node (for the dashed edge from the parent)."""
        block = self.program.blocks[idx]
        first = None
        for op in block.ops:
            if op.type == "feed":
                out = op.output("Out")[0]
                nid = self.node(f"{out}\n{_shape(block.find_var(out))}", indent,
                                shape="ellipse", style="filled", fillcolor="#d8ecff")
                self.producer[out] = nid
                first = first or nid
                continue
            if op.type == "fetch":
                x = op.input("X")[0]
                nid = self.node(f"output {op.attrs.get('col', '')}\n{_shape(block.find_var(x))}",
                                indent, shape="ellipse", style="filled", fillcolor="#ffe8cc")
                self._edge(x, nid, block, indent)
                continue
            label = [op.type]
            for slot, names in op.inputs.items():
                for n in names:
                    v = block.find_var(n)
                    if _is_param(v):
                        label.append(f"{slot}: {_shape(v)}")
            attrs = _attrs(op)
            if attrs:
                label.append(attrs)
            nid = self.node("\n".join(label), indent, shape="box", style="rounded,filled",
                            fillcolor="#f4f4f4")
            first = first or nid
            for n in op.input_names():
                if not _is_param(block.find_var(n)):
                    self._edge(n, nid, block, indent)
            for sub in _sub_blocks(op):
                if 0 <= sub < len(self.program.blocks) and sub != idx:
                    self.lines.append(f"{indent}subgraph cluster_b{sub} {{")
                    self.lines.append(f'{indent}  label="block {sub} ({op.type})"; style=dashed;')
                    head = self.block(sub, indent + "  ")
                    self.lines.append(f"{indent}}}")
                    if head:
                        self.edges.append(f'  {nid} -> {head} [style=dashed, label="block '
                                          f'{sub}"];')
            for n in op.output_names():
                self.producer[n] = nid
        return first

    def _edge(self, var: str, dst: str, block: ir.Block, indent: str) -> None:
        src = self.producer.get(var)
        if src is not None:
            label = f"{var}\n{_shape(block.find_var(var))}"
            self.edges.append(f"  {src} -> {dst} [label={_q(label)}];")


def graph_dot(path: str, program: ir.Program) -> str:
    """Graphviz source of ``program`` (see the module docstring for what is drawn).

    >>> import os, tempfile, paddlefish as paddle
    >>> d = tempfile.mkdtemp()
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), os.path.join(d, "lin"),
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> src = graph_dot(*open_program(os.path.join(d, "lin")))
    >>> src.startswith("digraph"), "matmul_v2" in src
    (True, True)
    """
    d = _Dot(program)
    d.block(0, "  ")
    title = "\\l".join(_summary(path, program)) + "\\l"
    head = [
        "digraph program {",
        "  rankdir=TB;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8];',
        f'  labelloc="t"; label="{title.replace(chr(34), "")}";',
    ]
    return "\n".join([*head, *d.lines, *d.edges, "}"]) + "\n"


def _render(dot_src: str, fmt: str) -> bytes | None:
    """``dot_src`` rendered by Graphviz (the Python wrapper if installed, else the ``dot``
    program on PATH); ``None`` when Graphviz is not there."""
    try:
        import graphviz  # the [graph] extra
    except ImportError:
        graphviz = None
    if graphviz is not None:
        try:
            return graphviz.Source(dot_src).pipe(format=fmt)
        except graphviz.ExecutableNotFound:
            return None
    exe = shutil.which("dot")
    if exe is None:
        return None
    r = subprocess.run([exe, f"-T{fmt}"], input=dot_src.encode(), capture_output=True,
                       timeout=600, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"graphviz dot failed (exit {r.returncode}): "
                           f"{r.stderr.decode(errors='replace')[-2000:]}")
    return r.stdout


def write_graph(model: str, out: str) -> tuple[list[str], str | None]:
    """Write the picture or listing of ``model`` to ``out`` (its suffix picks the kind).

    Returns ``(files written, note)``; ``note`` says why a rendered format fell back to
    ``.dot`` + ``.txt`` (Graphviz missing), else ``None``.
    """
    suffix = os.path.splitext(out)[1].lower()
    if suffix not in (".dot", ".gv", ".txt", *_RENDERED):
        raise ValueError(
            f"paddlefish graph: cannot tell what to write from {out!r}: its suffix must be one "
            f"of .svg, .png, .pdf (Graphviz), .dot (Graphviz source) or .txt (plain text)"
        )
    path, program = open_program(model)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    if suffix == ".txt":
        with open(out, "w") as f:
            f.write(graph_text(path, program))
        return [out], None
    src = graph_dot(path, program)
    if suffix in (".dot", ".gv"):
        with open(out, "w") as f:
            f.write(src)
        return [out], None
    data = _render(src, suffix[1:])
    if data is not None:
        with open(out, "wb") as f:
            f.write(data)
        return [out], None
    base = os.path.splitext(out)[0]
    with open(base + ".dot", "w") as f:
        f.write(src)
    with open(base + ".txt", "w") as f:
        f.write(graph_text(path, program))
    note = (
        f"Graphviz's 'dot' program was not found, so {out} was not drawn; wrote the plain-text "
        f"listing {base}.txt and the Graphviz source {base}.dot instead. Install Graphviz "
        f"(apt install graphviz / brew install graphviz / conda install graphviz) and rerun, or "
        f"run: dot -T{suffix[1:]} {base}.dot -o {out}"
    )
    return [base + ".dot", base + ".txt"], note
