"""Static-graph model builders run unchanged by real Paddle (oracle subprocess) and paddlefish.

``SOURCE`` is Python text using only the ``paddle`` name: the test execs it with
``paddle = paddlefish``, the oracle script embeds it after ``import paddle``.
"""

SOURCE = '''
import numpy as np


def build(kind):
    """(main, startup, test_program, loss, out) of a static MLP or CNN trained with Adam."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.utils.unique_name.guard():
        with paddle.static.program_guard(main, startup):
            if kind == "mlp":
                x = paddle.static.data("x", [None, 6], "float32")
                h = paddle.static.nn.fc(x, 10, activation="relu")
                h = paddle.static.nn.fc(h, 8, activation="tanh")
                out = paddle.static.nn.fc(h, 3)
            else:
                x = paddle.static.data("x", [None, 2, 6, 6], "float32")
                c = paddle.static.nn.conv2d(x, 4, 3, padding=1, act="relu")
                c = paddle.static.nn.batch_norm(c)
                c = paddle.nn.functional.max_pool2d(c, 2, 2)
                out = paddle.static.nn.fc(c, 3)
            y = paddle.static.data("y", [None, 1], "int64")
            loss = paddle.mean(paddle.nn.functional.cross_entropy(out, y))
            test = main.clone(for_test=True)
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
            for v in main.all_parameters()}
'''
