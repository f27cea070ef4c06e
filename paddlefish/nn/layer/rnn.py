"""Recurrent layers: SimpleRNNCell, LSTMCell, GRUCell, RNN, BiRNN, SimpleRNN, LSTM, GRU.

Cells compute one step through ``run`` on basic ops; ``RNN``/``BiRNN`` loop a cell over time
(recorded unrolled for the traced length). ``SimpleRNN``/``LSTM``/``GRU`` go through Paddle's
fused ``rnn`` op, which is also what Paddle records for them (see NOTE [rnn weight list] in
ops/rnn.py).
"""

from __future__ import annotations

import math

from ..._core import unique_name
from ..._core.dtypes import DType, convert_dtype
from ...eager.tensor import Tensor
from ...tensor import manipulation as M
from ...tensor._run import run
from .. import initializer as I
from .container import LayerList
from .layers import Layer

__all__ = [
    "GRU",
    "LSTM",
    "RNN",
    "BiRNN",
    "GRUCell",
    "LSTMCell",
    "RNNBase",
    "RNNCellBase",
    "SimpleRNN",
    "SimpleRNNCell",
    "birnn",
    "rnn",
]

_BIDIRECT = ("bidirect", "bidirectional")


def _full(shape: list, value: float, dtype) -> Tensor:
    """Recordable ``fill_constant`` of a static ``shape``."""
    return run(
        "fill_constant",
        dtype=dtype.vartype,
        shape=[int(s) for s in shape],
        value=float(value),
        str_value=str(float(value)),
    )


def _batch_full(batch_ref: Tensor, batch_idx: int, shape: list, value: float, dtype) -> Tensor:
    """``full`` of ``shape`` whose ``-1`` entry is the batch size of ``batch_ref``. A dynamic batch
    (recording with an unknown size) is read with ``shape``+``slice`` as Paddle records it."""
    b = batch_ref.shape[batch_idx]
    if b is not None and b >= 0:
        return _full([b if s == -1 else s for s in shape], value, dtype)
    dims = run(
        "slice",
        run("shape", batch_ref),
        axes=[0],
        starts=[batch_idx],
        ends=[batch_idx + 1],
        infer_flags=[1],
        decrease_axis=[0],
    )
    parts = [
        dims
        if s == -1
        else run(
            "fill_constant", dtype=2, shape=[], value=float(s), str_value=str(s), force_cpu=True
        )
        for s in shape
    ]
    return run(
        "fill_constant",
        None,
        None,
        parts,
        dtype=dtype.vartype,
        shape=list(shape),
        value=float(value),
        str_value=str(float(value)),
    )


def _mm_t(x: Tensor, w: Tensor, b: Tensor | None) -> Tensor:
    out = run("matmul_v2", x, w, trans_x=False, trans_y=True)
    return out if b is None else run("elementwise_add", out, b, axis=-1)


