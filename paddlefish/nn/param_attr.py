"""``paddle.ParamAttr``: how a Layer creates one of its parameters."""

from __future__ import annotations

from .initializer import Initializer

__all__ = ["ParamAttr", "WeightNormParamAttr"]


class ParamAttr:
    """Name, initializer, learning-rate multiplier, regularizer and trainability of a parameter.

    >>> import paddlefish as paddle
    >>> fc = paddle.nn.Linear(2, 2, weight_attr=paddle.ParamAttr(name="fc_w"))
    >>> fc.weight.name
    'fc_w'
    """

    def __init__(self, name=None, initializer=None, learning_rate=1.0, regularizer=None,
                 trainable=True, do_model_average=True, need_clip=True):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"ParamAttr name must be a str, got {type(name).__name__}")
        self.name = name
        self.initializer = initializer
        self.learning_rate = learning_rate
        self.regularizer = regularizer
        self.trainable = trainable
        self.do_model_average = do_model_average
        self.need_clip = need_clip

    @staticmethod
    def _to_attr(arg):
        """None -> default attr, str -> named, Initializer -> with it, False -> False (no param)."""
        if arg is None:
            return ParamAttr()
        if isinstance(arg, ParamAttr):
            return arg
        if isinstance(arg, str):
            return ParamAttr(name=arg)
        if isinstance(arg, Initializer):
            return ParamAttr(initializer=arg)
        if isinstance(arg, bool):
            return ParamAttr() if arg else False
        raise TypeError(f"{type(arg).__name__} cannot be used as a ParamAttr; expected None, "
                        "str, ParamAttr, an Initializer or False")


class WeightNormParamAttr(ParamAttr):
    def __init__(self, dim=None, **kw):
        super().__init__(**kw)
        self.dim = dim
