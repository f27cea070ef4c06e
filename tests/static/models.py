"""Static-graph model builders run unchanged by real Paddle (oracle subprocess) and paddlefish.

``SOURCE`` is Python text using only the ``paddle`` name: the test execs it with
``paddle = paddlefish``, the oracle script embeds it after ``import paddle``.
"""

SOURCE = '''
import numpy as np

INPUTS = {}  # kind -> the "x" data variable of the last build (save_inference_model feeds it)


def _clone_for_test(main):
    try:
        return main.clone(for_test=True)
    except TypeError:  # a Paddle 3.x PIR program: clone() only (save_inference_model sets is_test)
        return main.clone()


def _fresh_names(main):
    """Paddle 3.x PIR: static.nn names parameters from the legacy default program's generator,
    which unique_name.guard does not reset; reset it so every build names fc_0, conv2d_0..."""
    if "pir" in type(main).__module__:
        base = paddle.base
        base.framework.default_main_program()._name_generator = \
            base.unique_name.UniqueNameGenerator()


def _param_vars(main):
    if hasattr(main, "all_parameters"):
        return main.all_parameters()
    from paddle.static.pir_io import get_pir_parameters  # Paddle 3.x PIR
    return [v for v in get_pir_parameters(main)[0] if v.persistable]


def build(kind):
    """(main, startup, test_program, loss, out) of a static MLP or CNN trained with Adam;
    "cnn2" is the CNN of nn Layers (Paddle 3.x PIR static mode refuses static.nn.conv2d)."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    _fresh_names(main)
    with paddle.utils.unique_name.guard():
        with paddle.static.program_guard(main, startup):
            if kind == "mlp":
                x = paddle.static.data("x", [None, 6], "float32")
                h = paddle.static.nn.fc(x, 10, activation="relu")
                h = paddle.static.nn.fc(h, 8, activation="tanh")
                out = paddle.static.nn.fc(h, 3)
            elif kind == "cnn2":
                x = paddle.static.data("x", [None, 2, 6, 6], "float32")
                # no conv bias: before BN its gradient is ~0 and Adam would amplify rounding
                conv = paddle.nn.Conv2D(2, 4, 3, padding=1, bias_attr=False)
                c = paddle.nn.functional.relu(conv(x))
                c = paddle.nn.BatchNorm2D(4)(c)
                c = paddle.nn.functional.max_pool2d(c, 2, 2)
                out = paddle.nn.Linear(36, 3)(paddle.flatten(c, 1))
            else:
                x = paddle.static.data("x", [None, 2, 6, 6], "float32")
                c = paddle.static.nn.conv2d(x, 4, 3, padding=1, act="relu")
                c = paddle.static.nn.batch_norm(c)
                c = paddle.nn.functional.max_pool2d(c, 2, 2)
                out = paddle.static.nn.fc(c, 3)
            y = paddle.static.data("y", [None, 1], "int64")
            loss = paddle.mean(paddle.nn.functional.cross_entropy(out, y))
            test = _clone_for_test(main)
            INPUTS[kind] = x
            paddle.optimizer.Adam(learning_rate=0.01).minimize(loss)
    return main, startup, test, loss, out


def batch(kind, step):
    rng = np.random.RandomState(100 + step)
    shape = [8, 6] if kind == "mlp" else [8, 2, 6, 6]
    return {"x": rng.rand(*shape).astype("float32"),
            "y": rng.randint(0, 3, (8, 1)).astype("int64")}


def train(exe, main, loss, kind, steps):
    return [float(exe.run(main, feed=batch(kind, s), fetch_list=[loss])[0]) for s in steps]


def params(main):
    scope = paddle.static.global_scope()
    return {v.name: np.array(scope.find_var(v.name).get_tensor())
            for v in _param_vars(main)}
'''