# ---- cells ----------------------------------------------------------------------------------
class RNNCellBase(Layer):
    """Base of the RNN cells: initial states and Paddle's four cell parameters."""

    def get_initial_states(
        self, batch_ref, shape=None, dtype=None, init_value=0.0, batch_dim_idx=0
    ):
        """Zeros (or ``init_value``) shaped ``[batch] + state_shape`` (nested like it)."""
        shapes = self.state_shape if shape is None else shape
        dt = batch_ref.dtype if dtype is None else dtype
        if _is_shape(shapes):
            return _batch_full(
                batch_ref, batch_dim_idx, [-1] + list(_strip(shapes)), init_value, _as_dtype(dt)
            )
        return tuple(
            self.get_initial_states(batch_ref, s, dtype, init_value, batch_dim_idx) for s in shapes
        )

    @property
    def state_shape(self):
        raise NotImplementedError(f"{type(self).__name__} must define state_shape")

    def _cell_params(self, gates: int, input_size: int, hidden_size: int, attrs: tuple) -> None:
        # Paddle creates all four even when an attr is False (then constant and frozen).
        if hidden_size <= 0:
            raise ValueError(
                f"hidden_size of {type(self).__name__} must be greater than 0, "
                f"but now equals to {hidden_size}"
            )
        std = 1.0 / math.sqrt(hidden_size)
        specs = (
            ("weight_ih", [gates * hidden_size, input_size], False, 1.0),
            ("weight_hh", [gates * hidden_size, hidden_size], False, 1.0),
            ("bias_ih", [gates * hidden_size], True, 0.0),
            ("bias_hh", [gates * hidden_size], True, 0.0),
        )
        for (name, shape, is_bias, off), attr in zip(specs, attrs):
            if attr is not False:
                p = self.create_parameter(
                    shape, attr, is_bias=is_bias, default_initializer=I.Uniform(-std, std)
                )
            else:
                p = self.create_parameter(
                    shape, None, is_bias=is_bias, default_initializer=I.Constant(off)
                )
                p.stop_gradient = True
            setattr(self, name, p)
        self.input_size, self.hidden_size = input_size, hidden_size

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}"


def _is_shape(s) -> bool:
    return isinstance(s, (list, tuple)) and all(isinstance(v, int) for v in s)


def _strip(shape):
    return list(shape)[1:] if shape and shape[0] == -1 else list(shape)


def _as_dtype(dt):
    return dt if isinstance(dt, DType) else convert_dtype(dt)


class SimpleRNNCell(RNNCellBase):
    """``h = act(x W_ih^T + b_ih + h W_hh^T + b_hh)``; ``act`` is ``tanh`` or ``relu``.

    >>> import paddlefish as paddle
    >>> cell = paddle.nn.SimpleRNNCell(3, 4)
    >>> y, h = cell(paddle.ones([2, 3]))
    >>> y.shape, cell.weight_ih.name.startswith("simple_rnn_cell_")
    ([2, 4], True)
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        activation="tanh",
        weight_ih_attr=None,
        weight_hh_attr=None,
        bias_ih_attr=None,
        bias_hh_attr=None,
        name=None,
    ):
        super().__init__()
        self._cell_params(
            1, input_size, hidden_size, (weight_ih_attr, weight_hh_attr, bias_ih_attr, bias_hh_attr)
        )
        if activation not in ("tanh", "relu"):
            raise ValueError(
                f"activation for SimpleRNNCell should be tanh or relu, but got {activation}"
            )
        self.activation = activation

    def forward(self, inputs, states=None):
        if states is None:
            states = self.get_initial_states(inputs, self.state_shape)
        pre = _mm_t(inputs, self.weight_ih, self.bias_ih)
        pre = run("elementwise_add", pre, _mm_t(states, self.weight_hh, self.bias_hh), axis=-1)
        h = run(self.activation, pre)
        return h, h

    @property
    def state_shape(self):
        return (self.hidden_size,)

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s if self.activation == "tanh" else f"{s}, activation={self.activation}"


class LSTMCell(RNNCellBase):
    """Paddle's LSTM cell; gates ``i, f, c~, o`` in that order along the weight rows.

    >>> import paddlefish as paddle
    >>> cell = paddle.nn.LSTMCell(3, 4)
    >>> y, (h, c) = cell(paddle.ones([2, 3]))
    >>> y.shape, c.shape, cell.weight_ih.shape
    ([2, 4], [2, 4], [16, 3])
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        weight_ih_attr=None,
        weight_hh_attr=None,
        bias_ih_attr=None,
        bias_hh_attr=None,
        proj_size=0,
        name=None,
    ):
        super().__init__()
        if proj_size:
            raise NotImplementedError(
                "LSTMCell(proj_size>0) is not supported yet; use "
                "proj_size=0 and a Linear after the cell"
            )
        self._cell_params(
            4, input_size, hidden_size, (weight_ih_attr, weight_hh_attr, bias_ih_attr, bias_hh_attr)
        )

    def forward(self, inputs, states=None):
        if states is None:
            states = self.get_initial_states(inputs, self.state_shape)
        pre_h, pre_c = states
        gates = _mm_t(inputs, self.weight_ih, self.bias_ih)
        gates = run("elementwise_add", gates, _mm_t(pre_h, self.weight_hh, self.bias_hh), axis=-1)
        i, f, g, o = run("split", gates, num=4, axis=-1)
        i, f, o = run("sigmoid", i), run("sigmoid", f), run("sigmoid", o)
        c = run(
            "elementwise_add",
            run("elementwise_mul", f, pre_c),
            run("elementwise_mul", i, run("tanh", g)),
        )
        h = run("elementwise_mul", o, run("tanh", c))
        return h, (h, c)

    @property
    def state_shape(self):
        return ((self.hidden_size,), (self.hidden_size,))


