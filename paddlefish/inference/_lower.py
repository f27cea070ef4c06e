"""The predictor's fastest CPU path: the program lowered to fused oneDNN convolutions.

NOTE [inference lowering]: measured on ResNet-18/MobileNetV2 (bench/bench_predictor.py), what makes
a CNN fast on CPU is the convolution: channels-last activations, weights reordered once into
oneDNN's blocked layout for the input shape (``mkldnn._reorder_convolution_weight``) and the
following residual add and activation run as oneDNN post-ops of the same primitive
(``mkldnn._convolution_pointwise`` / ``.binary``), which is what inductor emits for a frozen CNN.
This module does that directly on the program, without tracing and without a C++ compiler, so
building a signature costs a few milliseconds instead of inductor's 10-45 s:

* ``conv2d``/``depthwise_conv2d`` (NCHW, 4-D persistable filter, explicit symmetric paddings) with
  its optional ``Bias`` (folded BN, see NOTE [inference folding]);
* then, when the conv output has this one reader, ``elementwise_add`` of a same-shape tensor
  (the residual) -> oneDNN ``sum`` post-op;
* then, when that result has this one reader, ``relu`` / ``relu6`` / ``hard_swish`` /
  ``sigmoid`` / ``swish`` / ``tanh`` / ``leaky_relu`` -> oneDNN eltwise post-op (after a
  ``sum`` only ``relu``, the one oneDNN's binary fusion takes).

Every other op runs its registry kernel unchanged (channels-last tensors are ordinary strided
tensors to them). The fused group runs at the position of its last op, so a residual computed
after the conv (ResNet's downsample branch) is ready. A fused conv checks at run time that the
residual has the conv output's shape and falls back to the plain ops if not. The engine verifies
the first run of every signature against the interpreter (NOTE [inference compile]).
"""

from __future__ import annotations

import torch

from .. import ir, ops
from ..errors import ExecutionError

__all__ = ["Lowered", "available"]

_CONVS = ("conv2d", "depthwise_conv2d")
_SKIP = {"feed", "fetch"}
_MAX_SHAPES = 16  # packed weights kept per conv (one set per input shape)


def available() -> bool:
    """oneDNN's fused convolution ops are present in this torch build."""
    return bool(
        torch.backends.mkldnn.is_available()
        and hasattr(torch.ops.mkldnn, "_convolution_pointwise")
        and hasattr(torch.ops.mkldnn, "_reorder_convolution_weight")
    )


def _unary(op: ir.OpDesc):
    """oneDNN eltwise post-op (attr, scalars, algorithm) for an activation op, or None."""
    t = op.type
    if t == "relu":
        return ("relu", [], "")
    if t == "relu6":
        return ("hardtanh", [0.0, float(op.attrs.get("threshold", 6.0))], "")
    if t == "sigmoid":
        return ("sigmoid", [], "")
    if t == "tanh":
        return ("tanh", [], "")
    if t == "swish" and float(op.attrs.get("beta", 1.0)) == 1.0:
        return ("swish", [], "")
    if t == "silu":
        return ("swish", [], "")
    if t == "hard_swish" and (
        float(op.attrs.get("threshold", 6.0)),
        float(op.attrs.get("scale", 6.0)),
        float(op.attrs.get("offset", 3.0)),
    ) == (6.0, 6.0, 3.0):
        return ("hardswish", [], "")
    if t == "leaky_relu":
        return ("leaky_relu", [float(op.attrs.get("alpha", 0.02))], "")
    return None


def _sym_pads(op: ir.OpDesc):
    algo = op.attrs.get("padding_algorithm", "EXPLICIT")
    p = [int(v) for v in op.attrs.get("paddings", [0, 0])]
    if algo == "VALID":
        return [0, 0]
    if algo not in ("EXPLICIT", "", None):
        return None
    if len(p) == 2:
        return p
    if len(p) == 4 and p[0] == p[1] and p[2] == p[3]:
        return [p[0], p[2]]
    return None


