"""Paddle's fused multi-layer ``rnn`` op (LSTM, GRU, RNN_TANH, RNN_RELU) on torch's RNN kernels.

NOTE [rnn weight list]: Paddle's ``WeightList`` holds every weight first, then every bias, each
group ordered layer by layer, forward direction before reverse, ``w_ih`` before ``w_hh``
(``b_ih`` before ``b_hh``). Torch wants ``[w_ih, w_hh, b_ih, b_hh]`` per layer and direction. The
gate orders agree (LSTM ``i, f, g(c), o``; GRU ``r, z, c`` with the reset gate applied after the
hidden matmul, ``h = (h_prev - c) * z + c``), so Paddle's weights feed torch's kernels unchanged.

NOTE [rnn sequence_length]: with ``SequenceLength`` the padded steps produce zero outputs and do not
update states; the reverse direction starts at each sequence's last valid step. This is torch's
packed-sequence semantics, which the kernel uses.
"""

from __future__ import annotations

import torch
from torch.nn.utils import rnn as rnn_utils

from ._registry import op
from ._torch_dtype import torch_dtype_of_vartype

__all__ = ["rnn", "sequence_mask"]

_VF = {
    "LSTM": torch._VF.lstm,
    "GRU": torch._VF.gru,
    "RNN_TANH": torch._VF.rnn_tanh,
    "RNN_RELU": torch._VF.rnn_relu,
}


def _torch_params(weights: list, num_layers: int, num_dirs: int) -> list:
    """Paddle's WeightList order -> torch's per-(layer, direction) ``w_ih, w_hh, b_ih, b_hh``."""
    n = 2 * num_layers * num_dirs
    if len(weights) != 2 * n:
        raise ValueError(
            f"rnn: WeightList has {len(weights)} tensors, expected {2 * n} "
            f"(2 weights + 2 biases for each of {num_layers} layers x {num_dirs} directions); "
            "see NOTE [rnn weight list]"
        )
    out = []
    for k in range(0, n, 2):
        out += [weights[k], weights[k + 1], weights[n + k], weights[n + k + 1]]
    return out


def _packed(fn, x, lengths, hx, params, is_lstm, args):
    lengths = lengths.to("cpu", torch.int64)
    if bool((lengths <= 0).any()):
        raise ValueError(f"rnn: SequenceLength must be >= 1 for every sequence, got {lengths}")
    total = x.shape[0]
    packed = rnn_utils.pack_padded_sequence(x, lengths, enforce_sorted=False)
    order, back = packed.sorted_indices, packed.unsorted_indices
    hx = [h.index_select(1, order) for h in hx]
    res = fn(packed.data, packed.batch_sizes, tuple(hx) if is_lstm else hx[0], params, *args)
    seq = rnn_utils.PackedSequence(res[0], packed.batch_sizes, order, back)
    out, _ = rnn_utils.pad_packed_sequence(seq, total_length=total)
    return out, [h.index_select(1, back) for h in res[1:]]


@op(
    "rnn",
    pir="pd_op.rnn",
    outputs=("Out", "DropoutState?", "State", "Reserve?"),
    duplicable=("PreState", "WeightList", "State"),
    extra_outputs=("Reserve", "DropoutState"),
)
def rnn(
    Input,
    PreState,
    WeightList,
    SequenceLength=None,
    *,
    dropout_prob=0.0,
    is_bidirec=False,
    input_size=10,
    hidden_size=100,
    num_layers=1,
    mode="RNN_TANH",
    seed=0,
    is_test=False,
):
    """Time-major ``Input [T, B, I]``; ``PreState``: ``[h]`` or ``[h, c]`` of ``[L*D, B, H]``."""
    if mode not in _VF:
        raise ValueError(f"rnn: mode must be one of {sorted(_VF)}, got {mode!r}")
    fn, is_lstm = _VF[mode], mode == "LSTM"
    dirs = 2 if is_bidirec else 1
    params = _torch_params(list(WeightList), num_layers, dirs)
    train = not is_test
    p = float(dropout_prob) if train else 0.0
    if Input.is_meta:
        # NOTE [rnn recording]: shape-only run while jit records: lengths do not change shapes,
        # and the program needs DropoutState/Reserve variables as Paddle's rnn op writes them.
        hx = tuple(PreState) if is_lstm else PreState[0]
        res = fn(Input, hx, params, True, num_layers, p, train, is_bidirec, False)
        extra = Input.new_empty([0], dtype=torch.uint8)
        return res[0], extra, list(res[1:]), Input.new_empty([0], dtype=torch.uint8)
    if SequenceLength is not None:
        args = (True, num_layers, p, train, is_bidirec)
        out, states = _packed(fn, Input, SequenceLength, list(PreState), params, is_lstm, args)
        return out, None, states, None
    hx = tuple(PreState) if is_lstm else PreState[0]
    res = fn(Input, hx, params, True, num_layers, p, train, is_bidirec, False)
    return res[0], None, list(res[1:]), None


@op("sequence_mask", pir="pd_op.sequence_mask", outputs=("Y",))
def sequence_mask(X, MaxLenTensor=None, *, maxlen=-1, out_dtype=5):
    """``Y[..., j] = j < X[...]`` over ``maxlen`` (default ``max(X)``) columns."""
    n = int(MaxLenTensor.reshape([]).item()) if MaxLenTensor is not None else maxlen
    if n < 0:
        n = int(X.max().item())
    cols = torch.arange(n, device=X.device)
    return (cols < X.unsqueeze(-1)).to(torch_dtype_of_vartype(out_dtype))
