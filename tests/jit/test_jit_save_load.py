"""jit.save / jit.load inside paddlefish: structure of the files, configs, round trips, errors."""

from __future__ import annotations

import os

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import formats, ir
from paddlefish.errors import ConversionError, ExecutionError, FormatError, OpNotFoundError
from paddlefish.static import InputSpec


class Two(paddle.nn.Layer):
    """Two inputs, a dict output, a buffer used in forward."""

    def __init__(self):
        super().__init__()
        self.fa = paddle.nn.Linear(4, 3)
        self.fb = paddle.nn.Linear(2, 3)
        self.register_buffer("offset", paddle.to_tensor([0.5, -1.0, 2.0]))

    def forward(self, a, b):
        s = self.fa(a) + self.fb(b) + self.offset
        return {"sum": s, "prod": s * 2.0}


def _specs():
    return [InputSpec([None, 4], "float32", "a"), InputSpec([None, 2], "float32")]


def test_files_and_program_layout(tmp_path):
    paddle.seed(1)
    net = Two()
    prefix = str(tmp_path / "m" / "two")
    paddle.jit.save(net, prefix, input_spec=_specs())
    assert sorted(os.listdir(tmp_path / "m")) == ["two.pdiparams", "two.pdiparams.info",
                                                 "two.pdmodel"]
    prog = formats.load_program_desc(prefix + ".pdmodel")
    block = prog.global_block()
    ops = [op.type for op in block.ops]
    # feeds are prepended (col 1 first), fetches appended in output order
    assert ops[:2] == ["feed", "feed"] and ops[-2:] == ["fetch", "fetch"]
    assert [op.attrs["col"] for op in block.ops[:2]] == [1, 0]
    assert block.ops[1].output("Out") == ["a"] and block.ops[0].output("Out") == ["b"]
    assert block.var("a").shape == [-1, 4] and block.var("b").shape == [-1, 2]
    # no op carries op_callstack (it would leak paths); attrs sorted by name
    for op in block.ops:
        assert "op_callstack" not in op.attrs
        assert list(op.attrs) == sorted(op.attrs)
    # vars sorted, then feed and fetch
    names = list(block.vars)
    assert names[-2:] == ["feed", "fetch"] and names[:-2] == sorted(names[:-2])
    persist = formats.persistable_names(prog)
    assert persist == sorted([net.fa.weight.name, net.fa.bias.name, net.fb.weight.name,
                              net.fb.bias.name, net.offset.name])
    info = formats.load_pdiparams_info(prefix + ".pdiparams.info")
    assert info[net.fa.weight.name] == {"structured_name": "fa.weight", "stop_gradient": False,
                                        "trainable": True}
    assert info[net.offset.name] == {"structured_name": "offset", "stop_gradient": True}
    assert "\n" in str(prog) and "matmul_v2" in str(prog)


def test_round_trip_outputs_and_dict_order(tmp_path):
    paddle.seed(2)
    net = Two()
    prefix = str(tmp_path / "two")
    paddle.jit.save(net, prefix, input_spec=_specs())
    loaded = paddle.jit.load(prefix)
    for n in (1, 5):
        a, b = paddle.randn([n, 4]), paddle.randn([n, 2])
        want = net(a, b)
        got = loaded(a, b)
        np.testing.assert_allclose(got[0].numpy(), want["sum"].numpy(), rtol=1e-6)
        np.testing.assert_allclose(got[1].numpy(), want["prod"].numpy(), rtol=1e-6)
    # state dict keyed by structured names; loads back into the original class
    sd = loaded.state_dict()
    assert set(sd) == set(net.state_dict())
    fresh = Two()
    missing, unexpected = fresh.set_state_dict(sd)
    assert missing == [] and unexpected == []


def test_paddle_load_of_prefix_returns_structured_state_dict(tmp_path):
    net = Two()
    prefix = str(tmp_path / "two")
    paddle.jit.save(net, prefix, input_spec=_specs())
    sd = paddle.load(prefix)
    assert set(sd) == set(net.state_dict())
    np.testing.assert_array_equal(np.asarray(sd["fa.weight"]), net.fa.weight.numpy())


