"""``fleet.DistributedStrategy``: Paddle's switches and their ``*_configs`` dicts, with Paddle
2.6's defaults. paddlefish's collective training acts on ``fuse_grad_size_in_MB``,
``last_comm_group_size_MB``, ``find_unused_parameters`` and ``hybrid_configs`` (data parallel
only); the rest are recorded so that scripts which set them run (NOTE [fleet collective])."""

from __future__ import annotations

import copy

__all__ = ["DistributedStrategy"]

_FLAGS = {
    "a_sync": True,
    "adam_d2sum": False,
    "adaptive_localsgd": False,
    "amp": False,
    "asp": False,
    "auto": False,
    "auto_search": False,
    "conv_workspace_size_limit": 512,
    "cudnn_batchnorm_spatial_persistent": False,
    "cudnn_exhaustive_search": False,
    "dgc": False,
    "elastic": False,
    "find_unused_parameters": False,
    "fp16_allreduce": False,
    "fuse_all_reduce_ops": True,
    "fuse_grad_merge": False,
    "fuse_grad_size_in_MB": 32,
    "fuse_grad_size_in_num": 8,
    "gradient_merge": False,
    "heter_ccl_mode": False,
    "hierarchical_allreduce_inter_nranks": 1,
    "is_fl_ps_mode": False,
    "is_with_coordinator": False,
    "lamb": False,
    "lars": False,
    "last_comm_group_size_MB": 1.0,
    "localsgd": False,
    "nccl_comm_num": 1,
    "pipeline": False,
    "qat": False,
    "recompute": False,
    "semi_auto": False,
    "sharding": False,
    "split_data": True,
    "sync_batch_norm": False,
    "sync_nccl_allreduce": True,
    "tensor_parallel": False,
    "use_hierarchical_allreduce": False,
    "without_graph_optimization": True,
}

_CONFIGS = {
    "amp_configs": {
        "init_loss_scaling": 32768.0,
        "incr_every_n_steps": 1000,
        "decr_every_n_nan_or_inf": 2,
        "incr_ratio": 2.0,
        "decr_ratio": 0.8,
        "use_dynamic_loss_scaling": True,
        "custom_white_list": [],
        "custom_black_list": [],
        "custom_black_varnames": [],
        "use_pure_fp16": False,
        "use_fp16_guard": True,
        "use_optimizer_fp16": False,
        "use_pure_bf16": False,
        "use_bf16_guard": False,
    },
    "recompute_configs": {"checkpoints": [], "enable_offload": False, "checkpoint_shape": []},
    "sharding_configs": {
        "sharding_segment_strategy": "segment_broadcast_MB",
        "segment_broadcast_MB": 32.0,
        "segment_anchors": [],
        "sharding_degree": 8,
        "mp_degree": 1,
        "dp_degree": 1,
        "hybrid_dp": False,
        "gradient_merge_acc_step": 1,
        "optimize_offload": False,
        "pp_allreduce_in_optimize": False,
        "pp_degree": 1,
        "optimize_cast": False,
        "stage": 1,
        "enable_tuning": False,
    },
    "pipeline_configs": {
        "micro_batch_size": 1,
        "accumulate_steps": 1,
        "schedule_mode": "1F1B",
        "p2p_cache_shape": True,
        "enable_partial_send_recv": True,
    },
    "hybrid_configs": {
        "dp_degree": -1,
        "mp_degree": 1,
        "pp_degree": 1,
        "sharding_degree": 1,
        "sep_degree": 1,
        "order": ["dp", "pp", "sharding", "sep", "mp"],
    },
    "gradient_merge_configs": {"k_steps": 1, "avg": True},
    "localsgd_configs": {"k_steps": 1, "begin_step": 1},
    "adaptive_localsgd_configs": {"init_k_steps": 1, "begin_step": 1},
    "dgc_configs": {"rampup_begin_step": 0, "rampup_step": 1, "sparsity": [0.999]},
    "lamb_configs": {"lamb_weight_decay": 0.01, "exclude_from_weight_decay": []},
    "lars_configs": {
        "lars_coeff": 0.001,
        "lars_weight_decay": 0.0005,
        "epsilon": 0.0,
        "exclude_from_weight_decay": [],
    },
    "tensor_parallel_configs": {"tensor_parallel_degree": 1, "tensor_init_seed": -1},
    "qat_configs": {
        "channel_wise_abs_max": True,
        "weight_bits": 8,
        "activation_bits": 8,
        "not_quant_pattern": [],
        "algo": "",
    },
    "asp_configs": {},
}


class DistributedStrategy:
    """Settings for ``fleet.init`` / ``distributed_model`` / ``distributed_optimizer``.

    >>> from paddlefish.distributed import fleet
    >>> s = fleet.DistributedStrategy()
    >>> s.hybrid_configs = {"dp_degree": 2}
    >>> s.hybrid_configs["dp_degree"], s.hybrid_configs["mp_degree"], s.fuse_grad_size_in_MB
    (2, 1, 32)
    """

    def __init__(self):
        object.__setattr__(self, "_values", dict(_FLAGS))
        object.__setattr__(self, "_configs", copy.deepcopy(_CONFIGS))

    def __getattr__(self, name):
        if name in self._values:
            return self._values[name]
        if name in self._configs:
            return self._configs[name]
        raise AttributeError(f"DistributedStrategy has no setting {name!r}")

    def __setattr__(self, name, value):
        if name in self._values:
            want = type(_FLAGS[name])
            if want is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if want is int and isinstance(value, bool) or not isinstance(value, want):
                raise TypeError(
                    f"DistributedStrategy.{name} takes a {want.__name__}, got "
                    f"{type(value).__name__} ({value!r})"
                )
            self._values[name] = value
        elif name in self._configs:
            if not isinstance(value, dict):
                raise TypeError(
                    f"DistributedStrategy.{name} takes a dict, got {type(value).__name__}"
                )
            known = self._configs[name]
            bad = [k for k in value if known and k not in known]
            if bad:
                raise ValueError(
                    f"DistributedStrategy.{name}: unknown keys {bad}; the keys are {sorted(known)}"
                )
            known.update(copy.deepcopy(value))
        else:
            raise AttributeError(f"DistributedStrategy has no setting {name!r}")

    def __repr__(self) -> str:
        on = [k for k, v in self._values.items() if v is True]
        return (
            f"DistributedStrategy(enabled={on}, hybrid_configs={self._configs['hybrid_configs']})"
        )
