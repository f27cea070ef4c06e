"""Legacy (Paddle 1.x / static-graph) ops: the op types that ``fluid`` layers and Paddle 2.x's
``paddle.static.nn`` still write, and that 2.x dynamic-graph export replaced by ``*_v2`` / ``*2``
versions (``mul`` -> ``matmul_v2``, ``lookup_table`` -> ``lookup_table_v2``, ``reshape`` ->
``reshape2`` ...). They run in the executor so that every program a 1.x ``save_inference_model``
wrote runs here; ``static.nn.fc`` records ``mul`` exactly as Paddle does.

``elementwise_*`` with ``axis`` and ``dropout`` with ``dropout_implementation`` are the 2.x
declarations (``math.py`` / ``nn.py``), which already carry the 1.x attributes.

NOTE [legacy ids shape]: 1.x ``lookup_table`` and ``one_hot`` take ids with a trailing dimension
of 1 (``[N, 1]``) and drop it: the output is ``ids.shape[:-1] + [D]``.
"""

from __future__ import annotations

import math

import torch

from ._registry import AttrType, op
from ._torch_dtype import torch_dtype_of_vartype

__all__: list[str] = []


def _flat2(t: torch.Tensor, num_col_dims: int) -> torch.Tensor:
    rows = math.prod(t.shape[:num_col_dims])
    return t.reshape(rows, -1) if t.dim() else t.reshape(1, 1)


@op("mul", pir=None, extra_attrs=("use_mkldnn", "scale_x", "scale_y", "scale_out",
                                          "force_fp32_output"))
def mul(X, Y, *, x_num_col_dims=1, y_num_col_dims=1):
    """``X`` flattened to 2-D at ``x_num_col_dims`` times ``Y`` flattened at ``y_num_col_dims``;
    the result keeps ``X.shape[:x_num_col_dims] + Y.shape[y_num_col_dims:]``."""
    if X.dim() == 2 and Y.dim() == 2 and x_num_col_dims == 1 and y_num_col_dims == 1:
        return torch.mm(X, Y)  # static.nn.fc's common case: no reshapes
    out = _flat2(X, x_num_col_dims) @ _flat2(Y, y_num_col_dims)
    return out.reshape(list(X.shape[:x_num_col_dims]) + list(Y.shape[y_num_col_dims:]))


@op("matmul", pir=None, extra_attrs=("use_mkldnn", "head_number",
                                                      "force_fp32_output"))
def matmul(X, Y, *, transpose_X=False, transpose_Y=False, alpha=1.0):
    """1.x ``matmul``: ``alpha * op(X) @ op(Y)``; a 1-D operand is never transposed."""
    x = X.transpose(-1, -2) if transpose_X and X.dim() > 1 else X
    y = Y.transpose(-1, -2) if transpose_Y and Y.dim() > 1 else Y
    out = torch.matmul(x, y)
    return out * alpha if alpha != 1.0 else out


@op("lookup_table", pir=None, extra_attrs=("is_sparse", "is_distributed",
                                                       "remote_prefetch", "entry_config",
                                                       "table_names", "entry"),
    attr_types={"padding_idx": AttrType.LONG})
def lookup_table(W, Ids, *, padding_idx=-1, is_sparse=False):
    """See NOTE [legacy ids shape]; rows equal to ``padding_idx`` (unless -1) are zeros."""
    ids = Ids.reshape(Ids.shape[:-1]) if Ids.dim() > 1 and Ids.shape[-1] == 1 else Ids
    out = torch.nn.functional.embedding(ids.long(), W)
    if padding_idx != -1:
        pad = padding_idx if padding_idx >= 0 else W.shape[0] + padding_idx
        out = out * (ids != pad).unsqueeze(-1).to(out.dtype)
    return out


def _legacy_shape(x: torch.Tensor, shape) -> list[int]:
    return [x.shape[i] if d == 0 else int(d) for i, d in enumerate(shape)]


@op("reshape", pir=None, extra_attrs=("use_mkldnn",))
def reshape(X, Shape=None, *, shape=[]):
    """1.x ``reshape`` (no ``XShape``): 0 copies the input dim, -1 is inferred."""
    target = [int(v) for v in Shape.tolist()] if Shape is not None else list(shape)
    return X.reshape(_legacy_shape(X, target))


@op("transpose", pir=None, extra_attrs=("use_mkldnn", "data_format"))
def transpose(X, *, axis=[]):
    return X.permute(*axis)


@op("squeeze", pir=None)
def squeeze(X, *, axes=[]):
    dims = [a % X.dim() for a in axes] if axes else [i for i, d in enumerate(X.shape) if d == 1]
    keep = [d for i, d in enumerate(X.shape) if not (i in dims and d == 1)]
    return X.reshape(keep)


