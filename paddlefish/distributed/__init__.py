"""``paddle.distributed`` on ``torch.distributed``: process groups, collectives, ``spawn``, the
launcher (``python -m paddlefish.distributed.launch``) and ``DataParallel``.

Sharded tensors (``ProcessMesh``, ``shard_tensor``, ``reshard``) and the distributed checkpoint
(``save_state_dict`` / ``load_state_dict``) are not built yet; those names raise with the reason.
"""

from .._core.missing import module_getattr as _module_getattr
from ..io import DistributedBatchSampler as DistributedBatchSampler
from . import launch as launch
from ._collective import ReduceOp as ReduceOp
from ._collective import Task as Task
from ._collective import all_gather as all_gather
from ._collective import all_gather_object as all_gather_object
from ._collective import all_reduce as all_reduce
from ._collective import broadcast as broadcast
from ._collective import broadcast_object_list as broadcast_object_list
from ._collective import recv as recv
from ._collective import reduce as reduce
from ._collective import scatter as scatter
from ._collective import send as send
from ._data_parallel import DataParallel as DataParallel
from ._env import ParallelEnv as ParallelEnv
from ._group import Group as Group
from ._group import barrier as barrier
from ._group import destroy_process_group as destroy_process_group
from ._group import get_backend as get_backend
from ._group import get_group as get_group
from ._group import get_rank as get_rank
from ._group import get_world_size as get_world_size
from ._group import init_parallel_env as init_parallel_env
from ._group import is_available as is_available
from ._group import is_initialized as is_initialized
from ._group import new_group as new_group
from ._spawn import MultiprocessContext as MultiprocessContext
from ._spawn import spawn as spawn

__all__ = [
    "DataParallel",
    "DistributedBatchSampler",
    "Group",
    "MultiprocessContext",
    "ParallelEnv",
    "ReduceOp",
    "Task",
    "all_gather",
    "all_gather_object",
    "all_reduce",
    "barrier",
    "broadcast",
    "broadcast_object_list",
    "destroy_process_group",
    "get_backend",
    "get_group",
    "get_rank",
    "get_world_size",
    "init_parallel_env",
    "is_available",
    "is_initialized",
    "launch",
    "new_group",
    "recv",
    "reduce",
    "scatter",
    "send",
    "spawn",
]

__getattr__ = _module_getattr("paddle.distributed")