class GRUCell(RNNCellBase):
    """Paddle's GRU cell: gates ``r, z, c``, reset applied after the hidden matmul,
    ``h = (h_prev - c) * z + c``.

    >>> import paddlefish as paddle
    >>> cell = paddle.nn.GRUCell(3, 4)
    >>> y, h = cell(paddle.ones([2, 3]))
    >>> y.shape, cell.weight_hh.shape
    ([2, 4], [12, 4])
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        weight_ih_attr=None,
        weight_hh_attr=None,
        bias_ih_attr=None,
        bias_hh_attr=None,
        name=None,
    ):
        super().__init__()
        self._cell_params(
            3, input_size, hidden_size, (weight_ih_attr, weight_hh_attr, bias_ih_attr, bias_hh_attr)
        )

    def forward(self, inputs, states=None):
        if states is None:
            states = self.get_initial_states(inputs, self.state_shape)
        x_r, x_z, x_c = run("split", _mm_t(inputs, self.weight_ih, self.bias_ih), num=3, axis=-1)
        h_r, h_z, h_c = run("split", _mm_t(states, self.weight_hh, self.bias_hh), num=3, axis=-1)
        r = run("sigmoid", run("elementwise_add", x_r, h_r))
        z = run("sigmoid", run("elementwise_add", x_z, h_z))
        c = run("tanh", run("elementwise_add", x_c, run("elementwise_mul", r, h_c)))
        h = run("elementwise_add", run("elementwise_mul", run("elementwise_sub", states, c), z), c)
        return h, h

    @property
    def state_shape(self):
        return (self.hidden_size,)


# ---- the time loop --------------------------------------------------------------------------
def _map(fn, *trees):
    if isinstance(trees[0], (list, tuple)):
        return type(trees[0])(_map(fn, *ts) for ts in zip(*trees))
    return fn(*trees)


def _keep_padded(state, new, step_mask):
    # new * m + state * (1 - m): padded steps keep the previous state (Paddle's _maybe_copy)
    keep = run("elementwise_mul", state, run("scale", step_mask, scale=-1.0, bias=1.0), axis=0)
    return run("elementwise_add", run("elementwise_mul", new, step_mask, axis=0), keep)


def rnn(
    cell,
    inputs,
    initial_states=None,
    sequence_length=None,
    time_major=False,
    is_reverse=False,
    **kwargs,
):
    """Loop ``cell`` over the time steps of ``inputs`` (one Tensor); returns
    ``(outputs, final_states)``. Padded steps (``sequence_length``) keep the states."""
    if initial_states is None:
        initial_states = cell.get_initial_states(
            batch_ref=inputs, batch_dim_idx=1 if time_major else 0
        )
    x = inputs if time_major else M.transpose(inputs, [1, 0, 2])
    steps = x.shape[0]
    mask = None
    if sequence_length is not None:
        mask = run("sequence_mask", sequence_length, maxlen=steps, out_dtype=x.dtype.vartype)
        mask = M.transpose(mask, [1, 0])
    if is_reverse:
        x = M.flip(x, [0])
        mask = M.flip(mask, [0]) if mask is not None else None
    xs = run("unstack", x, axis=0, num=steps)
    ms = run("unstack", mask, axis=0, num=steps) if mask is not None else None
    states, outputs = initial_states, []
    for i in range(steps):
        out, new_states = cell(xs[i], states, **kwargs)
        if ms is not None:
            new_states = _map(lambda s, n, m=ms[i]: _keep_padded(s, n, m), states, new_states)
        states = new_states
        outputs.append(out)
    y = M.stack(outputs, axis=0)
    if is_reverse:
        y = M.flip(y, [0])
    return (y if time_major else M.transpose(y, [1, 0, 2])), states


def birnn(
    cell_fw, cell_bw, inputs, initial_states=None, sequence_length=None, time_major=False, **kwargs
):
    """Run ``cell_fw`` forward and ``cell_bw`` reversed; concat outputs on the last axis."""
    if initial_states is None:
        idx = 1 if time_major else 0
        states_fw = cell_fw.get_initial_states(batch_ref=inputs, batch_dim_idx=idx)
        states_bw = cell_bw.get_initial_states(batch_ref=inputs, batch_dim_idx=idx)
    else:
        states_fw, states_bw = initial_states
    out_fw, states_fw = rnn(cell_fw, inputs, states_fw, sequence_length, time_major, **kwargs)
    out_bw, states_bw = rnn(
        cell_bw, inputs, states_bw, sequence_length, time_major, is_reverse=True, **kwargs
    )
    return M.concat([out_fw, out_bw], axis=-1), (states_fw, states_bw)


class RNN(Layer):
    """Wrap a cell into a recurrent network over a sequence.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.RNN(paddle.nn.GRUCell(3, 4))
    >>> y, h = net(paddle.ones([2, 5, 3]))
    >>> y.shape, h.shape
    ([2, 5, 4], [2, 4])
    """

    def __init__(self, cell, is_reverse=False, time_major=False):
        super().__init__()
        self.cell = cell
        self.is_reverse = is_reverse
        self.time_major = time_major

    def forward(self, inputs, initial_states=None, sequence_length=None, **kwargs):
        return rnn(
            self.cell,
            inputs,
            initial_states,
            sequence_length,
            self.time_major,
            self.is_reverse,
            **kwargs,
        )


class BiRNN(Layer):
    """Bidirectional wrapper of two cells; outputs are concatenated on the last axis.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.BiRNN(paddle.nn.LSTMCell(3, 4), paddle.nn.LSTMCell(3, 4))
    >>> y, (fw, bw) = net(paddle.ones([2, 5, 3]))
    >>> y.shape
    [2, 5, 8]
    """

    def __init__(self, cell_fw, cell_bw, time_major=False):
        super().__init__()
        self.cell_fw, self.cell_bw = cell_fw, cell_bw
        if cell_fw.input_size != cell_bw.input_size:
            raise ValueError(
                f"input size of forward cell({cell_fw.input_size}) does not equals that of backward cell({cell_bw.input_size})"
            )
        self.time_major = time_major

    def forward(self, inputs, initial_states=None, sequence_length=None, **kwargs):
        if isinstance(initial_states, (list, tuple)) and len(initial_states) != 2:
            raise ValueError(
                "length of initial_states should be 2 when it is a list/tuple, "
                f"got {len(initial_states)}"
            )
        return birnn(
            self.cell_fw,
            self.cell_bw,
            inputs,
            initial_states,
            sequence_length,
            self.time_major,
            **kwargs,
        )


# ---- fused multi-layer networks ---------------------------------------------------------------
class RNNBase(LayerList):
    """Shared body of SimpleRNN/LSTM/GRU: a LayerList of ``RNN``/``BiRNN`` whose cells' parameters
    are also exposed as ``weight_ih_l{k}[_reverse]`` etc. (Paddle's state-dict keys); forward is
    one fused ``rnn`` op (see NOTE [rnn weight list] in ops/rnn.py)."""

    def __init__(
        self,
        mode,
        input_size,
        hidden_size,
        num_layers=1,
        direction="forward",
        time_major=False,
        dropout=0.0,
        weight_ih_attr=None,
        weight_hh_attr=None,
        bias_ih_attr=None,
        bias_hh_attr=None,
    ):
        super().__init__()
        if direction not in ("forward",) + _BIDIRECT:
            raise ValueError(
                "direction should be forward or bidirect (or bidirectional), "
                f"received direction = {direction}"
            )
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.dropout, self.time_major, self.num_layers = dropout, time_major, num_layers
        self.num_directions = 2 if direction in _BIDIRECT else 1
        self.state_components = 2 if mode == "LSTM" else 1
        attrs = {
            "weight_ih_attr": weight_ih_attr,
            "weight_hh_attr": weight_hh_attr,
            "bias_ih_attr": bias_ih_attr,
            "bias_hh_attr": bias_hh_attr,
        }
        self._build_layers(attrs)
        self._expose_params(bias_ih_attr, bias_hh_attr)
        cells = [c for layer in self for c in _cells(layer)]
        self._all_weights = [p for c in cells for p in (c.weight_ih, c.weight_hh)] + [
            p for c in cells for p in (c.bias_ih, c.bias_hh)
        ]
        # Paddle's flatten_parameters() creates one more (unsaved) parameter: same name counter
        unique_name.generate(self._full_name + ".w")

    def _make_cell(self, in_size, attrs):
        if self.mode == "LSTM":
            return LSTMCell(in_size, self.hidden_size, **attrs)
        if self.mode == "GRU":
            return GRUCell(in_size, self.hidden_size, **attrs)
        return SimpleRNNCell(in_size, self.hidden_size, self.activation, **attrs)

    def _build_layers(self, attrs):
        for i in range(self.num_layers):
            in_size = self.input_size if i == 0 else self.hidden_size * self.num_directions
            if self.num_directions == 1:
                self.append(RNN(self._make_cell(in_size, attrs), False, self.time_major))
            else:
                fw = self._make_cell(in_size, attrs)
                bw = self._make_cell(in_size, attrs)
                self.append(BiRNN(fw, bw, self.time_major))

    def _expose_params(self, bias_ih_attr, bias_hh_attr):
        names = []
        for layer in range(self.num_layers):
            for d in range(self.num_directions):
                suffix = "_reverse" if d == 1 else ""
                names += [f"weight_ih_l{layer}{suffix}", f"weight_hh_l{layer}{suffix}"]
                if bias_ih_attr is not False:
                    names.append(f"bias_ih_l{layer}{suffix}")
                if bias_hh_attr is not False:
                    names.append(f"bias_hh_l{layer}{suffix}")
        for name, param in zip(names, self.parameters()):
            setattr(self, name, param)

    def _zero_states(self, inputs):
        shape = [self.num_layers * self.num_directions, -1, self.hidden_size]
        b = 1 if self.time_major else 0
        return [
            _batch_full(inputs, b, shape, 0.0, inputs.dtype) for _ in range(self.state_components)
        ]

    def forward(self, inputs, initial_states=None, sequence_length=None):
        if initial_states is None:
            states = self._zero_states(inputs)
        elif isinstance(initial_states, Tensor):
            states = [initial_states]
        else:
            states = list(initial_states)
        if len(states) != self.state_components:
            raise ValueError(
                f"{type(self).__name__}: initial_states must hold "
                f"{self.state_components} tensor(s) of shape [num_layers * "
                f"num_directions, batch, hidden_size], got {len(states)}"
            )
        x = inputs if self.time_major else M.transpose(inputs, [1, 0, 2])
        out, _, state, _ = run(
            "rnn",
            x,
            states,
            self._all_weights,
            sequence_length,
            dropout_prob=float(self.dropout),
            is_bidirec=self.num_directions == 2,
            input_size=self.input_size,
            hidden_size=self.hidden_size,
            num_layers=self.num_layers,
            mode=self.mode,
            seed=0,
            is_test=not self.training,
        )
        out = out if self.time_major else M.transpose(out, [1, 0, 2])
        return out, (tuple(state) if len(state) > 1 else state[0])

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.time_major:
            s += f", time_major={self.time_major}"
        if self.dropout:
            s += f", dropout={self.dropout}"
        return s


def _cells(layer):
    return [layer.cell] if isinstance(layer, RNN) else [layer.cell_fw, layer.cell_bw]


class SimpleRNN(RNNBase):
    """Multi-layer Elman RNN (``tanh`` or ``relu``), Paddle's ``RNN_TANH``/``RNN_RELU`` modes.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.SimpleRNN(3, 4, num_layers=2)
    >>> y, h = net(paddle.ones([2, 5, 3]))
    >>> y.shape, h.shape
    ([2, 5, 4], [2, 2, 4])
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        direction="forward",
        time_major=False,
        dropout=0.0,
        activation="tanh",
        weight_ih_attr=None,
        weight_hh_attr=None,
        bias_ih_attr=None,
        bias_hh_attr=None,
        name=None,
    ):
        if activation not in ("tanh", "relu"):
            raise ValueError(f"Unknown activation '{activation}'; use 'tanh' or 'relu'")
        self.__dict__["activation"] = activation
        mode = "RNN_TANH" if activation == "tanh" else "RNN_RELU"
        super().__init__(
            mode,
            input_size,
            hidden_size,
            num_layers,
            direction,
            time_major,
            dropout,
            weight_ih_attr,
            weight_hh_attr,
            bias_ih_attr,
            bias_hh_attr,
        )