@op("unsqueeze", pir=None)
def unsqueeze(X, *, axes=[]):
    out = X
    for a in axes:
        out = out.unsqueeze(a if a >= 0 else a + out.dim() + 1)
    return out


def _flatten2d(X, axis):
    return X.reshape(math.prod(X.shape[:axis]), math.prod(X.shape[axis:]))


@op("flatten", pir=None)
def flatten(X, *, axis=1):
    """1.x ``flatten``: a 2-D result, ``[prod(shape[:axis]), prod(shape[axis:])]``."""
    return _flatten2d(X, axis)


@op("flatten2", pir=None, outputs=("Out", "XShape?"), extra_outputs=("XShape",))
def flatten2(X, *, axis=1):
    return _flatten2d(X, axis), None


@op("top_k", pir=None, outputs=("Out", "Indices"))
def top_k(X, K=None, *, k=1):
    kk = int(K.reshape(-1)[0]) if K is not None else k
    values, indices = torch.topk(X, kk, dim=-1)
    return values, indices


@op("cross_entropy", pir=None, outputs=("Y",))
def cross_entropy(X, Label, *, soft_label=False, ignore_index=-100):
    """1.x ``cross_entropy`` over probabilities ``X``: ``-log(X[label])``, shape ``[..., 1]``."""
    if soft_label:
        return -(Label * torch.log(X)).sum(-1, keepdim=True)
    lbl = Label.long()
    lbl = lbl if lbl.dim() == X.dim() else lbl.unsqueeze(-1)
    picked = torch.gather(X, -1, lbl.clamp(min=0))
    return torch.where(lbl == ignore_index, torch.zeros_like(picked), -torch.log(picked))


@op("cross_entropy2", pir=None, outputs=("Y", "XShape?", "MatchX?"),
    extra_outputs=("XShape", "MatchX"))
def cross_entropy2(X, Label, *, ignore_index=-100):
    lbl = Label.long()
    lbl = lbl if lbl.dim() == X.dim() else lbl.unsqueeze(-1)
    match = torch.gather(X, -1, lbl.clamp(min=0))
    y = torch.where(lbl == ignore_index, torch.zeros_like(match), -torch.log(match))
    return y, None, match


@op("accuracy", pir=None, outputs=("Accuracy", "Correct", "Total"))
def accuracy(Out, Indices, Label):
    """Top-k accuracy: a row is correct when any of its ``Indices`` equals its label."""
    lbl = Label.reshape(-1, 1).to(Indices.dtype)
    correct = (Indices == lbl).any(dim=1).sum().to(torch.int32)
    total = torch.tensor(Indices.shape[0], dtype=torch.int32)
    acc = correct.float() / max(Indices.shape[0], 1)
    return acc, correct, total  # 0-D, as Paddle 2.6


@op("one_hot", pir=None, attr_types={"dtype": AttrType.INT})
def one_hot(X, depth_tensor=None, *, depth=-1, dtype=5, allow_out_of_range=False):
    """See NOTE [legacy ids shape]."""
    d = int(depth_tensor.reshape(-1)[0]) if depth_tensor is not None else depth
    ids = X.reshape(X.shape[:-1]) if X.dim() > 1 and X.shape[-1] == 1 else X
    return torch.nn.functional.one_hot(ids.long(), d).to(torch_dtype_of_vartype(dtype))


@op("expand", pir=None)
def expand(X, *, expand_times=[]):
    return X.repeat(*expand_times)


@op("fill_zeros_like", pir=None)
def fill_zeros_like(X):
    return torch.zeros_like(X)


@op("fill_constant_batch_size_like", pir=None,
    attr_types={"dtype": AttrType.INT})
def fill_constant_batch_size_like(Input, *, shape=[], dtype=5, value=0.0, input_dim_idx=0,
                                  output_dim_idx=0, force_cpu=False, str_value=""):
    out_shape = list(shape)
    out_shape[output_dim_idx] = Input.shape[input_dim_idx]
    v = float(str_value) if str_value else value
    return torch.full(out_shape, v, dtype=torch_dtype_of_vartype(dtype))


@op("increment", pir=None)
def increment(X, *, step=1.0):
    return X + torch.as_tensor(step, dtype=X.dtype)


def _seeded(seed: int) -> torch.Generator | None:
    if not seed:
        return None
    g = torch.Generator()
    g.manual_seed(seed)
    return g


@op("uniform_random", pir=None, attr_types={"dtype": AttrType.INT,
                                                       "shape": AttrType.LONGS})
