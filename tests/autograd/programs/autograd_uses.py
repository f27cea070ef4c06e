"""Ordinary ``paddle.autograd`` uses, run unmodified by real Paddle and by paddlefish's
stand-in; prints one JSON line of every value observed."""

import json

import numpy as np
import paddle
from paddle.autograd import PyLayer

out = {}


def arr(t):
    return np.asarray(t.numpy() if hasattr(t, "numpy") else t).round(5).tolist()


class ScaledSquare(PyLayer):
    @staticmethod
    def forward(ctx, x, k=2.0, func=paddle.square):
        ctx.k, ctx.func = k, func
        ctx.save_for_backward(x)
        return func(x) * k, x + 1

    @staticmethod
    def backward(ctx, dy, dz):
        (x,) = ctx.saved_tensor()
        return dy * 2 * x * ctx.k + dz


a = paddle.to_tensor([1.0, 2.0, 3.0], stop_gradient=False)
y, z = ScaledSquare.apply(a, k=3.0)
(y.sum() + (z * z).sum()).backward()
out["pylayer"] = [arr(y), arr(z), arr(a.grad), y.stop_gradient]


class MulAdd(PyLayer):  # two inputs, one of them not trainable: its gradient is dropped
    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return x * w + 1

    @staticmethod
    def backward(ctx, dy):
        x, w = ctx.saved_tensor()
        return dy * w, (None if w.stop_gradient else dy * x)


class MulAddWrong(MulAdd):  # returns a gradient for the non-trainable input
    @staticmethod
    def backward(ctx, dy):
        x, w = ctx.saved_tensor()
        return dy * w, dy * x


b = paddle.to_tensor([1.0, -2.0], stop_gradient=False)
w = paddle.to_tensor([3.0, 4.0])
r = MulAdd.apply(b, w)
(r * r).sum().backward()
out["muladd"] = [arr(r), arr(b.grad), w.grad is None]
try:
    MulAddWrong.apply(b, w).sum().backward()
    out["muladd_wrong"] = "no error"
except ValueError as e:
    out["muladd_wrong"] = "should return None at 1 position" in str(e)


class Clip(PyLayer):  # second output marked non-differentiable
    @staticmethod
    def forward(ctx, x):
        mask = (x > 0).astype("float32")
        ctx.mark_non_differentiable(mask)
        ctx.save_for_backward(mask)
        return x * mask, mask

    @staticmethod
    def backward(ctx, dy, dmask):
        (mask,) = ctx.saved_tensor()
        return dy * mask


c = paddle.to_tensor([-1.0, 0.5, 2.0], stop_gradient=False)
v, m = Clip.apply(c)
(v * 3).sum().backward()
out["clip"] = [arr(v), arr(m), m.stop_gradient, arr(c.grad)]

# paddle.autograd.backward with seeds
p = paddle.to_tensor([2.0, 3.0], stop_gradient=False)
q1, q2 = p * p, p * 3
paddle.autograd.backward([q1, q2], [paddle.to_tensor([1.0, 0.5]), None])
out["backward"] = arr(p.grad)

# jacobian / hessian
x = paddle.to_tensor([1.0, 2.0, 3.0], stop_gradient=False)
J = paddle.autograd.jacobian(x * x.sum(), x)
out["jac"] = [J.shape, arr(J[:]), arr(J[0]), arr(J[:, 1]), arr(J[1, 2]), arr(J * 2)]
xb = paddle.to_tensor([[1.0, 2.0], [3.0, 4.0]], stop_gradient=False)
Jb = paddle.autograd.jacobian(xb * xb, xb, batch_axis=0)
out["jac_batched"] = [Jb.shape, arr(Jb[:]), arr(Jb[1])]
x2 = paddle.to_tensor([0.5, -1.0], stop_gradient=False)
Jt = paddle.autograd.jacobian([x * 2, x.sum()], [x, x2])
out["jac_tuple"] = [[Jij.shape for Jij in row] for row in Jt] + [arr(Jt[1][0][:]), arr(Jt[0][1][:])]
H = paddle.autograd.hessian((x**3).sum() + (x * x).sum() * x.sum(), x)
out["hess"] = [type(H).__name__, H.shape, arr(H[:])]
Hb = paddle.autograd.hessian((xb**3).sum(axis=1), xb, batch_axis=0)
out["hess_batched"] = [Hb.shape, arr(Hb[:])]
errs = []
for f in (
    lambda: paddle.autograd.jacobian(xb, xb),
    lambda: paddle.autograd.jacobian(x, x, batch_axis=1),
    lambda: paddle.autograd.hessian(x * 2, x),
    lambda: J[..., 0],
):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the messages are compared
        errs.append(f"{type(e).__name__}: {e}")
out["errors"] = errs

# saved_tensors_hooks: pack/unpack see paddle Tensors
packed = []


def pack(t):
    packed.append(t.shape)
    return t.numpy()


def unpack(a):
    return paddle.to_tensor(a)


with paddle.autograd.saved_tensors_hooks(pack, unpack):
    s = paddle.to_tensor([1.0, 2.0], stop_gradient=False)
    loss = (s * s).sum()
loss.backward()
out["hooks"] = [len(packed) > 0, all(sh == [2] for sh in packed), arr(s.grad)]
print(json.dumps(out))
