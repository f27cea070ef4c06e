"""Dynamic-to-static conversion of tensor-dependent Python control flow (Paddle's dy2static).

``convert_function(fn)`` returns ``fn`` with its ``if``/``while``/``for i in range(...)``
statements rewritten (``_transform``) into calls that run plain Python for Python conditions
and record ``conditional_block``/``while`` ops for tensor conditions (``_runtime``,
``_record``). ``jit.save`` and ``paddle.onnx.export`` convert the forward only while
recording; eager code never runs converted functions. It lives in ``static`` (L5) so that both
L6 siblings reach it.

NOTE [no eval of strings]: the source is read with ``inspect.getsource`` and parsed with ``ast``;
the rewritten tree (built from AST nodes, never from strings) is compiled with
``compile(tree, <original file name>, 'exec')`` and that code object is executed once in a
namespace copied from the function's globals, which defines a factory taking the original
closure's values. Line numbers are kept so errors point at the user's source.

>>> import paddlefish as paddle
>>> def f(x):
...     if x.mean() > 0:
...         x = x * 2
...     return x
>>> g = convert_function(f)
>>> float(g(paddle.ones([2])).sum())
4.0
"""

from __future__ import annotations

from ._convert import convert_function as convert_function

__all__ = ["convert_function"]
