"""L0: the dtype table, the unique-name generator and atomic file writes."""

from . import dtypes as dtypes
from . import fs as fs
from . import unique_name as unique_name
from .dtypes import DType as DType
from .dtypes import convert_dtype as convert_dtype
