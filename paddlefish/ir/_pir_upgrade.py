"""Upgrade a PIR program written by Paddle 3.0-3.2 (schema versions 1-3) to schema version 4.

NOTE [PIR schema versions]: ``base_code.version`` in a ``.json`` program is the number of the
newest patch file in Paddle's ``pir/serialize_deserialize/patch`` directory, not Paddle's version.
A reader newer than the file applies the patches numbered above the file's version, in order, to
the parsed JSON; we do the same on the parsed ``PirModule``, so that everything downstream (the
lift, the lowering, conversion) sees only the version-4 layout Paddle 3.3.1 writes. Observed:

| Paddle | writes | patch that brings it to the next version |
|---|---|---|
| 3.0.0 | 1 | 2: ``kthvalue.k`` i32 -> i64; ``pool2d``/``lp_pool2d`` ``strides``/``paddings``, ``pool3d`` ``kernel_size``/``strides``/``paddings`` and ``expand_as.target_shape`` arrays of i32 -> arrays of i64 |
| 3.1.0, 3.1.1 | 2 | 3: ``repeat_interleave`` and ``repeat_interleave_with_tensor_index`` gain ``output_size`` (i64, -1) |
| 3.2.0, 3.2.1, 3.2.2 | 3 | 4: f32 -> f64 for ``leaky_relu.negative_slope``, ``softplus.beta``/``threshold``, ``logit.eps``, ``pad3d.pad_value``, ``group_norm``/``add_group_norm_silu``/``group_norm_silu_xpu`` ``epsilon``, ``onednn_op.fused_softplus`` ``beta``/``threshold``/``fuse_alpha``/``fuse_beta``; ``top_p_sampling.seed`` i32 -> i64; ``*_interp.scale`` arrays of f32 -> arrays of f64; ``moe_permute`` gains ``using_ue8m0_scale``/``return_expert_indices`` (false) and ``override_buffer_size`` (i32 -1), ``moe_unpermute`` ``using_ue8m0_scale``/``using_weighted_combine`` (false) |
| 3.3.1 | 4 | |

One exception inside a version: 3.1.0 writes version 2 with ``kthvalue.k`` still i32, so the
upgrade from 2 retypes it too (retyping is idempotent; Paddle 3.3 itself accepts either). Nothing
else differs: the top level, regions, blocks, value ids, the ``p`` shorthand, types and every
other op and attribute are written identically by 3.0.0 through 3.3.1 (the fixtures in
tests/fixtures/pir/ were made with ``tools/make_pir_fixtures.py`` under each release, and the
patch files were read out of each release's ``libpaddle.so``; 3.1.0, 3.2.0 and 3.2.1 write the
fixture models byte for byte as 3.1.1 and 3.2.2 do). A float attribute widened from f32
keeps its f32-rounded value (``1e-05`` written by 3.2 reads ``9.999999747378752e-06``), as in
Paddle. Version 0 (a development build) and versions above 4 have no known layout and are refused.
"""

from __future__ import annotations

from ._pir import PirAttr, PirModule

__all__ = ["PIR_PATCHES", "PIR_VERSION", "upgrade_pir"]

PIR_VERSION = 4  # the schema version Paddle 3.3.1 writes
_I64, _F64, _I32, _B = "0.a_i64", "0.a_f64", "0.a_i32", "0.a_bool"

# version reached -> {op name: [("retype", attribute, kind) | ("add", attribute, PirAttr)]};
# "retype" of an array attribute retypes its elements
PIR_PATCHES: dict[int, dict[str, list[tuple]]] = {
    2: {
        "pd_op.kthvalue": [("retype", "k", _I64)],
        "pd_op.pool2d": [("retype", "strides", _I64), ("retype", "paddings", _I64)],
        "pd_op.lp_pool2d": [("retype", "strides", _I64), ("retype", "paddings", _I64)],
        "pd_op.pool3d": [
            ("retype", "kernel_size", _I64),
            ("retype", "strides", _I64),
            ("retype", "paddings", _I64),
        ],
        "pd_op.expand_as": [("retype", "target_shape", _I64)],
    },
    3: {
        # Paddle 3.1.0 already wrote version 2 but still with an i32 k (3.1.1 writes i64)
        "pd_op.kthvalue": [("retype", "k", _I64)],
        "pd_op.repeat_interleave": [("add", "output_size", PirAttr(_I64, -1))],
        "pd_op.repeat_interleave_with_tensor_index": [("add", "output_size", PirAttr(_I64, -1))],
    },
    4: {
        "pd_op.leaky_relu": [("retype", "negative_slope", _F64)],
        "pd_op.softplus": [("retype", "beta", _F64), ("retype", "threshold", _F64)],
        "onednn_op.fused_softplus": [
            ("retype", k, _F64) for k in ("beta", "threshold", "fuse_alpha", "fuse_beta")
        ],
        "pd_op.logit": [("retype", "eps", _F64)],
        "pd_op.pad3d": [("retype", "pad_value", _F64)],
        "pd_op.group_norm": [("retype", "epsilon", _F64)],
        "pd_op.add_group_norm_silu": [("retype", "epsilon", _F64)],
        "pd_op.group_norm_silu_xpu": [("retype", "epsilon", _F64)],
        "pd_op.top_p_sampling": [("retype", "seed", _I64)],
        **{
            f"pd_op.{m}_interp": [("retype", "scale", _F64)]
            for m in ("bicubic", "nearest", "linear", "bilinear", "trilinear")
        },
        "pd_op.moe_permute": [
            ("add", "using_ue8m0_scale", PirAttr(_B, False)),
            ("add", "return_expert_indices", PirAttr(_B, False)),
            ("add", "override_buffer_size", PirAttr(_I32, -1)),
        ],
        "pd_op.moe_unpermute": [
            ("add", "using_ue8m0_scale", PirAttr(_B, False)),
            ("add", "using_weighted_combine", PirAttr(_B, False)),
        ],
    },
}
_CAST = {_I64: int, _I32: int, _F64: float}


def _retype(attr: PirAttr, kind: str) -> PirAttr:
    if attr.kind == "0.a_array":
        return PirAttr(attr.kind, [_retype(a, kind) for a in attr.value])
    return PirAttr(kind, _CAST[kind](attr.value))


def upgrade_pir(module: PirModule) -> PirModule:
    """Bring ``module`` (schema version 1-4) to version 4 in place and return it; a module
    already at version 4 is returned unchanged. See NOTE [PIR schema versions].

    >>> from paddlefish.ir import PirAttr, PirBlock, PirModule, PirOp, PirRegion
    >>> op = PirOp("pd_op.leaky_relu", attrs={"negative_slope": PirAttr("0.a_f32", 0.5)})
    >>> m = upgrade_pir(PirModule(3, True, [PirRegion("region_0", [PirBlock("block_0", [], [op])])]))
    >>> m.version, op.attrs["negative_slope"]
    (4, PirAttr(kind='0.a_f64', value=0.5))
    """
    if not 1 <= module.version <= PIR_VERSION:
        raise ValueError(f"no upgrade from PIR schema version {module.version}")
    patches = [PIR_PATCHES[v] for v in range(module.version + 1, PIR_VERSION + 1)]
    if patches:
        for op in module.walk():
            for patch in patches:
                for action, name, arg in patch.get(op.name, ()):
                    if action == "add":
                        op.attrs.setdefault(name, arg)
                    elif name in op.attrs:
                        op.attrs[name] = _retype(op.attrs[name], arg)
    module.version = PIR_VERSION
    return module
