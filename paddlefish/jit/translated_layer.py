"""``TranslatedLayer``: a loaded inference program run by the executor under torch autograd.

Parameters are restored as trainable ``Parameter``s (buffers as plain Tensors) and fed to the
program's persistable variables by reference, so gradients flow to them and an optimizer can
fine-tune the loaded model with no ``*_grad`` ops (DESIGN.md, "Executor"). ``train()``/``eval()``
switch ``is_test`` on the ops that have it (dropout, batch_norm), so training really drops out and
batch norm really uses and updates batch statistics (FORMATS.md section 9.3).

A model saved with several ``@to_static`` methods (``path.pdmodel`` plus ``path.infer.pdmodel``,
see NOTE [jit.save method files] in ``save.py``) loads as one layer whose extra programs are
methods (``loaded.infer(x)``); variables with the same name share one tensor.
"""

from __future__ import annotations

import collections

import torch

from .. import ir
from ..eager.dispatch import dispatch, get_recorder
from ..eager.tensor import Parameter, Tensor, wrap
from ..errors import ExecutionError
from ..nn.layer.layers import Layer
from ..static.interpreter import CompiledBlock, feed_targets, fetch_sources

__all__ = [
    "INFER_MODEL_SUFFIX",
    "INFER_PARAMS_INFO_SUFFIX",
    "INFER_PARAMS_SUFFIX",
    "TranslatedLayer",
]

INFER_MODEL_SUFFIX = ".pdmodel"
INFER_PARAMS_SUFFIX = ".pdiparams"
INFER_PARAMS_INFO_SUFFIX = ".pdiparams.info"


class _Method:
    """One loaded program: its feeds, fetches and the train/eval compiled blocks."""

    def __init__(self, name: str, program: ir.Program):
        self.name = name
        self.program = program
        block = program.global_block()
        self.feed_names = feed_targets(block)
        self.fetch_names = fetch_sources(block)
        keep = set(self.fetch_names)
        self.compiled = {
            True: CompiledBlock(block, keep=keep, attr_override={"is_test": False}),
            False: CompiledBlock(block, keep=keep, attr_override={"is_test": True}),
        }


def _spec(name: str, var: ir.VarDesc | None) -> ir.InputSpec:
    shape = var.shape if var is not None and var.shape is not None else []
    return ir.InputSpec(list(shape), var.dtype if var is not None else None, name)


