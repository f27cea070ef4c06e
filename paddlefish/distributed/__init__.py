"""``paddle.distributed`` on ``torch.distributed``: process groups, collectives, ``spawn``, the
launcher (``python -m paddlefish.distributed.launch``) and ``DataParallel``.

Sharded tensors (``ProcessMesh``, ``Shard``, ``Replicate``, ``shard_tensor``, ``reshard``) and the
distributed checkpoint (``save_state_dict`` / ``load_state_dict`` in Paddle 3.x's ``.distcp`` +
``.metadata`` layout, ``merge_checkpoint`` into one ``.pdparams``).
"""

from .._core.missing import module_getattr as _module_getattr
from ..io import DistributedBatchSampler as DistributedBatchSampler
from . import fleet as fleet
from . import launch as launch
from ._checkpoint import clear_async_save_task_queue as clear_async_save_task_queue
from ._checkpoint import load_state_dict as load_state_dict
from ._checkpoint import merge_checkpoint as merge_checkpoint
from ._checkpoint import save_state_dict as save_state_dict
from ._collective import P2POp as P2POp
from ._collective import ReduceOp as ReduceOp
from ._collective import Task as Task
from ._collective import all_gather as all_gather
from ._collective import all_gather_object as all_gather_object
from ._collective import all_reduce as all_reduce
from ._collective import alltoall as alltoall
from ._collective import alltoall_single as alltoall_single
from ._collective import batch_isend_irecv as batch_isend_irecv
from ._collective import broadcast as broadcast
from ._collective import broadcast_object_list as broadcast_object_list
from ._collective import gather as gather
from ._collective import irecv as irecv
from ._collective import isend as isend
from ._collective import recv as recv
from ._collective import reduce as reduce
from ._collective import reduce_scatter as reduce_scatter
from ._collective import scatter as scatter
from ._collective import scatter_object_list as scatter_object_list
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
from ._misc import ParallelMode as ParallelMode
from ._misc import wait as wait
from ._parallelize import shard_layer as shard_layer
from ._parallelize import shard_optimizer as shard_optimizer
from ._sharding import DistParameter as DistParameter
from ._sharding import DistTensor as DistTensor
from ._sharding import Partial as Partial
from ._sharding import Placement as Placement
from ._sharding import ProcessMesh as ProcessMesh
from ._sharding import ReduceType as ReduceType
from ._sharding import Replicate as Replicate
from ._sharding import Shard as Shard
from ._sharding import reshard as reshard
from ._sharding import shard_tensor as shard_tensor
from ._sharding import unshard_dtensor as unshard_dtensor
from ._spawn import MultiprocessContext as MultiprocessContext
from ._spawn import spawn as spawn

__all__ = [
    "DataParallel",
    "DistParameter",
    "DistTensor",
    "DistributedBatchSampler",
    "Group",
    "MultiprocessContext",
    "P2POp",
    "ParallelEnv",
    "ParallelMode",
    "Partial",
    "Placement",
    "ProcessMesh",
    "ReduceOp",
    "ReduceType",
    "Replicate",
    "Shard",
    "Task",
    "all_gather",
    "all_gather_object",
    "all_reduce",
    "alltoall",
    "alltoall_single",
    "barrier",
    "batch_isend_irecv",
    "broadcast",
    "broadcast_object_list",
    "clear_async_save_task_queue",
    "destroy_process_group",
    "fleet",
    "gather",
    "get_backend",
    "get_group",
    "get_rank",
    "get_world_size",
    "init_parallel_env",
    "irecv",
    "is_available",
    "is_initialized",
    "isend",
    "launch",
    "load_state_dict",
    "merge_checkpoint",
    "new_group",
    "recv",
    "reduce",
    "reduce_scatter",
    "reshard",
    "save_state_dict",
    "scatter",
    "scatter_object_list",
    "send",
    "shard_layer",
    "shard_optimizer",
    "shard_tensor",
    "spawn",
    "unshard_dtensor",
    "wait",
]

__getattr__ = _module_getattr("paddle.distributed")