def test_translated_layer_trains_and_switches_modes(tmp_path):
    class Drop(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            self.fc = paddle.nn.Linear(8, 8)
            self.drop = paddle.nn.Dropout(0.5)

        def forward(self, x):
            return self.drop(self.fc(x))

    net = Drop()
    prefix = str(tmp_path / "drop")
    paddle.jit.save(net, prefix, input_spec=[InputSpec([None, 8], "float32", "x")])
    loaded = paddle.jit.load(prefix)
    x = paddle.ones([4, 8])
    assert not loaded.training
    np.testing.assert_allclose(loaded(x).numpy(), loaded(x).numpy())  # eval: deterministic
    loaded.train()
    outs = [loaded(x).numpy() for _ in range(3)]
    assert any((o == 0).any() for o in outs), "dropout inactive after train()"
    loss = loaded(x).sum()
    loss.backward()
    assert all(p.grad is not None for p in loaded.parameters())


def test_save_translated_layer_again(tmp_path):
    net = Two()
    paddle.jit.save(net, str(tmp_path / "a"), input_spec=_specs())
    loaded = paddle.jit.load(str(tmp_path / "a"))
    paddle.jit.save(loaded, str(tmp_path / "b"), input_spec=_specs())
    again = paddle.jit.load(str(tmp_path / "b"))
    a, b = paddle.randn([3, 4]), paddle.randn([3, 2])
    np.testing.assert_allclose(again(a, b)[0].numpy(), net(a, b)["sum"].numpy(), rtol=1e-6)


def test_unknown_config_refused_with_valid_list(tmp_path):
    with pytest.raises(ValueError, match="unknown config.*valid configs"):
        paddle.jit.save(Two(), str(tmp_path / "x"), input_spec=_specs(), bogus=1)
    assert not os.listdir(tmp_path)


def test_missing_input_spec_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="input_spec"):
        paddle.jit.save(Two(), str(tmp_path / "x"))


def test_tensor_dependent_if_converts(tmp_path):
    class Branchy(paddle.nn.Layer):
        def forward(self, x):
            if x.mean() > 0:
                return x * 2.0
            return -x

    prefix = str(tmp_path / "b")
    paddle.jit.save(Branchy(), prefix, input_spec=[InputSpec([None, 2], "float32")])
    loaded = paddle.jit.load(prefix)
    for v in (1.0, -1.0):
        x = paddle.full([3, 2], v)
        np.testing.assert_allclose(loaded(x).numpy(), Branchy()(x).numpy())


def test_unconvertible_truth_value_points_at_the_line(tmp_path):
    class Opaque(paddle.nn.Layer):
        def forward(self, x):
            flag = bool(x.mean() > 0)  # an explicit bool() cannot become a cond op
            return x if flag else -x

    with pytest.raises(ConversionError, match=r"test_jit_save_load.py:\d+"):
        paddle.jit.save(Opaque(), str(tmp_path / "x"), input_spec=[InputSpec([None, 2])])
    assert not os.listdir(tmp_path), "a failed save must leave nothing behind"


def test_failed_save_keeps_old_files(tmp_path):
    prefix = str(tmp_path / "m")
    paddle.jit.save(Two(), prefix, input_spec=_specs())
    before = {f: open(tmp_path / f, "rb").read() for f in os.listdir(tmp_path)}

    class Bad(Two):
        def forward(self, a, b):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        paddle.jit.save(Bad(), prefix, input_spec=_specs())
    after = {f: open(tmp_path / f, "rb").read() for f in os.listdir(tmp_path)}
    assert after == before


def test_wrong_input_shape_and_dtype_name_the_input(tmp_path):
    prefix = str(tmp_path / "two")
    paddle.jit.save(Two(), prefix, input_spec=_specs())
    loaded = paddle.jit.load(prefix)
    with pytest.raises(ValueError, match=r"input 0 \('a'\).*\[-1, 4\]"):
        loaded(paddle.ones([2, 5]), paddle.ones([2, 2]))
    with pytest.raises(TypeError, match=r"input 1 \('b'\).*float32"):
        loaded(paddle.ones([2, 4]), paddle.ones([2, 2], dtype="float64"))


