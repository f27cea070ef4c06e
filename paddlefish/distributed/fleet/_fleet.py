"""``paddle.distributed.fleet`` in collective mode: data parallel training as Paddle 2.x scripts
write it (``fleet.init(is_collective=True)``, ``fleet.distributed_model``,
``fleet.distributed_optimizer``), on paddlefish's process groups and ``DataParallel``.

NOTE [fleet collective]: ``init`` joins the process group (``init_parallel_env``);
``distributed_model`` wraps the layer in ``DataParallel`` with the strategy's bucket sizes and
``find_unused_parameters`` (one process: the layer itself, as Paddle); ``distributed_optimizer``
returns the optimizer, whose ``state_dict`` is the plain optimizer's (gradients are already
averaged by ``DataParallel``). ``hybrid_configs`` with model, pipeline, sharding or sequence
degrees above 1, and the parameter-server mode (``is_collective=False``), are refused: they are
not built here.
"""

from __future__ import annotations

from .. import _group
from .._data_parallel import DataParallel
from .._env import ParallelEnv
from ._strategy import DistributedStrategy

__all__ = ["Fleet", "HybridCommunicateGroup", "fleet"]

_NOT_BUILT = ("mp_degree", "pp_degree", "sharding_degree", "sep_degree")


class HybridCommunicateGroup:
    """The communication groups of a data-parallel-only hybrid layout (every other degree 1)."""

    def __init__(self, dp_degree: int):
        self._dp = dp_degree

    def get_global_rank(self) -> int:
        return _group.get_rank()

    def get_data_parallel_rank(self) -> int:
        return _group.get_rank()

    def get_data_parallel_world_size(self) -> int:
        return self._dp

    def get_data_parallel_group(self):
        return _group.get_group(0)

    def get_data_parallel_group_src_rank(self) -> int:
        return 0

    def get_model_parallel_rank(self) -> int:
        return 0

    def get_model_parallel_world_size(self) -> int:
        return 1

    def get_pipe_parallel_rank(self) -> int:
        return 0

    def get_pipe_parallel_world_size(self) -> int:
        return 1

    def get_stage_id(self) -> int:
        return 0

    def get_sharding_parallel_rank(self) -> int:
        return 0

    def get_sharding_parallel_world_size(self) -> int:
        return 1

    def get_sep_parallel_world_size(self) -> int:
        return 1

    def get_parallel_mode(self) -> int:
        return 0  # ParallelMode.DATA_PARALLEL

    @property
    def nranks(self) -> int:
        return self._dp


class Fleet:
    """The ``fleet`` singleton (NOTE [fleet collective])."""

    def __init__(self):
        self._strategy: DistributedStrategy | None = None
        self._hcg: HybridCommunicateGroup | None = None
        self._inited = False

    def init(self, role_maker=None, is_collective=False, strategy=None, log_level="INFO"):
        if not is_collective and role_maker is None:
            raise NotImplementedError(
                "fleet.init: the parameter-server mode (is_collective=False) is not built in "
                "paddlefish; call fleet.init(is_collective=True) for collective (data parallel) "
                "training"
            )
        if strategy is not None and not isinstance(strategy, DistributedStrategy):
            raise TypeError(
                f"fleet.init: strategy must be a fleet.DistributedStrategy, got "
                f"{type(strategy).__name__}"
            )
        self._strategy = strategy or DistributedStrategy()
        hybrid = self._strategy.hybrid_configs
        big = {k: hybrid[k] for k in _NOT_BUILT if hybrid.get(k, 1) > 1}
        if big:
            raise NotImplementedError(
                f"fleet.init: hybrid parallelism {big} is not built in paddlefish (data "
                "parallel only); set those degrees to 1"
            )
        if ParallelEnv().world_size > 1:
            _group.init_parallel_env()
        n = self.worker_num()
        dp = hybrid.get("dp_degree", -1)
        if dp not in (-1, n):
            raise ValueError(
                f"fleet.init: hybrid_configs dp_degree={dp} does not match the {n} processes of "
                "this job (use -1 or the number of processes)"
            )
        self._hcg = HybridCommunicateGroup(n)
        self._inited = True

    def _need_init(self, what: str) -> None:
        if not self._inited:
            raise RuntimeError(f"fleet.{what}: call fleet.init(is_collective=True) first")

    def is_first_worker(self) -> bool:
        return self.worker_index() == 0

    def worker_index(self) -> int:
        return _group.get_rank() if _group.is_initialized() else ParallelEnv().rank

    def worker_num(self) -> int:
        return _group.get_world_size() if _group.is_initialized() else ParallelEnv().world_size

    def node_num(self) -> int:
        eps = [e for e in ParallelEnv().trainer_endpoints if e]
        return max(1, len({e.split(":")[0] for e in eps}))

    def local_rank(self) -> int:
        return ParallelEnv().device_id

    def is_worker(self) -> bool:
        return True

    def is_server(self) -> bool:
        return False

    def worker_endpoints(self, to_string=False):
        eps = ParallelEnv().trainer_endpoints
        return ",".join(eps) if to_string else eps

    def barrier_worker(self) -> None:
        if _group.is_initialized():
            _group.barrier()

    def get_hybrid_communicate_group(self) -> HybridCommunicateGroup:
        self._need_init("get_hybrid_communicate_group")
        return self._hcg

    def distributed_model(self, model):
        self._need_init("distributed_model")
        if self.worker_num() <= 1:
            return model
        s = self._strategy
        return DataParallel(
            model,
            comm_buffer_size=s.fuse_grad_size_in_MB,
            last_comm_buffer_size=s.last_comm_group_size_MB,
            find_unused_parameters=s.find_unused_parameters,
        )

    def distributed_optimizer(self, optimizer, strategy=None):
        self._need_init("distributed_optimizer")
        if strategy is not None:
            if not isinstance(strategy, DistributedStrategy):
                raise TypeError(
                    f"fleet.distributed_optimizer: strategy must be a fleet.DistributedStrategy, "
                    f"got {type(strategy).__name__}"
                )
            self._strategy = strategy
        return optimizer

    def distributed_scaler(self, scaler):
        return scaler


fleet = Fleet()