class _Generic:
    """One op through its registry kernel (the wiring of static.interpreter's steps)."""

    __slots__ = ("attrs", "ins", "kernel", "op", "outs")

    def __init__(self, op: ir.OpDesc):
        self.op = op
        opdef = ops.get(op.type, attrs=op.attrs)
        self.kernel = opdef.kernel
        self.ins = []
        for slot in opdef.inputs:
            names = op.inputs.get(slot.name, [])
            self.ins.append(list(names) if slot.duplicable else (names[0] if names else None))
        self.attrs = {k: op.attrs[k] for k in opdef.attrs if k in op.attrs}
        if "is_test" in opdef.attrs:
            self.attrs["is_test"] = True
        self.outs = []
        for slot in opdef.outputs:
            names = op.outputs.get(slot.name, [])
            self.outs.append(list(names) if slot.duplicable else (names[0] if names else None))

    def names_in(self):
        for r in self.ins:
            yield from (r if isinstance(r, list) else [r] if r else [])

    def __call__(self, scope: dict) -> None:
        args = []
        for r in self.ins:
            args.append(
                None if r is None else [scope[n] for n in r] if isinstance(r, list) else scope[r]
            )
        try:
            out = self.kernel(*args, **self.attrs)
        except Exception as e:
            raise ExecutionError(f"inference (lowered): op {self.op.type!r} failed: {e}") from e
        if len(self.outs) == 1:
            out = (out,)
        for r, v in zip(self.outs, out):
            if r is None or v is None:
                continue
            if isinstance(r, list):
                scope.update(zip(r, v))
            else:
                scope[r] = v


class _FusedConv:
    """conv [+ residual add] [+ activation] as one oneDNN primitive with a prepacked weight."""

    __slots__ = (
        "act",
        "bias",
        "conv",
        "dil",
        "groups",
        "inp",
        "out",
        "packed",
        "pad",
        "plain",
        "res",
        "stride",
        "weight",
    )

    def __init__(self, conv, res, unary, out, plain, params):
        self.conv, self.inp = conv, conv.input("Input")[0]
        self.weight = params[conv.input("Filter")[0]]
        b = conv.input("Bias")
        self.bias = params[b[0]].reshape(-1) if b else None
        self.pad = _sym_pads(conv)
        self.stride = [int(v) for v in conv.attrs.get("strides", [1, 1])]
        self.dil = [int(v) for v in conv.attrs.get("dilations", [1, 1])]
        self.groups = int(conv.attrs.get("groups", 1))
        self.res, self.act, self.out, self.plain = res, unary, out, plain
        self.packed: dict = {}

    def names_in(self):
        yield self.inp
        if self.res:
            yield self.res

    def _pack(self, shape):
        key = tuple(shape)
        w = self.packed.get(key)
        if w is None:
            w = torch.ops.mkldnn._reorder_convolution_weight(
                self.weight, self.pad, self.stride, self.dil, self.groups, list(shape)
            )
            if len(self.packed) >= _MAX_SHAPES:  # the oldest shape goes (dicts keep order)
                self.packed.pop(next(iter(self.packed)))
            self.packed[key] = w
        return w

    def _out_shape(self, shape):
        k = self.weight.shape
        return (shape[0], k[0]) + tuple(
            (shape[2 + i] + 2 * self.pad[i] - self.dil[i] * (k[2 + i] - 1) - 1) // self.stride[i]
            + 1
            for i in range(2)
        )

    def __call__(self, scope: dict) -> None:
        x = scope[self.inp]
        if x.dim() != 4 or x.dtype != torch.float32 or x.layout != torch.strided:
            for st in self.plain:
                st(scope)
            return
        if not x.is_contiguous(memory_format=torch.channels_last):
            x = x.contiguous(memory_format=torch.channels_last)
        w = self._pack(x.shape)
        attr, scalars, algo = self.act if self.act else ("none", [], "")
        if self.res is None:
            y = torch.ops.mkldnn._convolution_pointwise(
                x, w, self.bias, self.pad, self.stride, self.dil, self.groups, attr, scalars, algo
            )
        else:
            other = scope[self.res]
            if (
                other.dtype != torch.float32
                or other.layout != torch.strided
                or tuple(other.shape) != self._out_shape(x.shape)
            ):  # a broadcast add or another dtype: the plain ops
                for st in self.plain:
                    st(scope)
                return
            if not other.is_contiguous(memory_format=torch.channels_last):
                other = other.contiguous(memory_format=torch.channels_last)
            y = torch.ops.mkldnn._convolution_pointwise.binary(
                x,
                other,
                w,
                self.bias,
                self.pad,
                self.stride,
                self.dil,
                self.groups,
                "add",
                1.0,
                attr if self.act else None,
                scalars,
                algo or None,
            )
        scope[self.out] = y


def _same_shape(block: ir.Block, a: str, b: str) -> bool:
    """The declared shapes of ``a`` and ``b`` may be equal (-1 matches anything; unknown: yes,
    the fused conv checks at run time)."""
    va, vb = block.find_var(a), block.find_var(b)
    sa = list(va.shape) if va is not None and va.shape is not None else None
    sb = list(vb.shape) if vb is not None and vb.shape is not None else None
    if sa is None or sb is None:
        return True
    return len(sa) == len(sb) and all(x == y or x < 0 or y < 0 for x, y in zip(sa, sb))


