"""``Tensor`` and ``Parameter``: Paddle semantics over a ``torch.Tensor`` (held in ``_t``).

Paddle-specific state lives here: ``stop_gradient`` (True for created tensors, False for
parameters), ``name``, ``persistable``. Math methods and operators are attached by the
``tensor`` package (L4), as Paddle itself does, because they go through the op registry.
"""

from __future__ import annotations

import numpy as np
import torch

from .._core import unique_name
from .._core.dtypes import DType
from .._core.missing import missing_error
from ..errors import AutogradError
from ._dtype import from_torch_dtype, numpy_to_torch, to_torch_dtype, torch_to_numpy
from .device import Place, current_torch_device, to_torch_device

__all__ = ["DynDim", "Parameter", "Tensor", "to_torch", "wrap"]


class DynDim(int):
    """A dimension of unknown size (``-1``) of a value being recorded by ``jit``.

    It is the int ``-1`` everywhere, but remembers the value and axis it came from, so that
    shape-consuming functions (``reshape``, ``full``, ``expand``) can read the real size at run
    time (``shape`` + ``slice`` ops) instead of baking ``-1`` into the program:
    ``x.reshape([x.shape[0], -1])`` keeps working with a dynamic batch.
    """

    def __new__(cls, source, axis: int):
        obj = int.__new__(cls, -1)
        obj.source = source
        obj.axis = axis
        return obj

    def __repr__(self) -> str:
        return "-1"


