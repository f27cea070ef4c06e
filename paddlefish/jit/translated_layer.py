"""``TranslatedLayer``: a loaded inference program run by the executor under torch autograd.

Parameters are restored as trainable ``Parameter``s (buffers as plain Tensors) and fed to the
program's persistable variables by reference, so gradients flow to them and an optimizer can
fine-tune the loaded model with no ``*_grad`` ops (DESIGN.md, "Executor"). ``train()``/``eval()``
switch ``is_test`` on the ops that have it (dropout, batch_norm), so training really drops out and
batch norm really uses and updates batch statistics (FORMATS.md section 9.3).
"""

from __future__ import annotations

import collections

import torch

from .. import ir
from ..eager.dispatch import dispatch, get_recorder
from ..eager.tensor import Parameter, Tensor, wrap
from ..nn.layer.layers import Layer
from ..static.interpreter import CompiledBlock, feed_targets, fetch_sources

__all__ = ["TranslatedLayer"]


class TranslatedLayer(Layer):
    """A Layer built from a saved program; ``forward`` runs it.

    Its ``state_dict()`` is keyed by the structured names recorded in ``.pdiparams.info``
    (``fc.weight``), falling back to the variable name, so it loads into the original class.
    """

    def __init__(self, program: ir.Program, tensors: dict[str, Tensor],
                 structured: dict[str, str]):
        super().__init__()
        self.__dict__["_program"] = program
        block = program.global_block()
        self.__dict__["_feed_names"] = feed_targets(block)
        self.__dict__["_fetch_names"] = fetch_sources(block)
        self.__dict__["_var_names"] = {}  # attr -> variable name
        self.__dict__["_structured"] = structured
        for i, name in enumerate(sorted(tensors)):
            t = tensors[name]
            if isinstance(t, Parameter):
                attr = f"param_{i}"
                self.add_parameter(attr, t)
            else:
                attr = f"buffer_{i}"
                self.register_buffer(attr, t, persistable=True)
            self._var_names[attr] = name
        keep = set(self._fetch_names)
        self.__dict__["_compiled"] = {
            True: CompiledBlock(block, keep=keep, attr_override={"is_test": False}),
            False: CompiledBlock(block, keep=keep, attr_override={"is_test": True}),
        }
        self.eval()

    def program(self, method_name: str = "forward") -> ir.Program:
        if method_name != "forward":
            raise ValueError(f"this TranslatedLayer has only 'forward', not {method_name!r}")
        return self._program

    def _input_error(self, i, x, spec) -> str:
        return (f"input {i} ({self._feed_names[i]!r}) has shape {x.shape} and dtype "
                f"{x.dtype.name}; the saved program expects shape {spec.shape} "
                f"(-1 = any size) and dtype {spec.dtype.name}")

    def _check_inputs(self, inputs) -> None:
        if len(inputs) != len(self._feed_names):
            raise TypeError(f"forward takes {len(self._feed_names)} inputs "
                            f"{self._feed_names}, got {len(inputs)}")
        block = self._program.global_block()
        for i, x in enumerate(inputs):
            spec = block.var(self._feed_names[i])
            if spec.dtype is not None and x.dtype is not spec.dtype:
                raise TypeError(self._input_error(i, x, spec))
            if spec.shape is not None and (len(spec.shape) != len(x.shape) or any(
                    s not in (-1, d) for s, d in zip(spec.shape, x.shape))):
                raise ValueError(self._input_error(i, x, spec))

    def forward(self, *inputs):
        inputs = [x if isinstance(x, Tensor) else Tensor(x) for x in inputs]
        self._check_inputs(inputs)
        if get_recorder() is not None:
            outs = self._replay(inputs)
        else:
            scope = {self._var_names[k]: v._t for k, v in self._parameters.items()}
            scope.update({self._var_names[k]: v._t for k, v in self._buffers.items()})
            for name, x in zip(self._feed_names, inputs):
                scope[name] = x._t
            self._compiled[self.training].run(scope)
            outs = [wrap(scope[n]) for n in self._fetch_names]
        return outs[0] if len(outs) == 1 else outs

    def _replay(self, inputs):
        """Being recorded (jit.save of this layer): replay the program through the dispatch
        hook so the recorder sees every op with our tensors as captured persistables."""
        scope = dict(self.named_tensors_by_var())
        scope.update(zip(self._feed_names, inputs))
        self._compiled[self.training].replay(scope, dispatch)
        return [scope[n] for n in self._fetch_names]

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
