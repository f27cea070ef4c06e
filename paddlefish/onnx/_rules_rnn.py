"""Paddle's fused ``rnn`` op (``nn.LSTM``/``nn.GRU``/``nn.SimpleRNN``) -> ONNX ``LSTM``/``GRU``/
``RNN`` nodes, one per layer.

NOTE [onnx rnn]: Paddle's ``WeightList`` (NOTE [rnn weight list] in ops/rnn.py) is read at export
time and rewritten as each layer's ONNX ``W [D, G*H, I]``, ``R [D, G*H, H]`` and
``B [D, 2*G*H]`` initializers, with the gates reordered: Paddle's LSTM ``i, f, c, o`` is ONNX's
``i, o, f, c``; Paddle's GRU ``r, z, c`` is ONNX's ``z, r, h`` and applies the reset gate after
the hidden matmul, which is ONNX's ``linear_before_reset=1``. The op's input is time-major
``[T, B, I]`` as Paddle's; a layer's ``Y [T, D, B, H]`` becomes the next layer's
``[T, B, D*H]``; ``SequenceLength`` becomes every layer's ``sequence_lens`` (int32), whose
semantics (zero outputs on padded steps, the reverse direction starting at each sequence's last
step, states frozen there) are Paddle's. ``PreState`` ``[L*D, B, H]`` is sliced per layer and the
final states concatenated back. Dropout between layers is an inference no-op.
"""

from __future__ import annotations

import numpy as np

from ._graph import GraphBuilder
from ._rules import _in, _out, rule

__all__: list[str] = []

# mode -> (ONNX op, gates, Paddle gate index for each ONNX gate slot)
_MODES = {
    "LSTM": ("LSTM", 4, [0, 3, 1, 2]),
    "GRU": ("GRU", 3, [1, 0, 2]),
    "RNN_TANH": ("RNN", 1, [0]),
    "RNN_RELU": ("RNN", 1, [0]),
}


def _array(g: GraphBuilder, name: str) -> np.ndarray:
    if name not in g.params:
        raise g.fail(
            f"rnn weight {name!r} is not a parameter with a value; ONNX export needs the "
            "rnn weights as saved parameters"
        )
    return np.asarray(g.params[name])


def _reorder(w: np.ndarray, gates: int, order: list[int]) -> np.ndarray:
    chunks = np.split(w, gates, axis=0)
    return np.concatenate([chunks[i] for i in order], axis=0)


def _slice0(g: GraphBuilder, x: str, start: int, stop: int) -> str:
    return g.one("Slice", [x, g.ints([start]), g.ints([stop]), g.ints([0])])


@rule("rnn")
def _rnn(g, op, a):
    mode = a.get("mode")
    if mode not in _MODES:
        raise g.fail(f"rnn mode {mode!r} is not one of {sorted(_MODES)}")
    kind, gates, order = _MODES[mode]
    layers, dirs, hidden = int(a["num_layers"]), 2 if a["is_bidirec"] else 1, int(a["hidden_size"])
    weights = op.input("WeightList")
    n = 2 * layers * dirs
    if len(weights) != 2 * n:
        raise g.fail(f"rnn WeightList has {len(weights)} tensors, expected {2 * n}")
    pre = op.input("PreState")
    want_states = 2 if mode == "LSTM" else 1
    if len(pre) != want_states:
        raise g.fail(f"rnn {mode} needs {want_states} PreState tensors, got {len(pre)}")
    x = _in(op, "Input")
    dtype = g.np_dtype(x)
    seq = _in(op, "SequenceLength")
    seq = g.cast(seq, np.int32) if seq else ""
    attrs = {"hidden_size": hidden, "direction": "bidirectional" if dirs == 2 else "forward"}
    if mode == "GRU":
        attrs["linear_before_reset"] = 1
    if kind == "RNN":
        act = "Relu" if mode == "RNN_RELU" else "Tanh"
        attrs["activations"] = [act] * dirs
    finals: list[list[str]] = [[] for _ in range(want_states)]
    for layer in range(layers):
        w, r, b = [], [], []
        for d in range(dirs):
            k = 2 * (layer * dirs + d)
            w.append(_reorder(_array(g, weights[k]), gates, order))
            r.append(_reorder(_array(g, weights[k + 1]), gates, order))
            b.append(
                np.concatenate(
                    [
                        _reorder(_array(g, weights[n + k]), gates, order),
                        _reorder(_array(g, weights[n + k + 1]), gates, order),
                    ]
                )
            )
        ins = [
            x,
            g.const(np.stack(w).astype(dtype), hint="rnn_W"),
            g.const(np.stack(r).astype(dtype), hint="rnn_R"),
            g.const(np.stack(b).astype(dtype), hint="rnn_B"),
            seq,
        ]
        ins += [_slice0(g, s, layer * dirs, (layer + 1) * dirs) for s in pre]
        outs = g.node(kind, ins, 1 + want_states, **attrs)
        y = g.one("Transpose", [outs[0]], perm=[0, 2, 1, 3])  # [T, B, D, H]
        x = g.one("Reshape", [y, g.ints([0, 0, dirs * hidden])])
        for i in range(want_states):
            finals[i].append(outs[1 + i])
    g.one("Identity", [x], _out(op))
    for name, parts in zip(op.output("State"), finals):
        g.one("Concat", parts, name, axis=0) if len(parts) > 1 else g.one("Identity", parts, name)
