"""``paddle.distributed.fleet``: collective (data parallel) training (NOTE [fleet collective]).

>>> from paddlefish.distributed import fleet
>>> fleet.init(is_collective=True)
>>> fleet.worker_num(), fleet.worker_index(), fleet.is_first_worker()
(1, 0, True)
"""

from ..._core.missing import module_getattr
from ._fleet import Fleet as Fleet
from ._fleet import HybridCommunicateGroup as HybridCommunicateGroup
from ._fleet import fleet as fleet
from ._strategy import DistributedStrategy as DistributedStrategy

init = fleet.init
is_first_worker = fleet.is_first_worker
worker_index = fleet.worker_index
worker_num = fleet.worker_num
node_num = fleet.node_num
local_rank = fleet.local_rank
is_worker = fleet.is_worker
is_server = fleet.is_server
worker_endpoints = fleet.worker_endpoints
barrier_worker = fleet.barrier_worker
get_hybrid_communicate_group = fleet.get_hybrid_communicate_group
distributed_model = fleet.distributed_model
distributed_optimizer = fleet.distributed_optimizer
distributed_scaler = fleet.distributed_scaler

__all__ = [
    "DistributedStrategy",
    "Fleet",
    "HybridCommunicateGroup",
    "barrier_worker",
    "distributed_model",
    "distributed_optimizer",
    "distributed_scaler",
    "get_hybrid_communicate_group",
    "init",
    "is_first_worker",
    "is_server",
    "is_worker",
    "local_rank",
    "node_num",
    "worker_endpoints",
    "worker_index",
    "worker_num",
]

__getattr__ = module_getattr(
    "paddle.distributed.fleet",
    {
        "meta_parallel": "tensor and pipeline parallelism (ColumnParallelLinear, "
        "RowParallelLinear, PipelineLayer, ...) are not built in paddlefish; fleet runs data "
        "parallel training",
        "utils": "fleet.utils (recompute, hybrid_parallel_util) is not built in paddlefish",
    },
)
