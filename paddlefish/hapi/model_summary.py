"""``paddle.hapi.model_summary``: ``summary`` and ``summary_string``."""

from ._summary import summary as summary
from ._summary import summary_string as summary_string

__all__ = ["summary", "summary_string"]