class LSTM(RNNBase):
    """Multi-layer LSTM; returns ``(outputs, (h, c))`` with states ``[L*D, batch, hidden]``.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.LSTM(3, 4, direction="bidirect")
    >>> y, (h, c) = net(paddle.ones([2, 5, 3]))
    >>> y.shape, h.shape, list(net.state_dict())[:2]
    ([2, 5, 8], [2, 2, 4], ['weight_ih_l0', 'weight_hh_l0'])
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        direction="forward",
        time_major=False,
        dropout=0.0,
        weight_ih_attr=None,
        weight_hh_attr=None,
        bias_ih_attr=None,
        bias_hh_attr=None,
        proj_size=0,
        name=None,
    ):
        if proj_size:
            raise NotImplementedError("LSTM(proj_size>0) is not supported yet; use proj_size=0")
        super().__init__(
            "LSTM",
            input_size,
            hidden_size,
            num_layers,
            direction,
            time_major,
            dropout,
            weight_ih_attr,
            weight_hh_attr,
            bias_ih_attr,
            bias_hh_attr,
        )


class GRU(RNNBase):
    """Multi-layer GRU; returns ``(outputs, h)`` with ``h`` of ``[L*D, batch, hidden]``.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.GRU(3, 4, num_layers=2)
    >>> y, h = net(paddle.ones([2, 5, 3]))
    >>> y.shape, h.shape
    ([2, 5, 4], [2, 2, 4])
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        direction="forward",
        time_major=False,
        dropout=0.0,
        weight_ih_attr=None,
        weight_hh_attr=None,
        bias_ih_attr=None,
        bias_hh_attr=None,
        name=None,
    ):
        super().__init__(
            "GRU",
            input_size,
            hidden_size,
            num_layers,
            direction,
            time_major,
            dropout,
            weight_ih_attr,
            weight_hh_attr,
            bias_ih_attr,
            bias_hh_attr,
        )