def _overwritten(body, index, group, res) -> bool:
    """Whether an op between the group's first and last op writes a value the group reads or
    writes (an in-place op): then the conv cannot move to the last op's position. The residual
    may be produced in between (ResNet's downsample branch): the add reads it there anyway."""
    idx = sorted(index[id(g)] for g in group)
    names = {n for g in group for n in (*g.input_names(), *g.output_names())} - {res}
    return any(
        names.intersection(body[j].output_names())
        for j in range(idx[0] + 1, idx[-1])
        if j not in idx
    )


class Lowered:
    """The block as a list of steps (fused convs + registry kernels), freeing values after their
    last use; ``run(xs)`` -> list of fetched tensors (contiguous)."""

    def __init__(self, block: ir.Block, params: dict, feeds: list, fetches: list):
        self.params, self.feeds, self.fetches = params, feeds, fetches
        self.fused = 0
        body = [op for op in block.ops if op.type not in _SKIP]
        readers: dict[str, int] = {}
        for op in body:
            for n in op.input_names():
                readers[n] = readers.get(n, 0) + 1
        for n in fetches:
            readers[n] = readers.get(n, 0) + 1000  # never fused away
        by_input: dict[str, list[int]] = {}
        for i, op in enumerate(body):
            for n in op.input_names():
                by_input.setdefault(n, []).append(i)

        taken: set[int] = set()

        def only_reader(name):
            idx = by_input.get(name, [])
            if len(idx) == 1 and readers.get(name) == 1 and idx[0] not in taken:
                return body[idx[0]]
            return None

        placed: dict[int, object] = {}
        index = {id(op): i for i, op in enumerate(body)}
        for i, op in enumerate(body):
            if i in taken or not self._fusable_conv(op, params):
                continue
            group, out, res, act = [op], op.output("Output")[0], None, None
            nxt = only_reader(out)
            if nxt is not None and nxt.type == "elementwise_add":
                x_, y_ = nxt.input("X")[0], nxt.input("Y")[0]
                other = y_ if x_ == out else x_
                if other != out and other not in params and _same_shape(block, out, other):
                    group.append(nxt)
                    res, out = other, nxt.output("Out")[0]
                    nxt = only_reader(out)
            if nxt is not None:
                unary = _unary(nxt)
                if unary is not None and (res is None or unary[0] == "relu"):
                    group.append(nxt)
                    act, out = unary, nxt.output("Out")[0]
            if _overwritten(body, index, group, res):
                group, res, act, out = [op], None, None, op.output("Output")[0]
            plain = [_Generic(g) for g in group]
            last = max(index[id(g)] for g in group)
            placed[last] = _FusedConv(op, res, act, out, plain, params)
            taken.update(index[id(g)] for g in group)
            self.fused += 1
        self.steps = []
        for i, op in enumerate(body):
            if i in placed:
                self.steps.append(placed[i])
            elif i not in taken:
                self.steps.append(_Generic(op))
        keep = set(fetches) | set(params)
        last_use: dict[str, int] = {}
        for i, st in enumerate(self.steps):
            for n in st.names_in():
                last_use[n] = i
        frees: dict[int, list[str]] = {}
        for n, i in last_use.items():
            if n not in keep:
                frees.setdefault(i, []).append(n)
        self.frees = [tuple(frees.get(i, ())) for i in range(len(self.steps))]

    @staticmethod
    def _fusable_conv(op: ir.OpDesc, params: dict) -> bool:
        if op.type not in _CONVS or op.attrs.get("data_format", "NCHW") not in (
            "NCHW",
            "AnyLayout",
        ):
            return False
        f = op.input("Filter")
        b = op.input("Bias")
        w = params.get(f[0]) if f else None
        if w is None or w.dim() != 4 or w.dtype != torch.float32:
            return False
        if b and (b[0] not in params or params[b[0]].numel() != w.shape[0]):
            return False
        return _sym_pads(op) is not None and len(op.attrs.get("strides", [1, 1])) == 2

    def packed_shapes(self) -> int:
        """How many input shapes the first fused conv holds packed weights for."""
        first = next((st for st in self.steps if isinstance(st, _FusedConv)), None)
        return len(first.packed) if first is not None else 0

    def run(self, xs: list) -> list:
        scope = dict(self.params)
        for n, x in zip(self.feeds, xs):
            if x.dim() == 4 and x.dtype == torch.float32:
                x = x.contiguous(memory_format=torch.channels_last)
            scope[n] = x
        for st, fr in zip(self.steps, self.frees):
            st(scope)
            for n in fr:
                scope.pop(n, None)
        return [scope[n].contiguous() for n in self.fetches]

    def __call__(self, *xs):
        return self.run(list(xs))
