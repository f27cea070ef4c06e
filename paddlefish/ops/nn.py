"""Neural-network ops: conv, pool, normalization, dropout, softmax, embedding, losses,
activations (Paddle legacy names and attributes)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._registry import AttrType, op

_EXTRA_CONV = ("use_cudnn", "use_mkldnn", "use_onednn", "fuse_relu_before_depthwise_conv",
               "use_quantizer", "mkldnn_data_type", "onednn_data_type", "exhaustive_search",
               "workspace_size_MB", "is_test")


def _pads(paddings, nd):
    """Paddle paddings (len nd, or 2*nd as [before0, after0, before1, after1...]) -> torch
    symmetric padding or an explicit F.pad list."""
    p = list(paddings)
    if len(p) == nd:
        return p, None
    if len(p) == 2 * nd:
        befores, afters = p[0::2], p[1::2]
        if befores == afters:
            return befores, None
        pad = []
        for b, a in reversed(list(zip(befores, afters))):
            pad += [b, a]
        return [0] * nd, pad
    raise ValueError(f"paddings {paddings} must have {nd} or {2 * nd} entries")


def _same_pads(x_shape, ksize, strides, dilations):
    pads = []
    for n, k, s, d in zip(x_shape, ksize, strides, dilations):
        out = -(-n // s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - n)
        pads += [total // 2, total - total // 2]
    return pads


def _conv(X, W, strides, paddings, padding_algorithm, groups, dilations, data_format, nd, fn,
          bias=None):
    cl = data_format in ("NHWC", "NDHWC", "NLC")
    if cl:
        X = X.movedim(-1, 1)
    if padding_algorithm == "VALID":
        paddings = [0] * nd
    elif padding_algorithm == "SAME":
        paddings = _same_pads(X.shape[2:], W.shape[2:], strides, dilations)
    if X.is_meta:
        out = _conv_meta(X, W, strides, paddings, groups, dilations, nd)
        return out.movedim(1, -1) if cl else out
    sym, pad = _pads(paddings, nd)
    if pad is not None:
        X = F.pad(X, pad)
    out = fn(X, W, bias, list(strides), sym, list(dilations), groups)
    return out.movedim(1, -1) if cl else out


def _conv_meta(X, W, strides, paddings, groups, dilations, nd):
    """The output of a (channel-first) convolution on meta tensors, computed here: torch's meta
    conv calls torch._check, whose first use imports sympy (NOTE [meta batch_norm])."""
    p = list(paddings)
    before, after = (p, p) if len(p) == nd else (p[0::2], p[1::2])
    if X.dim() != nd + 2 or X.shape[1] != W.shape[1] * groups:
        raise ValueError(
            f"conv: input {list(X.shape)} does not match filter {list(W.shape)} with groups="
            f"{groups} (expected {W.shape[1] * groups} input channels)"
        )
    spatial = []
    for i in range(nd):
        n = X.shape[2 + i] + before[i] + after[i]
        size = (n - dilations[i] * (W.shape[2 + i] - 1) - 1) // strides[i] + 1
        if size <= 0:
            raise ValueError(
                f"conv: the kernel {list(W.shape[2:])} (dilation {list(dilations)}) is larger "
                f"than the padded input {list(X.shape[2:])} on spatial axis {i}"
            )
        spatial.append(size)
    return torch.empty([X.shape[0], W.shape[0], *spatial], dtype=X.dtype, device="meta")


def _declare_conv(name, pir, nd, fn):
    # NOTE [conv bias]: Paddle's conv ops declare an optional ``Bias`` input (used by oneDNN
    # fusion); eager paddlefish passes the layer bias through it so torch fuses the add, while
    # recording writes Paddle's usual ``reshape2`` + ``elementwise_add`` and no Bias slot.
    @op(name, pir=pir, outputs=("Output",), extra_attrs=_EXTRA_CONV, quiet_inputs=("Bias",))
    def kernel(Input, Filter, Bias=None, *, strides=[1] * nd, paddings=[0] * nd,
               padding_algorithm="EXPLICIT", groups=1, dilations=[1] * nd,
               data_format="NCHW" if nd == 2 else ("NCDHW" if nd == 3 else "NCL")):
        return _conv(Input, Filter, strides, paddings, padding_algorithm, groups, dilations,
                     data_format, nd, fn, Bias)

    kernel.__name__ = name
    return kernel


_declare_conv("conv2d", "pd_op.conv2d", 2, F.conv2d)
_declare_conv("depthwise_conv2d", "pd_op.depthwise_conv2d", 2, F.conv2d)
_declare_conv("conv3d", "pd_op.conv3d", 3, F.conv3d)


def _conv_t_pads(paddings, padding_algorithm, in_sizes, ksize, strides, dilations):
    """``(before, after, dilations)`` per spatial axis, as Paddle's UpdatePaddingAndDilation.

    NOTE [conv transpose SAME]: for a transposed conv Paddle computes SAME padding exactly as for
    a forward conv over the *input* sizes (out = ceil(in / stride), pad = max((out - 1) * stride
    + k - in, 0), split with the odd one after) and resets the dilations to 1; VALID zeroes the
    paddings. The output size is then the usual (in - 1) * stride - before - after + (k - 1) *
    dilation + 1, unless output_padding or output_size is given.
    """
    nd = len(in_sizes)
    p = list(paddings)
    if len(p) == nd:
        p = [v for v in p for _ in range(2)]
    elif len(p) != 2 * nd:
        raise ValueError(f"conv transpose: paddings {paddings} must have {nd} or {2 * nd} entries")
    dil = list(dilations)
    if padding_algorithm == "SAME":
        p, dil = [], [1] * nd
        for n, k, st in zip(in_sizes, ksize, strides):
            total = max((-(-n // st) - 1) * st + k - n, 0)
            p += [total // 2, total - total // 2]
    elif padding_algorithm == "VALID":
        p = [0] * (2 * nd)
    return p[0::2], p[1::2], dil


def _conv_t_sizes(name, in_sizes, ksize, strides, before, after, dil, output_padding, output_size):
    """Output spatial sizes of a transposed conv (Paddle's ConvTransposeInferMeta)."""
    sizes = []
    for i, n in enumerate(in_sizes):
        size = (n - 1) * strides[i] - before[i] - after[i] + dil[i] * (ksize[i] - 1) + 1
        if output_size:
            if not size <= output_size[i] < size + strides[i]:
                raise ValueError(
                    f"{name}: output_size[{i}] = {output_size[i]} must be in "
                    f"[{size}, {size + strides[i]}) for input size {n}, stride {strides[i]}, "
                    f"paddings ({before[i]}, {after[i]}); pick a size in that range"
                )
            size = output_size[i]
        elif output_padding:
            size += output_padding[i]
        sizes.append(size)
    return sizes


def _declare_conv_t(name, pir, nd, fn):
    @op(name, pir=pir, outputs=("Output",), extra_attrs=_EXTRA_CONV,
        attr_types={"output_size": AttrType.INTS, "output_padding": AttrType.INTS})
    def kernel(Input, Filter, *, strides=[1] * nd, paddings=[0] * nd, output_padding=[],
               output_size=[], padding_algorithm="EXPLICIT", groups=1, dilations=[1] * nd,
               data_format="NCHW" if nd == 2 else "NCDHW"):
        cl = data_format in ("NHWC", "NDHWC")
        x = Input.movedim(-1, 1) if cl else Input
        in_sizes, ksize = list(x.shape[2:]), list(Filter.shape[2:])
        before, after, dil = _conv_t_pads(paddings, padding_algorithm, in_sizes, ksize, strides,
                                          dilations)
        sizes = _conv_t_sizes(name, in_sizes, ksize, strides, before, after, dil,
                              output_padding, output_size)
        if x.is_meta:
            out = torch.empty([x.shape[0], Filter.shape[1] * groups, *sizes], dtype=x.dtype,
                              device="meta")
        else:
            out = _conv_t_run(fn, x, Filter, strides, before, sizes, groups, dil)
        return out.movedim(1, -1) if cl else out

    kernel.__name__ = name
    return kernel


def _conv_t_run(fn, x, w, strides, before, sizes, groups, dil):
    """The transposed conv cropped to ``sizes`` starting at ``before`` on each axis: torch's own
    padding when it can express that (before, plus an output_padding below its limit), else the
    unpadded result cropped (or zero-extended) with F.pad."""
    full = [(n - 1) * s + d * (k - 1) + 1
            for n, s, d, k in zip(x.shape[2:], strides, dil, w.shape[2:])]
    extra = [size - (f - 2 * b) for size, f, b in zip(sizes, full, before)]
    if all(0 <= e < max(s, d) for e, s, d in zip(extra, strides, dil)):
        return fn(x, w, None, list(strides), list(before), extra, groups, list(dil))
    out = fn(x, w, None, list(strides), [0] * len(sizes), [0] * len(sizes), groups, list(dil))
    pad = []
    for f, b, size in reversed(list(zip(full, before, sizes))):
        pad += [-b, size + b - f]
    return F.pad(out, pad)


_declare_conv_t("conv2d_transpose", "pd_op.conv2d_transpose", 2, F.conv_transpose2d)
_declare_conv_t("depthwise_conv2d_transpose", "pd_op.depthwise_conv2d_transpose", 2,
                F.conv_transpose2d)
_declare_conv_t("conv3d_transpose", "pd_op.conv3d_transpose", 3, F.conv_transpose3d)


def _pool_meta(x, ksize, strides, sym, pad, ceil_mode, cl):
    """pool2d's output on meta tensors with torch's size rule (incl. ceil_mode)."""
    sizes = []
    for i in range(2):
        n = x.shape[2 + i] + (0 if pad is None else pad[2 - 2 * i] + pad[3 - 2 * i])
        p, k, st = sym[i], int(ksize[i]), int(strides[i])
        o = (n + 2 * p - k + (st - 1 if ceil_mode else 0)) // st + 1
        if ceil_mode and (o - 1) * st >= n + p:
            o -= 1
        if o <= 0:
            raise ValueError(f"pool2d: kernel {list(ksize)} is larger than the padded input "
                             f"{list(x.shape[2:])}")
        sizes.append(o)
    out = torch.empty([x.shape[0], x.shape[1], *sizes], dtype=x.dtype, device="meta")
    return out.movedim(1, -1) if cl else out


@op("pool2d", pir="pd_op.pool2d", extra_attrs=("use_cudnn", "use_mkldnn", "use_onednn",
                                                "use_quantizer", "mkldnn_data_type",
                                                "onednn_data_type", "is_test"))
def pool2d(X, *, pooling_type="max", ksize=[1, 1], global_pooling=False, strides=[1, 1],
           paddings=[0, 0], exclusive=True, adaptive=False, ceil_mode=False,
           data_format="NCHW", padding_algorithm="EXPLICIT"):
    cl = data_format == "NHWC"
    x = X.movedim(-1, 1) if cl else X
    if global_pooling:
        out = x.amax((2, 3), keepdim=True) if pooling_type == "max" else x.mean((2, 3), True)
    elif adaptive and x.is_meta:  # recording: the output is [N, C, *ksize] (NOTE [meta batch_norm])
        out = torch.empty(list(x.shape[:2]) + [int(k) for k in ksize], dtype=x.dtype,
                          device="meta")
    elif adaptive:
        fn = F.adaptive_max_pool2d if pooling_type == "max" else F.adaptive_avg_pool2d
        out = fn(x, list(ksize))
    else:
        if padding_algorithm == "VALID":
            paddings = [0, 0]
        elif padding_algorithm == "SAME":
            paddings = _same_pads(x.shape[2:], ksize, strides, [1, 1])
        sym, pad = _pads(paddings, 2)
        if x.is_meta:  # recording: torch's meta pooling imports sympy (NOTE [meta batch_norm])
            return _pool_meta(x, ksize, strides, sym, pad, ceil_mode, cl)
        if pad is not None:
            x = F.pad(x, pad, value=float("-inf") if pooling_type == "max" else 0.0)
        if pooling_type == "max":
            out = F.max_pool2d(x, list(ksize), list(strides), sym, ceil_mode=ceil_mode)
        else:
            out = F.avg_pool2d(x, list(ksize), list(strides), sym, ceil_mode=ceil_mode,
                               count_include_pad=not exclusive)
    return out.movedim(1, -1) if cl else out


@op("batch_norm", pir="pd_op.batch_norm",
    outputs=("Y", "MeanOut", "VarianceOut", "SavedMean", "SavedVariance", "ReserveSpace?"),
    extra_attrs=("use_mkldnn", "use_onednn", "fuse_with_relu"))
def batch_norm(X, Scale, Bias, Mean, Variance, MomentumTensor=None, *, momentum=0.9,
               epsilon=1e-5, data_layout="NCHW", is_test=False, use_global_stats=False,
               trainable_statistics=False):
    # NOTE [batch_norm momentum]: Paddle's running stats are
    # ``running = running * momentum + batch * (1 - momentum)`` (torch's momentum is 1 - this),
    # and MeanOut/VarianceOut are the same variables as Mean/Variance (updated in place).
    # NOTE [batch_norm variance]: the running variance is updated with the *biased* batch
    # variance (divided by N, not N - 1), unlike torch; checked against Paddle 2.6 and 3.3.
    cl = data_layout in ("NHWC", "NLC", "NDHWC") and X.dim() > 2
    if X.is_meta:
        # NOTE [meta batch_norm]: recording only needs shapes, and torch's meta batch_norm runs
        # a Python decomposition that imports torch._dynamo on first use (seconds, the bulk of a
        # first jit.save); every output's shape is known without it.
        c = X.shape[-1] if cl else X.shape[1] if X.dim() > 1 else X.shape[0]
        stat = torch.empty([c], dtype=Mean.dtype, device="meta")
        y = torch.empty(X.shape, dtype=X.dtype, device="meta")  # not empty_like: _refs
        return y, Mean, Variance, stat, stat.clone(), None
    x = X.movedim(-1, 1) if cl else X
    m = float(MomentumTensor.item()) if MomentumTensor is not None else momentum
    use_running = (is_test and not trainable_statistics) or use_global_stats
    if use_running:
        y = F.batch_norm(x, Mean, Variance, Scale, Bias, False, 0.0, epsilon)
        # distinct tensors: SavedMean/SavedVariance are their own variables in a program
        saved_mean, saved_var = torch.empty_like(Mean), torch.empty_like(Variance)
    else:
        dims = [0] + list(range(2, x.dim()))
        var, mean = torch.var_mean(x, dims, correction=0)
        y = F.batch_norm(x, None, None, Scale, Bias, True, 0.0, epsilon)
        with torch.no_grad():
            Mean.mul_(m).add_(mean.detach().to(Mean.dtype), alpha=1.0 - m)
            Variance.mul_(m).add_(var.detach().to(Variance.dtype), alpha=1.0 - m)
        saved_mean, saved_var = mean, torch.rsqrt(var + epsilon)
    if cl:
        y = y.movedim(1, -1)
    return y, Mean, Variance, saved_mean, saved_var, None


@op("layer_norm", pir="pd_op.layer_norm", outputs=("Y", "Mean?", "Variance?"))
def layer_norm(X, Scale=None, Bias=None, *, epsilon=1e-5, begin_norm_axis=1):
    shape = list(X.shape[begin_norm_axis:])
    w = Scale.reshape(shape) if Scale is not None else None
    b = Bias.reshape(shape) if Bias is not None else None
    y = F.layer_norm(X, shape, w, b, epsilon)
    if X.is_meta:  # recording: Paddle's layer_norm kernel requires its Mean/Variance outputs
        n = 1
        for d in X.shape[:begin_norm_axis]:
            n *= d
        return y, X.new_empty([n]), X.new_empty([n])
    return y, None, None


@op("group_norm", pir="pd_op.group_norm", outputs=("Y", "Mean?", "Variance?"))
def group_norm(X, Scale=None, Bias=None, *, epsilon=1e-5, groups=1, data_layout="NCHW"):
    cl = data_layout == "NHWC"
    x = X.movedim(-1, 1) if cl else X
    y = F.group_norm(x, groups, Scale, Bias, epsilon)
    if X.is_meta:  # recording: Paddle's group_norm kernel requires its Mean/Variance outputs
        return (y.movedim(1, -1) if cl else y), X.new_empty([X.shape[0], groups]), \
            X.new_empty([X.shape[0], groups])
    return (y.movedim(1, -1) if cl else y), None, None


@op("instance_norm", pir="pd_op.instance_norm", outputs=("Y", "SavedMean?", "SavedVariance?"))
def instance_norm(X, Scale=None, Bias=None, *, epsilon=1e-5):
    y = F.instance_norm(X, None, None, Scale, Bias, True, 0.0, epsilon)
    if X.is_meta:  # recording: Paddle's instance_norm kernel writes SavedMean/SavedVariance
        n = X.shape[0] * X.shape[1]
        return y, X.new_empty([n]), X.new_empty([n])
    return y, None, None


@op("dropout", pir="pd_op.dropout", outputs=("Out", "Mask?"), extra_outputs=("Mask",),
    extra_attrs=("fix_seed", "seed"))
def dropout(X, Seed=None, *, dropout_prob=0.5, is_test=False,
            dropout_implementation="downgrade_in_infer", seed=0, fix_seed=False):
    p = dropout_prob
    upscale = dropout_implementation == "upscale_in_train"
    if is_test or p == 0.0:
        return (X if upscale else X * (1.0 - p)), None
    if p == 1.0:
        return X * 0.0, None
    mask = torch.empty_like(X).bernoulli_(1.0 - p)
    out = X * mask / (1.0 - p) if upscale else X * mask
    return out, mask.to(torch.uint8)


@op("softmax", pir="pd_op.softmax", extra_attrs=("use_cudnn", "use_mkldnn", "use_onednn",
                                                  "data_format", "is_test"))
def softmax(X, *, axis=-1):
    return torch.softmax(X, axis)


@op("log_softmax", pir="pd_op.log_softmax")
def log_softmax(X, *, axis=-1):
    return torch.log_softmax(X, axis)


@op("lookup_table_v2", pir="pd_op.embedding", attr_types={"padding_idx": AttrType.LONG},
    extra_attrs=("is_sparse", "is_distributed", "remote_prefetch", "entry_config",
                 "table_names", "entry"))
def lookup_table_v2(W, Ids, *, padding_idx=-1, is_sparse=False):
    # NOTE [embedding padding_idx]: Paddle writes zeros for ids equal to padding_idx whatever
    # the weight row holds (torch would return the row), and gives that row no gradient.
    ids = Ids.long()
    out = F.embedding(ids, W, padding_idx=None if padding_idx == -1 else padding_idx)
    if padding_idx != -1:
        out = out * (ids != padding_idx).unsqueeze(-1).to(out.dtype)
    return out


@op("softmax_with_cross_entropy", pir="pd_op.cross_entropy_with_softmax",
    outputs=("Softmax", "Loss"))
def softmax_with_cross_entropy(Logits, Label, *, soft_label=False, use_softmax=True,
                               numeric_stable_mode=True, ignore_index=-100, axis=-1):
    axis = axis % Logits.dim()
    logp = torch.log_softmax(Logits, axis) if use_softmax else torch.log(Logits)
    sm = logp.exp() if use_softmax else Logits
    if soft_label:  # soft labels get no gradient, as Paddle (NOTE [labels get no gradient])
        loss = -(Label.detach() * logp).sum(axis, keepdim=True)
    else:
        lab = Label.long()
        if lab.dim() == Logits.dim():
            lab = lab.squeeze(axis)
        valid = lab != ignore_index
        safe = torch.where(valid, lab, torch.zeros_like(lab))
        picked = logp.gather(axis, safe.unsqueeze(axis))
        loss = -picked * valid.unsqueeze(axis).to(logp.dtype)
    return sm, loss


@op("relu6", pir="pd_op.relu6")
def relu6(X, *, threshold=6.0):
    return torch.clamp(X, 0.0, threshold)


@op("leaky_relu", pir="pd_op.leaky_relu")
def leaky_relu(X, *, alpha=0.02):
    return F.leaky_relu(X, alpha)


@op("elu", pir="pd_op.elu")
def elu(X, *, alpha=1.0):
    return F.elu(X, alpha)


@op("selu", pir="pd_op.selu")
def selu(X, *, scale=1.0507009873554805, alpha=1.6732632423543772):
    return scale * torch.where(X > 0, X, alpha * (torch.exp(X) - 1))


@op("gelu", pir="pd_op.gelu", extra_attrs=("use_mkldnn", "use_onednn", "use_cudnn"))
def gelu(X, *, approximate=False):
    return F.gelu(X, approximate="tanh" if approximate else "none")


@op("hard_swish", pir="pd_op.hardswish")
def hard_swish(X, *, threshold=6.0, scale=6.0, offset=3.0):
    if threshold == 6.0 and scale == 6.0 and offset == 3.0:
        return F.hardswish(X)
    return X * torch.clamp(X + offset, 0.0, threshold) / scale


@op("hard_sigmoid", pir="pd_op.hardsigmoid")
def hard_sigmoid(X, *, slope=0.2, offset=0.5):
    return torch.clamp(X * slope + offset, 0.0, 1.0)


@op("swish", pir="pd_op.swish")
def swish(X, *, beta=1.0):
    return X * torch.sigmoid(beta * X)


@op("silu", pir="pd_op.silu")
def silu(X):
    return F.silu(X)


@op("mish", pir="pd_op.mish")
def mish(X, *, threshold=20.0):
    sp = torch.where(X > threshold, X, F.softplus(X))
    return X * torch.tanh(sp)


@op("softplus", pir="pd_op.softplus")
def softplus(X, *, beta=1.0, threshold=20.0):
    return F.softplus(X, beta, threshold)


@op("softsign", pir="pd_op.softsign")
def softsign(X):
    return F.softsign(X)


@op("tanh_shrink", pir="pd_op.tanh_shrink")
def tanh_shrink(X):
    return X - torch.tanh(X)


@op("prelu", pir="pd_op.prelu")
def prelu(X, Alpha, *, mode="all", data_format="NCHW"):
    if mode == "all":
        a = Alpha.reshape([])
    elif mode == "channel":
        shape = [1] * X.dim()
        shape[1 if data_format.startswith("NC") else -1] = -1
        a = Alpha.reshape(shape)
    else:
        a = Alpha.reshape([1] + list(X.shape[1:]))
    return torch.where(X > 0, X, a * X)


@op("p_norm", pir="pd_op.p_norm")
def p_norm(X, *, porder=2.0, axis=-1, epsilon=1e-12, keepdim=False, asvector=False):
    if asvector:
        return torch.linalg.vector_norm(X.flatten(), porder)
    return torch.linalg.vector_norm(X, porder, dim=axis, keepdim=keepdim)

__all__ = [
    "batch_norm",
    "dropout",
    "elu",
    "gelu",
    "group_norm",
    "hard_sigmoid",
    "hard_swish",
    "instance_norm",
    "layer_norm",
    "leaky_relu",
    "log_softmax",
    "lookup_table_v2",
    "mish",
    "p_norm",
    "pool2d",
    "prelu",
    "relu6",
    "selu",
    "silu",
    "softmax",
    "softmax_with_cross_entropy",
    "softplus",
    "softsign",
    "swish",
    "tanh_shrink",
]