def uniform_random(*, shape=[], min=-1.0, max=1.0, seed=0, dtype=5, diag_num=0, diag_step=0,
                   diag_val=1.0):
    """Startup-program initialiser (Paddle's own RNG stream is not reproduced)."""
    out = torch.empty(list(shape), dtype=torch_dtype_of_vartype(dtype))
    return out.uniform_(min, max, generator=_seeded(seed))


@op("gaussian_random", pir=None, attr_types={"dtype": AttrType.INT,
                                                         "shape": AttrType.LONGS})
def gaussian_random(*, shape=[], mean=0.0, std=1.0, seed=0, dtype=5):
    """Startup-program initialiser (Paddle's own RNG stream is not reproduced)."""
    out = torch.empty(list(shape), dtype=torch_dtype_of_vartype(dtype))
    return out.normal_(mean, std, generator=_seeded(seed))


@op("truncated_gaussian_random", pir=None,
    attr_types={"dtype": AttrType.INT, "shape": AttrType.INTS})
def truncated_gaussian_random(*, shape=[], mean=0.0, std=1.0, seed=0, dtype=5, a=-2.0, b=2.0):
    out = torch.empty(list(shape), dtype=torch_dtype_of_vartype(dtype))
    return torch.nn.init.trunc_normal_(out, mean, std, mean + a * std, mean + b * std,
                                       generator=_seeded(seed))


# NOTE [obsolete ops]: op types a 1.x program may hold that no 2.x executor runs any more
# (in-program readers, parameter-server RPC). The executor refuses them with this reason instead
# of "not in the registry".
OBSOLETE_OPS = {
    "read": "an in-program data reader (fluid.layers.py_reader / open_files)",
    "create_py_reader": "an in-program data reader (fluid.layers.py_reader)",
    "create_double_buffer_reader": "an in-program data reader (fluid.layers.double_buffer)",
    "create_recordio_file_reader": "a RecordIO file reader (removed in Paddle 1.6)",
    "open_files": "an in-program file reader (removed in Paddle 1.6)",
    "listen_and_serv": "a parameter-server RPC op (distributed training)",
    "send": "a parameter-server RPC op (distributed training)",
    "recv": "a parameter-server RPC op (distributed training)",
    "send_barrier": "a parameter-server RPC op (distributed training)",
    "fetch_barrier": "a parameter-server RPC op (distributed training)",
    "distributed_lookup_table": "a parameter-server table lookup (distributed training)",
    "lookup_sparse_table": "a parameter-server table lookup (distributed training)",
}


_PRINT_COUNTS: dict[int, int] = {}  # id of a bound print kernel -> times it printed


def format_print(t: torch.Tensor, name: str | None, *, message="", summarize=20,
                 print_tensor_name=True, print_tensor_type=True, print_tensor_shape=True,
                 print_tensor_layout=True, print_tensor_lod=True) -> str:
    """Paddle's ``TensorFormatter`` text of the ``print`` op (Paddle 2.6, CPU)."""
    lines = []
    if print_tensor_name and name:
        lines.append(f"Variable: {name}")
    if message:
        lines.append(f"  - message: {message}")
    if print_tensor_lod:
        lines.append("  - lod: {}")
    lines.append("  - place: Place(cpu)")
    if print_tensor_shape:
        lines.append(f"  - shape: {list(t.shape)}")
    if print_tensor_layout:
        lines.append("  - layout: NCHW")
    if print_tensor_type:
        lines.append(f"  - dtype: {str(t.dtype).replace('torch.', '')}")
    flat = t.detach().reshape(-1)
    n = flat.numel() if summarize == -1 else min(summarize, flat.numel())
    vals = flat[:n].tolist()
    fmt = (lambda v: format(v, "g")) if t.is_floating_point() else (lambda v: str(int(v)))
    lines.append("  - data: [" + " ".join(fmt(v) for v in vals) + "]")
    return "\n".join(lines) + "\n"


@op("print", pir=None)
def print_(In, *, first_n=-1, message="", summarize=20, print_tensor_name=True,
           print_tensor_type=True, print_tensor_shape=True, print_tensor_layout=True,
           print_tensor_lod=True, print_phase="BOTH", is_forward=True):
    """``static.Print``: print ``In`` (Paddle's format, see ``format_print``; the interpreter
    binds the variable name and the ``first_n`` count per op) and pass it through."""
    if not In.is_meta:
        import sys

        sys.stdout.write(format_print(In, None, message=message, summarize=summarize,
                                      print_tensor_name=print_tensor_name,
                                      print_tensor_type=print_tensor_type,
                                      print_tensor_shape=print_tensor_shape,
                                      print_tensor_layout=print_tensor_layout,
                                      print_tensor_lod=print_tensor_lod))
    return In
