"""Optional heavy dependencies of ``paddle.vision``, loaded on first use.

NOTE [optional imports]: OpenCV (``cv2``, ~90 ms to import) and ``scipy.io`` (~270 ms) are
needed only by numpy-image transforms and by ``Flowers``; importing them with the package
would slow every ``import paddlefish``. They are loaded here, by name, the first time a caller
needs them, and a missing one is reported with the command that installs it. This is the only
place vision imports at call time, and it is not a cycle workaround: neither module imports
paddlefish.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__: list[str] = []

_INSTALL = {
    "cv2": "pip install 'paddlefish[vision]'  (or: pip install opencv-python-headless)",
    "scipy.io": "pip install 'paddlefish[vision]'  (or: pip install scipy)",
}
_loaded: dict[str, ModuleType | None] = {}


def available(name: str) -> bool:
    if name not in _loaded:
        try:
            _loaded[name] = importlib.import_module(name)
        except ImportError:
            _loaded[name] = None
    return _loaded[name] is not None


def require(name: str, why: str) -> ModuleType:
    """The module ``name``, or ImportError saying ``why`` it is needed and how to install it."""
    if not available(name):
        raise ImportError(f"{why} needs {name}, which is not installed; install it with: "
                          f"{_INSTALL[name]}.")  # fmt: skip
    return _loaded[name]
