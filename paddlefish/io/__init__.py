"""``paddle.io``: datasets, samplers and the ``DataLoader`` (over ``torch.utils.data``)."""

from .._core.missing import module_getattr as _module_getattr
from ._batch_sampler import BatchSampler as BatchSampler
from ._batch_sampler import DistributedBatchSampler as DistributedBatchSampler
from ._collate import default_collate_fn as default_collate_fn
from ._collate import default_convert_fn as default_convert_fn
from ._dataloader import DataLoader as DataLoader
from ._dataset import ChainDataset as ChainDataset
from ._dataset import ComposeDataset as ComposeDataset
from ._dataset import ConcatDataset as ConcatDataset
from ._dataset import Dataset as Dataset
from ._dataset import IterableDataset as IterableDataset
from ._dataset import Subset as Subset
from ._dataset import TensorDataset as TensorDataset
from ._dataset import random_split as random_split
from ._sampler import RandomSampler as RandomSampler
from ._sampler import Sampler as Sampler
from ._sampler import SequenceSampler as SequenceSampler
from ._sampler import SubsetRandomSampler as SubsetRandomSampler
from ._sampler import WeightedRandomSampler as WeightedRandomSampler
from ._worker import WorkerInfo as WorkerInfo
from ._worker import get_worker_info as get_worker_info

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "ComposeDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "DistributedBatchSampler",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequenceSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerInfo",
    "default_collate_fn",
    "default_convert_fn",
    "get_worker_info",
    "random_split",
]

__getattr__ = _module_getattr("paddle.io")