class Tensor:
    """A Paddle Tensor.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> x.shape, x.dtype, x.stop_gradient
    ([2, 2], paddle.float32, True)
    """

    __array_priority__ = 100
    _is_parameter = False

    def __getattr__(self, name: str):
        # reached only when normal lookup fails: a Paddle Tensor method paddlefish lacks says so
        # (NOTE [missing Paddle names]); private names fail plainly and fast
        if name.startswith("_"):
            raise AttributeError(f"'Tensor' object has no attribute {name!r}")
        raise missing_error("paddle.Tensor", name)

    def __init__(self, data=None, dtype=None, place=None, stop_gradient=True, name=None):
        if data is None:
            t = torch.empty(0)
        elif isinstance(data, torch.Tensor):
            t = data
        elif isinstance(data, Tensor):
            t = data._t
        else:
            t = numpy_to_torch(np.asarray(data))
        if dtype is not None:
            t = t.to(to_torch_dtype(dtype))
        self._t = t
        self._name = name
        self._persistable = False
        if not stop_gradient:
            self.stop_gradient = False

    # ---- identity -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        if self._name is None:
            self._name = unique_name.generate("generated_tensor")
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def persistable(self) -> bool:
        return self._persistable

    @persistable.setter
    def persistable(self, value: bool) -> None:
        self._persistable = bool(value)

    # ---- metadata ---------------------------------------------------------------------------
    @property
    def shape(self) -> list[int]:
        return list(self._t.shape)

    @property
    def dtype(self) -> DType:
        return from_torch_dtype(self._t.dtype)

    @property
    def ndim(self) -> int:
        return self._t.dim()

    def dim(self) -> int:
        return self._t.dim()

    ndimension = dim

    @property
    def size(self) -> int:
        return self._t.numel()

    def numel(self) -> int:
        return self._t.numel()

    @property
    def place(self) -> Place:
        return Place(self._t.device)

    @property
    def is_leaf(self) -> bool:
        return self._t.is_leaf

    @property
    def T(self):
        return wrap(self._t.permute(*reversed(range(self._t.dim()))))

    # ---- autograd ---------------------------------------------------------------------------
    @property
    def stop_gradient(self) -> bool:
        sg = getattr(self, "_sg", None)
        if sg is not None:
            return sg
        return not self._t.requires_grad

    @stop_gradient.setter
    def stop_gradient(self, value: bool) -> None:
        value = bool(value)
        t = self._t
        if not (t.is_floating_point() or t.is_complex()):
            self._sg = value  # torch cannot track integer tensors; remember the flag only
            return
        if t.is_leaf:
            t.requires_grad_(not value)
        elif value:
            self._t = t.detach()

    @property
    def grad(self):
        g = self._t.grad
        return None if g is None else wrap(g)

    @grad.setter
    def grad(self, value) -> None:
        self._t.grad = None if value is None else to_torch(value)

    def _set_grad_ivar(self, value) -> None:
        self.grad = value

    def backward(self, grad_tensor=None, retain_graph: bool = False) -> None:
        if not self._t.requires_grad:
            raise AutogradError(
                f"backward() on tensor {self.name} which has stop_gradient=True: no input of the "
                "computation requires a gradient. Set stop_gradient=False on the inputs "
                "(parameters have it already)."
            )
        g = to_torch(grad_tensor) if grad_tensor is not None else torch.ones_like(self._t)
        try:
            self._t.backward(g, retain_graph=retain_graph)
        except RuntimeError as e:
            if "second time" in str(e) or "already been freed" in str(e):
                raise AutogradError(
                    f"backward() called twice through the same graph (tensor {self.name}): the "
                    "graph was freed by the first call. Pass retain_graph=True to the first "
                    "backward() if you need to run it again."
                ) from None
            raise

    def clear_grad(self, set_to_zero: bool = True) -> None:
        if self._t.grad is not None:
            if set_to_zero:
                self._t.grad.zero_()
            else:
                self._t.grad = None

    clear_gradient = clear_grad

    def detach(self) -> Tensor:
        return wrap(self._t.detach())

    def detach_(self) -> Tensor:
        self._t = self._t.detach()
        return self

    def register_hook(self, hook):
        def _h(g):
            r = hook(wrap(g))
            return None if r is None else to_torch(r)

        return self._t.register_hook(_h)

    # ---- data access ------------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        a = torch_to_numpy(self._t)
        return a.copy() if np.shares_memory(a, a) and self._t.device.type == "cpu" else a

    def __array__(self, dtype=None, copy=None):
        a = torch_to_numpy(self._t)
        return a.astype(dtype) if dtype is not None else a

    def item(self, *args):
        if args:
            return self._t[args].item() if len(args) > 1 else self._t.flatten()[args[0]].item()
        if self._t.numel() != 1:
            raise ValueError(
                f"item() needs a tensor with exactly one element; this one has shape {self.shape}"
            )
        return self._t.item()

    def tolist(self):
        return self._t.tolist()

    def value(self) -> Tensor:
        return self

    def get_tensor(self) -> Tensor:
        return self

    def set_value(self, value) -> None:
        """Copy ``value`` (Tensor or ndarray) into this tensor; shape and dtype must match."""
        src = to_torch(value) if isinstance(value, Tensor) else numpy_to_torch(np.asarray(value))
        if list(src.shape) != list(self._t.shape):
            raise ValueError(
                f"set_value on {self.name}: shape {list(src.shape)} does not match the tensor's "
                f"shape {list(self._t.shape)}"
            )
        if src.dtype != self._t.dtype:
            raise TypeError(
                f"set_value on {self.name}: dtype {from_torch_dtype(src.dtype).name} does not "
                f"match the tensor's dtype {self.dtype.name}; cast it first"
            )
        with torch.no_grad():
            self._t.copy_(src)

    def _copy_to(self, place, blocking=True) -> Tensor:
        return wrap(self._t.to(to_torch_device(place)))

    def cpu(self) -> Tensor:
        return wrap(self._t.cpu())

    def cuda(self, device_id=None, blocking=True) -> Tensor:
        return wrap(self._t.cuda(device_id))

    def pin_memory(self) -> Tensor:
        return self

    def is_floating_point(self) -> bool:
        return self._t.is_floating_point()

    def element_size(self) -> int:
        """Bytes per element (4 for float32)."""
        return self._t.element_size()

    def data_ptr(self) -> int:
        return self._t.data_ptr()

    def is_contiguous(self) -> bool:
        return self._t.is_contiguous()

    def contiguous(self) -> Tensor:
        return self if self._t.is_contiguous() else wrap(self._t.contiguous())

    @property
    def strides(self) -> list[int]:
        return list(self._t.stride())

    def get_strides(self) -> list[int]:
        return list(self._t.stride())

    def offset(self) -> int:
        return self._t.storage_offset() * self._t.element_size()

    @property
    def inplace_version(self) -> int:
        return self._t._version

    def retain_grads(self) -> None:
        if self._t.requires_grad and not self._t.is_leaf:
            self._t.retain_grad()

    def to(self, *args, **kwargs) -> Tensor:
        """``x.to('cpu')``, ``x.to('float64')``, ``x.to(place, dtype)``, ``x.to(other_tensor)``;
        keywords ``device``, ``dtype``, ``blocking``."""
        device, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
        kwargs.pop("blocking", None)
        if kwargs:
            raise TypeError(f"Tensor.to got unexpected keywords {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                device, dtype = a.place, a.dtype
            elif isinstance(a, Place) or (isinstance(a, str) and _is_device(a)):
                device = a
            elif isinstance(a, (str, DType, np.dtype, torch.dtype)) or a in (float, int, bool):
                dtype = a
            elif a is not None and not isinstance(a, bool):
                raise TypeError(f"Tensor.to: cannot interpret argument {a!r}")
        t = self._t
        if device is not None:
            t = t.to(to_torch_device(device))
        if dtype is not None:
            t = t.to(to_torch_dtype(dtype))
        return self if t is self._t else wrap(t)

    # ---- python protocol --------------------------------------------------------------------
    def __len__(self) -> int:
        if self._t.dim() == 0:
            raise TypeError("len() of a 0-D tensor")
        return self._t.shape[0]

    def __bool__(self) -> bool:
        if self._t.numel() != 1:
            raise ValueError(
                f"the truth value of a tensor with {self._t.numel()} elements is ambiguous; "
                "use .any() or .all()"
            )
        return bool(self._t.item())

    def __float__(self) -> float:
        return float(self._t.item())

    def __int__(self) -> int:
        return int(self._t.item())

    def __index__(self) -> int:
        if self._t.is_floating_point() or self._t.numel() != 1:
            raise TypeError("only integer tensors of one element can be converted to an index")
        return int(self._t.item())

    def __hash__(self) -> int:
        return id(self)

    def __iter__(self):
        if self._t.dim() == 0:
            raise TypeError("iteration over a 0-D tensor")
        for i in range(self._t.shape[0]):
            yield wrap(self._t[i])

    def __repr__(self) -> str:
        arr = torch_to_numpy(self._t)
        if self._t.dtype == torch.bfloat16:
            arr = self._t.detach().float().cpu().numpy()
        head = "Parameter containing:\n" if self._is_parameter else ""
        return (
            f"{head}Tensor(shape={self.shape}, dtype={self.dtype.name}, place={self.place}, "
            f"stop_gradient={self.stop_gradient},\n       {_format_array(arr, 7)})"
        )

    __str__ = __repr__

    def __deepcopy__(self, memo):
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        for k, v in self.__dict__.items():
            new.__dict__[k] = v.detach().clone().requires_grad_(v.requires_grad) if k == "_t" else v
        return new

    def __reduce_ex__(self, protocol):
        raise TypeError(
            "paddlefish Tensors are not pickled with the pickle module; use paddle.save(obj, path)"
        )


class Parameter(Tensor):
    """A trainable tensor owned by a Layer (``stop_gradient=False``, persistable)."""

    _is_parameter = True

    def __init__(
        self,
        data,
        name: str | None = None,
        trainable: bool = True,
        optimize_attr=None,
        regularizer=None,
        need_clip: bool = True,
        do_model_average=None,
        is_distributed: bool = False,
    ):
        t = data._t if isinstance(data, Tensor) else data
        super().__init__(t.detach(), name=name)
        self._persistable = True
        self.optimize_attr = optimize_attr or {"learning_rate": 1.0}
        self.regularizer = regularizer
        self.need_clip = need_clip
        self.do_model_average = do_model_average
        self.is_distributed = is_distributed
        self.trainable = trainable

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        self.stop_gradient = not value

    @property
    def name(self) -> str:
        if self._name is None:
            self._name = unique_name.generate("param")
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value


# NOTE [tensor repr]: Paddle formats each element alone (floats: ``1.`` when integral, else
# 8 fixed decimals), left-justifies to the widest item (one leading space for non-negative
# items when any is negative), and summarises tensors over 1000 elements with 3 edge items.
_PRECISION, _THRESHOLD, _EDGE, _LINEWIDTH = 8, 1000, 3, 80


_SCI_MODE = False


def set_printoptions(precision=None, threshold=None, edgeitems=None, sci_mode=None,
                     linewidth=None) -> None:
    """How Tensors print (Paddle's ``paddle.set_printoptions``): digits after the point,
    the element count above which only ``edgeitems`` per edge are shown, scientific notation,
    characters per line. Unset arguments keep their current value.

    >>> import paddlefish as paddle
    >>> paddle.set_printoptions(precision=2, sci_mode=True)
    >>> print(paddle.to_tensor([1234.5]))
    Tensor(shape=[1], dtype=float32, place=Place(cpu), stop_gradient=True,
           [1.23e+03])
    >>> paddle.set_printoptions(precision=8, sci_mode=False)
    """
    global _PRECISION, _THRESHOLD, _EDGE, _LINEWIDTH, _SCI_MODE
    for what, v in (("precision", precision), ("threshold", threshold),
                    ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if v is not None and not isinstance(v, int):
            raise TypeError(f"set_printoptions: {what} must be an int, got {type(v).__name__}")
    if sci_mode is not None and not isinstance(sci_mode, bool):
        raise TypeError(f"set_printoptions: sci_mode must be a bool, got {type(sci_mode).__name__}")
    _PRECISION = _PRECISION if precision is None else precision
    _THRESHOLD = _THRESHOLD if threshold is None else threshold
    _EDGE = _EDGE if edgeitems is None else edgeitems
    _LINEWIDTH = _LINEWIDTH if linewidth is None else linewidth
    _SCI_MODE = _SCI_MODE if sci_mode is None else sci_mode


def _format_item(v, width: int = 0, signed: bool = False) -> str:
    if isinstance(v, np.ndarray):
        v = v[()]
    if isinstance(v, (float, np.floating)) and _SCI_MODE:
        s = f"{v:.{_PRECISION}e}"
    elif isinstance(v, (float, np.floating)):
        s = f"{v:.0f}." if np.ceil(v) == v else f"{v:.{_PRECISION}f}"
    else:
        s = f"{v}"
    if width > len(s):
        return " " + s.ljust(width - 1) if signed and not v < 0 else s.ljust(width)
    return s


def _summary(a: np.ndarray) -> np.ndarray:
    if a.ndim == 0 or a.shape[0] <= 2 * _EDGE:
        return np.stack([_summary(r) for r in a]) if a.ndim > 1 else a
    parts = np.concatenate([a[:_EDGE], a[-_EDGE:]])
    return np.stack([_summary(r) for r in parts]) if a.ndim > 1 else parts


def _format_rows(a: np.ndarray, summary: bool, indent: int, width: int, signed: bool) -> str:
    if a.ndim == 0:
        return _format_item(a, width, signed)
    cut = summary and a.shape[0] > 2 * _EDGE
    rows = list(a[:_EDGE]) + [None] + list(a[-_EDGE:]) if cut else list(a)
    if a.ndim == 1:
        items = ["..." if r is None else _format_item(r, width, signed) for r in rows]
        per_line = max(1, (_LINEWIDTH - indent) // (width + 2))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    subs = [
        "..." if r is None else _format_rows(r, summary, indent + 1, width, signed) for r in rows
    ]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(subs) + "]"


def _format_array(a: np.ndarray, indent: int) -> str:
    summary = a.size > _THRESHOLD and a.ndim > 0
    flat = (_summary(a) if summary else a).ravel()
    width = max((len(_format_item(v)) for v in flat.tolist()), default=0)
    signed = bool((flat < 0).any()) if flat.dtype.kind != "b" else False
    return _format_rows(a, summary, indent, width, signed)


def _is_device(s: str) -> bool:
    return s.split(":")[0] in ("cpu", "gpu", "cuda", "xpu", "npu", "custom")


def wrap(t: torch.Tensor) -> Tensor:
    """Wrap a torch tensor without copying (fast path used by dispatch)."""
    obj = Tensor.__new__(Tensor)
    obj._t = t
    obj._name = None
    obj._persistable = False
    return obj


def to_torch(x, dtype=None) -> torch.Tensor:
    """The torch tensor behind ``x`` (a Tensor, ndarray, number or nested list)."""
    if isinstance(x, Tensor):
        return x._t
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return numpy_to_torch(x).to(current_torch_device())
    return torch.as_tensor(
        x, dtype=to_torch_dtype(dtype) if dtype else None, device=current_torch_device()
    )