def test_truncated_pdmodel_is_format_error(tmp_path):
    prefix = str(tmp_path / "two")
    paddle.jit.save(Two(), prefix, input_spec=_specs())
    data = open(prefix + ".pdmodel", "rb").read()
    open(prefix + ".pdmodel", "wb").write(data[: len(data) // 2])
    with pytest.raises(FormatError, match="two.pdmodel"):
        paddle.jit.load(prefix)


def test_params_not_matching_program(tmp_path):
    prefix = str(tmp_path / "two")
    paddle.jit.save(Two(), prefix, input_spec=_specs())
    formats.save_pdiparams({"only_one": np.zeros(3, "float32")}, prefix + ".pdiparams")
    with pytest.raises(FormatError, match="persistable"):
        paddle.jit.load(prefix)


def test_missing_info_loads_with_defaults(tmp_path):
    paddle.seed(3)
    net = Two()
    prefix = str(tmp_path / "two")
    paddle.jit.save(net, prefix, input_spec=_specs())
    os.unlink(prefix + ".pdiparams.info")
    loaded = paddle.jit.load(prefix)
    a, b = paddle.randn([2, 4]), paddle.randn([2, 2])
    np.testing.assert_allclose(loaded(a, b)[1].numpy(), net(a, b)["prod"].numpy(), rtol=1e-6)


def test_unknown_op_names_type_and_attrs(tmp_path):
    prefix = str(tmp_path / "lin")
    paddle.jit.save(paddle.nn.Linear(2, 2), prefix, input_spec=[InputSpec([None, 2])])
    prog = formats.load_program_desc(prefix + ".pdmodel")
    op = next(o for o in prog.global_block().ops if o.type == "matmul_v2")
    op.type = "fancy_matmul_v9"
    formats.save_program_desc(prog, prefix + ".pdmodel")
    with pytest.raises(OpNotFoundError, match="fancy_matmul_v9.*trans_x"):
        paddle.jit.load(prefix)


def test_executor_error_carries_printed_op(tmp_path):
    prefix = str(tmp_path / "lin")
    paddle.jit.save(paddle.nn.Linear(2, 2), prefix, input_spec=[InputSpec([None, 2])])
    prog = formats.load_program_desc(prefix + ".pdmodel")
    block = prog.global_block()
    block.vars["input"].shape = [-1, 3]  # lie about the input shape so matmul fails at run time
    formats.save_program_desc(prog, prefix + ".pdmodel")
    loaded = paddle.jit.load(prefix)
    with pytest.raises(ExecutionError, match="matmul_v2"):
        loaded(paddle.ones([1, 3]))


def test_dynamic_dims_survive_shape_arithmetic(tmp_path):
    class Shapes(paddle.nn.Layer):
        def forward(self, x):
            y = paddle.reshape(x, [-1, 6])
            y = paddle.flatten(paddle.unsqueeze(y, 1), 1)
            return paddle.transpose(paddle.reshape(y, [0, 2, 3]), [0, 2, 1])

    prefix = str(tmp_path / "s")
    paddle.jit.save(Shapes(), prefix, input_spec=[InputSpec([None, 2, 3], "float32", "x")])
    prog = formats.load_program_desc(prefix + ".pdmodel")
    out_var = prog.global_block().ops[-1].input("X")[0]
    assert prog.global_block().var(out_var).shape == [-1, 3, 2]
    loaded = paddle.jit.load(prefix)
    x = paddle.randn([7, 2, 3])
    assert loaded(x).shape == [7, 3, 2]


def test_to_static_decorated_forward_is_saved_without_input_spec(tmp_path):
    class Deco(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            self.fc = paddle.nn.Linear(3, 2)

        @paddle.jit.to_static(input_spec=[InputSpec([None, 3], "float32", "inp")])
        def forward(self, x):
            return self.fc(x)

    net = Deco()
    prefix = str(tmp_path / "d")
    paddle.jit.save(net, prefix)
    prog = formats.load_program_desc(prefix + ".pdmodel")
    assert prog.global_block().ops[0].output("Out") == ["inp"]
    x = paddle.randn([2, 3])
    np.testing.assert_allclose(paddle.jit.load(prefix)(x).numpy(), net(x).numpy(), rtol=1e-6)


def test_ir_program_verify_catches_dangling_input():
    p = ir.Program()
    b = p.global_block()
    b.append_op("relu", {"X": ["nope"]}, {"Out": ["y"]})
    with pytest.raises(Exception, match="nope"):
        p.verify()


def test_recording_does_not_leak_into_eager():
    from paddlefish.eager.dispatch import get_recorder

    assert get_recorder() is None
    with pytest.raises(ConversionError):
        paddle.jit.save(paddle.nn.Linear(2, 2), "/nonexistent-dir-xyz/a",
                        input_spec=[InputSpec([None, 3])])
    assert get_recorder() is None


def test_output_spec_keeps_selected_outputs(tmp_path):
    prefix = str(tmp_path / "two")
    paddle.jit.save(Two(), prefix, input_spec=_specs(), output_spec=[1])
    prog = formats.load_program_desc(prefix + ".pdmodel")
    assert [op.type for op in prog.global_block().ops].count("fetch") == 1
    loaded = paddle.jit.load(prefix)
    out = loaded(paddle.ones([2, 4]), paddle.ones([2, 2]))
    assert out.shape == [2, 3]
    with pytest.raises(ValueError, match="out of range"):
        paddle.jit.save(Two(), str(tmp_path / "x"), input_spec=_specs(), output_spec=[5])


def test_combine_params_writes_meta(tmp_path):
    prefix = str(tmp_path / "two")
    paddle.jit.save(Two(), prefix, input_spec=_specs(), combine_params=True)
    assert os.path.getsize(prefix + ".meta") == 0
    assert paddle.jit.load(prefix) is not None


def test_separate_params_directory(tmp_path):
    net = Two()
    d = str(tmp_path / "sep")
    paddle.jit.save(net, d, input_spec=_specs(), separate_params=True)
    assert "__model__" in os.listdir(d)
    loaded = paddle.jit.load(d)
    a, b = paddle.randn([2, 4]), paddle.randn([2, 2])
    np.testing.assert_allclose(loaded(a, b)[0].numpy(), net(a, b)["sum"].numpy(), rtol=1e-6)


def test_optional_forward_arguments_are_pruned(tmp_path):
    class WithLabel(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            self.fc = paddle.nn.Linear(3, 2)

        def forward(self, x, label=None):
            out = self.fc(x)
            if label is not None:  # training-only branch on a Python value
                return paddle.nn.functional.cross_entropy(out, label)
            return out

    net = WithLabel()
    prefix = str(tmp_path / "wl")
    paddle.jit.save(net, prefix, input_spec=[InputSpec([None, 3], "float32", "x")])
    prog = formats.load_program_desc(prefix + ".pdmodel")
    assert [op.output("Out")[0] for op in prog.global_block().ops if op.type == "feed"] == ["x"]
    x = paddle.randn([4, 3])
    np.testing.assert_allclose(paddle.jit.load(prefix)(x).numpy(), net(x).numpy(), rtol=1e-6)


def test_paddle_save_of_translated_layer_state_dict(tmp_path):
    net = Two()
    paddle.jit.save(net, str(tmp_path / "m"), input_spec=_specs())
    loaded = paddle.jit.load(str(tmp_path / "m"))
    paddle.save(loaded.state_dict(), str(tmp_path / "m.pdparams"))
    sd = paddle.load(str(tmp_path / "m.pdparams"))
    assert set(sd) == set(net.state_dict())
    fresh = Two()
    fresh.set_state_dict(sd)
    np.testing.assert_array_equal(fresh.fa.weight.numpy(), net.fa.weight.numpy())
