"""An unmodified Paddle 2.x high-level-API program: ``paddle.Model`` fit/evaluate/predict with
callbacks, ``Model.save``/``load``, ``paddle.summary`` and ``paddle.flops``.

Runs on real Paddle (2.6, 3.3) and on paddlefish through the stand-in; weights are set from numpy
so that every framework computes the same numbers. argv: OUT_DIR [LOAD_PREFIX]
The last stdout line is JSON with the per-step losses/metrics and the results.
"""

import json
import os
import sys

import numpy as np
import paddle
import paddle.nn as nn
from paddle.io import Dataset
from paddle.static import InputSpec


class Net(nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Points(Dataset):
    def __init__(self, n, seed):
        rng = np.random.RandomState(seed)
        self.x = rng.randn(n, 4).astype("float32")
        self.y = (np.abs(self.x[:, :1]) * 2).clip(0, 2).astype("int64")

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __len__(self):
        return len(self.x)


class Recorder(paddle.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.steps = []
        self.evals = []
        self.epochs = []

    def on_train_batch_end(self, step, logs=None):
        self.steps.append([step, float(logs["loss"][0]), float(logs["acc"]), logs["batch_size"],
                           float(self.model._optimizer.get_lr())])

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append(epoch)

    def on_eval_end(self, logs=None):
        self.evals.append([float(logs["loss"][0]), float(logs["acc"])])


out = sys.argv[1]
load_from = sys.argv[2] if len(sys.argv) > 2 else None
net = Net()
rng = np.random.RandomState(0)
for p in net.parameters():
    p.set_value(rng.uniform(-0.5, 0.5, p.shape).astype("float32"))

model = paddle.Model(net, InputSpec([None, 4], "float32", "x"), InputSpec([None, 1], "int64", "y"))
sched = paddle.optimizer.lr.StepDecay(learning_rate=0.05, step_size=3, gamma=0.5)
opt = paddle.optimizer.Adam(learning_rate=sched, parameters=model.parameters())
model.prepare(opt, nn.CrossEntropyLoss(), paddle.metric.Accuracy())
result = {}
if load_from:
    model.load(load_from)
    result["loaded_eval"] = {k: np.asarray(v).ravel().tolist()
                             for k, v in model.evaluate(Points(16, 2), batch_size=8, verbose=0).items()}
    result["loaded_lr"] = float(opt.get_lr())
    model.fit(Points(24, 1), batch_size=8, epochs=1, verbose=0, shuffle=False)
    result["after_fit_params"] = [p.numpy().ravel()[:5].tolist() for p in net.parameters()]
    print(json.dumps(result))
    sys.exit(0)

rec = Recorder()
stop = paddle.callbacks.EarlyStopping(monitor="acc", mode="max", patience=5, save_best_model=True)
model.fit(Points(40, 1), Points(16, 2), batch_size=8, epochs=2, log_freq=2, verbose=2,
          save_dir=os.path.join(out, "ckpt"), callbacks=[rec, stop])
result["steps"] = rec.steps
result["evals"] = rec.evals
result["epochs"] = rec.epochs
ev = model.evaluate(Points(16, 2), batch_size=8, log_freq=1, verbose=2)
result["evaluate"] = {k: np.asarray(v).ravel().tolist() for k, v in ev.items()}
pred = model.predict(Points(10, 3), batch_size=4, stack_outputs=True, verbose=2)
result["predict_stacked"] = [np.asarray(p).shape for p in pred] and pred[0][:3].tolist()
pred2 = model.predict(Points(10, 3), batch_size=4, stack_outputs=False, verbose=0)
result["predict_lists"] = [len(pred2), len(pred2[0]), list(pred2[0][0].shape)]
x, y = Points(6, 4).x, Points(6, 4).y
result["train_batch"] = [np.asarray(v).ravel().tolist() for v in model.train_batch([x], [y])[0]]
result["eval_batch"] = [np.asarray(v).ravel().tolist() for v in model.eval_batch([x], [y])[0]]
result["predict_batch"] = model.predict_batch([x])[0][:2].tolist()
model.save(os.path.join(out, "trained"))
model.save(os.path.join(out, "infer", "net"), training=False)
info = paddle.summary(net, (1, 4))
result["summary"] = {k: int(v) for k, v in info.items()}
try:
    result["flops"] = int(paddle.flops(net, [1, 4], print_detail=False))
except TypeError as e:  # Paddle 3.3 with NumPy 2: int() of a shape-[1] Tensor fails in flops
    result["flops"] = f"TypeError: {e}"

# part 2: a DataLoader, float LR with ReduceLROnPlateau, EarlyStopping stopping, gradient
# accumulation, the live progress bar (verbose=1)
net2 = Net()
for p in net2.parameters():
    p.set_value(rng.uniform(-0.5, 0.5, p.shape).astype("float32"))
model2 = paddle.Model(net2)
opt2 = paddle.optimizer.Momentum(learning_rate=0.2, momentum=0.9, parameters=net2.parameters())
model2.prepare(opt2, nn.CrossEntropyLoss(), paddle.metric.Accuracy(topk=(1, 2)))
rec2 = []


class LossLog(paddle.callbacks.Callback):
    def on_train_batch_end(self, step, logs=None):
        rec2.append([float(logs["loss"][0]), float(self.model._optimizer.get_lr())])


loader = paddle.io.DataLoader(Points(40, 5), batch_size=8, shuffle=False)
model2.fit(loader, paddle.io.DataLoader(Points(16, 6), batch_size=8), epochs=6, log_freq=1,
           verbose=1, accumulate_grad_batches=2, callbacks=[
               LossLog(), paddle.callbacks.ReduceLROnPlateau(monitor="loss", patience=1, factor=0.5),
               paddle.callbacks.EarlyStopping(monitor="acc_top2", patience=2, min_delta=0.01,
                                              save_best_model=False)])
result["part2"] = rec2
result["part2_inputs"] = [[s.name, list(s.shape)] for s in model2._inputs]

# part 3: LR scheduler stepped by epoch, num_iters, verbose=0
net3 = Net()
for p in net3.parameters():
    p.set_value(rng.uniform(-0.5, 0.5, p.shape).astype("float32"))
model3 = paddle.Model(net3)
sched3 = paddle.optimizer.lr.StepDecay(learning_rate=0.1, step_size=1, gamma=0.5)
model3.prepare(paddle.optimizer.SGD(learning_rate=sched3, parameters=net3.parameters()),
               nn.CrossEntropyLoss())
rec3 = []


class LrLog(paddle.callbacks.Callback):
    def on_train_batch_end(self, step, logs=None):
        rec3.append([step, float(logs["loss"][0]), float(self.model._optimizer.get_lr())])


model3.fit(Points(40, 7), batch_size=8, epochs=5, verbose=0, num_iters=7, callbacks=[
    LrLog(), paddle.callbacks.LRScheduler(by_step=False, by_epoch=True)])
result["part3"] = rec3
result["part3_stop"] = bool(model3.stop_training)
model3.save(os.path.join(out, "sgd"))
result["files"] = sorted(
    os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs
)
result["params"] = [p.numpy().ravel()[:5].tolist() for p in net.parameters()]
print(json.dumps(result))