class TranslatedLayer(Layer):
    """A Layer built from a saved program; ``forward`` runs it.

    Its ``state_dict()`` is keyed by the structured names recorded in ``.pdiparams.info``
    (``fc.weight``), falling back to the variable name, so it loads into the original class.

    >>> import os, tempfile, paddlefish as paddle
    >>> p = os.path.join(tempfile.mkdtemp(), "lin")
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), p,
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> loaded = paddle.jit.load(p)
    >>> [(s.name, s.shape) for s in loaded._input_spec()]
    [('x', (-1, 4))]
    """

    def __init__(self, program: ir.Program, tensors: dict[str, Tensor],
                 structured: dict[str, str], methods: dict[str, ir.Program] | None = None,
                 trainable: bool = True):
        super().__init__()
        self.__dict__["_program"] = program
        forward = _Method("forward", program)
        self.__dict__["_methods"] = {"forward": forward}
        self.__dict__["_feed_names"] = forward.feed_names
        self.__dict__["_fetch_names"] = forward.fetch_names
        self.__dict__["_compiled"] = forward.compiled
        self.__dict__["_var_names"] = {}  # attr -> variable name
        self.__dict__["_structured"] = structured
        self.__dict__["_trainable"] = trainable  # NOTE [PIR trainable]
        for i, name in enumerate(sorted(tensors)):
            t = tensors[name]
            if isinstance(t, Parameter):
                attr = f"param_{i}"
                self.add_parameter(attr, t)
            else:
                attr = f"buffer_{i}"
                self.register_buffer(attr, t, persistable=True)
            self._var_names[attr] = name
        for name, prog in sorted((methods or {}).items()):
            self._add_method(name, prog)
        self.eval()

    def _add_method(self, name: str, program: ir.Program) -> None:
        if name == "forward" or hasattr(type(self), name) or name in self.__dict__:
            raise ValueError(f"the saved method {name!r} clashes with the TranslatedLayer "
                             f"attribute {name!r}; rename the method before jit.save")
        method = _Method(name, program)
        self._methods[name] = method

        def run(*inputs):
            return self._run(method, inputs)

        run.__name__ = run.__qualname__ = name
        self.__dict__[name] = run

    def _get_method(self, method_name: str) -> _Method:
        method = self._methods.get(method_name)
        if method is None:
            raise ValueError(f"The method `{method_name}` does not exist in loaded "
                             f"TranslatedLayer (it has: {sorted(self._methods)}).")
        return method

    def program(self, method_name: str = "forward") -> ir.Program:
        """The loaded program of ``method_name`` (``forward`` or a saved ``@to_static`` method)."""
        return self._get_method(method_name).program

    def _input_spec(self, method_name: str = "forward") -> list[ir.InputSpec]:
        """One ``InputSpec`` per feed of the program (name, shape with -1, dtype), as Paddle."""
        method = self._get_method(method_name)
        block = method.program.global_block()
        return [_spec(n, block.find_var(n)) for n in method.feed_names]

    def _output_spec(self, method_name: str = "forward") -> list[ir.InputSpec]:
        """One ``InputSpec`` per fetch of the program, named as Paddle's loaded layer names it.

        NOTE [translated_layer output names]: Paddle's loader appends ``scale(x, 1.0,
        name="translated_layer/scale_{i}")`` to every output (unless one is bool) and reports
        that op's result, ``translated_layer/scale_{i}.tmp_0``; the ``tmp_N`` counter is
        process-global in Paddle 2.6 (a second load in one process gives ``tmp_1``) and starts
        at 0 for every load in 3.x. We report the 3.x name; the shape and dtype are the fetched
        variable's.
        """
        method = self._get_method(method_name)
        block = method.program.global_block()
        vars_ = [block.find_var(n) for n in method.fetch_names]
        if any(v is not None and v.dtype is not None and v.dtype.name == "bool" for v in vars_):
            return [_spec(n, v) for n, v in zip(method.fetch_names, vars_)]
        return [_spec(f"translated_layer/scale_{i}.tmp_0", v) for i, v in enumerate(vars_)]

    def _input_error(self, method, i, x, spec) -> str:
        return (f"input {i} ({method.feed_names[i]!r}) of {method.name} has shape {x.shape} and "
                f"dtype {x.dtype.name}; the saved program expects shape {spec.shape} "
                f"(-1 = any size) and dtype {spec.dtype.name}")

    def _check_inputs(self, method: _Method, inputs) -> list[str]:
        """Refuse a wrong count, dtype or rank; return the fixed-size dims that differ.

        NOTE [feed shapes are advisory]: real Paddle runs a loaded program on whatever it is fed
        and never checks the feed's declared dims, and some of its own exports declare wrong
        fixed dims (Paddle 2.6's shape-changing while loops). So a dim mismatch is not refused:
        the program runs, and only if it fails is the mismatch named as the likely cause.
        """
        if len(inputs) != len(method.feed_names):
            raise TypeError(f"{method.name} takes {len(method.feed_names)} inputs "
                            f"{method.feed_names}, got {len(inputs)}")
        block = method.program.global_block()
        hints = []
        for i, x in enumerate(inputs):
            spec = block.var(method.feed_names[i])
            if spec.dtype is not None and x.dtype is not spec.dtype:
                raise TypeError(self._input_error(method, i, x, spec))
            if spec.shape is None:
                continue
            if len(spec.shape) != len(x.shape):
                raise ValueError(self._input_error(method, i, x, spec))
            if any(s not in (-1, d) for s, d in zip(spec.shape, x.shape)):
                hints.append(self._input_error(method, i, x, spec))
        return hints

    def forward(self, *inputs):
        return self._run(self._methods["forward"], inputs)

    def _run(self, method: _Method, inputs):
        inputs = [x if isinstance(x, Tensor) else Tensor(x) for x in inputs]
        hints = self._check_inputs(method, inputs)
        if not hints:
            return self._execute(method, inputs)
        try:
            return self._execute(method, inputs)
        except ExecutionError as e:
            raise ValueError("; ".join(hints) + f". Running it failed: {e}") from e

    def _execute(self, method: _Method, inputs):
        """NOTE [PIR trainable]: a PIR file with ``base_code.trainable: false`` (Paddle 3.x's
        ``save_inference_model(..., trainable=False)``) runs for inference only: calling the
        loaded layer after ``train()`` raises Paddle 3.3's ``ValueError`` (FORMATS.md 6.1), so
        it cannot be fine-tuned. Real Paddle 3.3 cannot load the files its own writer makes this
        way at all (the writer drops the ``p`` ops' ``OA`` flags: ``jit.load`` fails with "The
        number of variables to be saved is 0", ``create_predictor`` crashes); we read the
        parameters as persistable, which is what they are, so inference works."""
        if self.training and not self._trainable:
            raise ValueError("The model is not trainable, please check model_file of jit.save.")
        if get_recorder() is not None:
            outs = self._replay(method, inputs)
        else:
            scope = {self._var_names[k]: v._t for k, v in self._parameters.items()}
            scope.update({self._var_names[k]: v._t for k, v in self._buffers.items()})
            for name, x in zip(method.feed_names, inputs):
                scope[name] = x._t
            method.compiled[self.training].run(scope)
            outs = [wrap(scope[n]) for n in method.fetch_names]
        return outs[0] if len(outs) == 1 else outs

    def _replay(self, method: _Method, inputs):
        """Being recorded (jit.save of this layer): replay the program through the dispatch
        hook so the recorder sees every op with our tensors as captured persistables."""
        scope = dict(self.named_tensors_by_var())
        scope.update(zip(method.feed_names, inputs))
        method.compiled[self.training].replay(scope, dispatch)
        return [scope[n] for n in method.fetch_names]

    def state_dict(self, destination=None, include_sublayers=True, structured_name_prefix="",
                   use_hook=True, keep_vars=True):
        out = destination if destination is not None else collections.OrderedDict()
        for attr, t in list(self._parameters.items()) + list(self._buffers.items()):
            var = self._var_names[attr]
            out[structured_name_prefix + self._structured.get(var, var)] = t
        return out

    def set_state_dict(self, state_dict, use_structured_name: bool = True):
        return super().set_state_dict(state_dict, use_structured_name)

    def named_tensors_by_var(self) -> dict[str, Tensor]:
        """variable name -> live tensor (what jit.save of this layer stores)."""
        d = {self._var_names[k]: v for k, v in self._parameters.items()}
        d.update({self._var_names[k]: v for k, v in self._buffers.items()})
        return d


def make_parameter(name: str, value: torch.Tensor, stop_gradient: bool, trainable: bool):
    p = Parameter(value, name=name, trainable=trainable)
    if stop_gradient:
        p.stop_gradient = True
    return p
