"""``paddle.sparse`` without the oracle: docstring examples, gradients Paddle 2.6 cannot give on
CPU (CSR through matmul, masked_matmul) checked against the dense computation, the Tensor
methods on dense tensors, and the errors (wrong input, unsupported layouts, what is left)."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest

import paddlefish as paddle

sp = paddle.sparse
D = np.array([[0, 1.5, 0, -2], [0, 0, 3, 0], [4, 0, 0, 0.5]], "float32")
Y = np.arange(8, dtype="float32").reshape(4, 2) - 3


@pytest.mark.parametrize(
    "name",
    [
        "paddlefish.sparse",
        "paddlefish.sparse._methods",
        "paddlefish.sparse.creation",
        "paddlefish.sparse.unary",
        "paddlefish.sparse.binary",
        "paddlefish.sparse.multiary",
        "paddlefish.sparse.nn.functional.activation",
        "paddlefish.sparse.nn.layer.activation",
    ],
)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, result


def _leaf(fmt):
    t = paddle.to_tensor(D)
    t = t.to_sparse_coo(2) if fmt == "coo" else t.to_sparse_csr()
    t.stop_gradient = False
    return t


def _dense_grad(fn):
    x = paddle.to_tensor(D)
    x.stop_gradient = False
    fn(x).backward()
    return x.grad.numpy()[D != 0]


@pytest.mark.parametrize("fmt", ["coo", "csr"])
def test_matmul_and_mv_gradients_reach_the_sparse_values(fmt):
    y = paddle.to_tensor(Y)
    t = _leaf(fmt)
    r = sp.matmul(t, y)
    (r * r).sum().backward()
    assert t.grad.is_sparse_coo() == (fmt == "coo") and t.grad.is_sparse_csr() == (fmt == "csr")
    want = _dense_grad(lambda x: (paddle.matmul(x, y) ** 2).sum())
    np.testing.assert_allclose(t.grad.values().numpy(), want, rtol=1e-5)
    t = _leaf(fmt)
    v = paddle.to_tensor([1.0, -2.0, 3.0, 0.5])
    sp.mv(t, v).sum().backward()
    np.testing.assert_allclose(
        t.grad.values().numpy(), _dense_grad(lambda x: paddle.mv(x, v).sum()), rtol=1e-5
    )


def test_masked_matmul_values_and_gradient_equal_the_dense_product_at_the_mask():
    a = paddle.to_tensor(np.arange(12, dtype="float32").reshape(3, 4) / 10)
    b = paddle.to_tensor(np.arange(16, dtype="float32").reshape(4, 4) / 10 - 0.5)
    a.stop_gradient = False
    m = np.array([[1, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 1]], "float32")
    r = sp.masked_matmul(a, b, paddle.to_tensor(m).to_sparse_csr())
    full = a.numpy() @ b.numpy()
    np.testing.assert_allclose(r.values().numpy(), full[m != 0], rtol=1e-5)
    r.values().sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), m @ b.numpy().T, rtol=1e-5)


def test_csr_leaf_gradient_through_to_dense_and_values():
    t = _leaf("csr")
    (t.to_dense() ** 2).sum().backward()
    np.testing.assert_allclose(t.grad.values().numpy(), 2 * D[D != 0], rtol=1e-6)
    t = _leaf("csr")
    (t.values() * 3).sum().backward()
    np.testing.assert_allclose(t.grad.values().numpy(), np.full(5, 3.0), rtol=1e-6)


def test_sparse_by_sparse_matmul_is_the_sparse_product():
    x = paddle.to_tensor(D).to_sparse_coo(2)
    y = paddle.to_tensor(Y * (Y > 0)).to_sparse_coo(2)
    r = sp.matmul(x, y)
    assert r.is_sparse_coo()
    np.testing.assert_allclose(r.to_dense().numpy(), D @ (Y * (Y > 0)), rtol=1e-6)


def test_sparse_methods_on_dense_tensors_and_flags():
    d = paddle.to_tensor(D)
    assert not d.is_sparse() and d.is_dense() and d.to_dense() is d
    x = d.to_sparse_coo(2)
    assert not x.is_dense() and x.coalesce().nnz() == 5
    assert x.to_sparse_coo(2) is not None and x.to_sparse_csr().to_sparse_coo(2).nnz() == 5


def test_index_cast_is_reported_by_indices():
    x = sp.sparse_coo_tensor(paddle.to_tensor([[0, 1], [1, 0]], dtype="int32"), [1.0, 2.0])
    assert x.indices().dtype == paddle.int32 and x.shape == [2, 2]


def test_wrong_inputs_say_what_and_how():
    d = paddle.to_tensor(D)
    with pytest.raises(TypeError, match="SparseCooTensor or SparseCsrTensor.*to_sparse_coo"):
        sp.sin(d)
    with pytest.raises(TypeError, match="SparseCooTensor"):
        d.to_sparse_csr().indices()
    with pytest.raises(TypeError, match="both be COO or both be CSR"):
        sp.add(d.to_sparse_coo(2), d.to_sparse_csr())
    with pytest.raises(ValueError, match="same shape"):
        sp.add(d.to_sparse_coo(2), paddle.ones([4, 3]).to_sparse_coo(2))
    with pytest.raises(ValueError, match="minimun shape"):
        sp.sparse_coo_tensor([[0, 3]], [1.0, 2.0], [2])
    with pytest.raises(ValueError, match="same number of non-zero"):
        sp.sparse_coo_tensor([[0, 1]], [1.0], [2])
    with pytest.raises(TypeError, match="dtype of indices"):
        sp.sparse_coo_tensor(paddle.to_tensor([[0.0, 1.0]]), [1.0, 2.0])
    with pytest.raises(ValueError, match="crows must be equal to the rows"):
        sp.sparse_csr_tensor([0, 1], [0], [1.0], [2, 2])
    with pytest.raises(ValueError, match="do not multiply"):
        sp.matmul(d.to_sparse_coo(2), paddle.ones([3, 2]))
    with pytest.raises(ValueError, match="axis None or -1"):
        sp.sum(d.to_sparse_csr(), axis=0)


def test_numpy_of_a_sparse_tensor_says_how_to_get_its_parts():
    with pytest.raises(TypeError, match=r"to_dense\(\)\.numpy\(\)"):
        paddle.to_tensor(D).to_sparse_csr().numpy()
    assert paddle.to_tensor(D).numpy().shape == (3, 4)


def test_batched_csr_with_unequal_nnz_is_refused_with_the_reason():
    d3 = np.zeros((2, 2, 2), "float32")
    d3[0, 0, 0], d3[1, 0, 0], d3[1, 1, 1] = 1, 2, 3
    with pytest.raises(NotImplementedError, match="equal nnz"):
        paddle.to_tensor(d3).to_sparse_csr()
    with pytest.raises(NotImplementedError, match="equal nnz"):
        sp.sparse_csr_tensor([0, 1, 1, 0, 1, 2], [0, 0, 1], [1.0, 2.0, 3.0], [2, 2, 2])


@pytest.mark.parametrize(
    "name",
    ["Conv2D", "Conv3D", "SubmConv2D", "SubmConv3D", "MaxPool3D", "BatchNorm", "SyncBatchNorm"],
)
def test_left_layers_raise_not_implemented_with_the_reason(name):
    with pytest.raises(NotImplementedError, match=f"paddle.sparse.nn.{name} is not implemented"):
        getattr(sp.nn, name)(3, 4, 3)


@pytest.mark.parametrize(
    "name", ["conv2d", "conv3d", "subm_conv2d", "subm_conv3d", "max_pool3d", "attention"]
)
def test_left_functions_raise_not_implemented(name):
    with pytest.raises(NotImplementedError, match="rulebook"):
        getattr(sp.nn.functional, name)(None)
    with pytest.raises(NotImplementedError, match="CUDA 11"):
        sp.pca_lowrank(paddle.to_tensor(D).to_sparse_coo(2))


def test_unknown_names_raise_paddle_name_missing():
    with pytest.raises(AttributeError, match="paddle.sparse"):
        sp.no_such_function  # noqa: B018


@pytest.mark.parametrize("fmt", ["coo", "csr"])
def test_batched_matmul_gradients_equal_the_dense_ones(fmt):
    d3 = np.zeros((2, 3, 4), "float32")
    d3[0, 0, 1], d3[0, 2, 3], d3[1, 1, 0], d3[1, 2, 2] = 1.0, 2.0, -3.0, 4.0
    y3 = np.arange(24, dtype="float32").reshape(2, 4, 3) / 7
    t = paddle.to_tensor(d3)
    t = t.to_sparse_coo(3) if fmt == "coo" else t.to_sparse_csr()
    t.stop_gradient = False
    y = paddle.to_tensor(y3)
    y.stop_gradient = False
    (sp.matmul(t, y) ** 2).sum().backward()
    xd, yd = paddle.to_tensor(d3), paddle.to_tensor(y3)
    xd.stop_gradient = yd.stop_gradient = False
    (paddle.matmul(xd, yd) ** 2).sum().backward()
    np.testing.assert_allclose(t.grad.values().numpy(), xd.grad.numpy()[d3 != 0], rtol=1e-5)
    np.testing.assert_allclose(y.grad.numpy(), yd.grad.numpy(), rtol=1e-5)


def test_integer_matmul_uses_the_gather_path():
    di = np.array([[0, 2], [3, 0]], "int64")
    r = sp.matmul(paddle.to_tensor(di).to_sparse_csr(), paddle.to_tensor(np.eye(2, dtype="int64")))
    assert r.dtype == paddle.int64 and r.numpy().tolist() == di.tolist()


def test_csr_with_unsorted_columns_converts_and_multiplies_correctly():
    # columns of row 0 given as [3, 1]: valid CSR, not sorted
    c = sp.sparse_csr_tensor([0, 2, 3], [3, 1, 0], [1.0, 2.0, 3.0], [2, 4])
    want = np.array([[0, 2.0, 0, 1.0], [3.0, 0, 0, 0]], "float32")
    np.testing.assert_array_equal(c.to_dense().numpy(), want)
    coo = c.to_sparse_coo(2)
    assert coo.indices().tolist() == [[0, 0, 1], [3, 1, 0]]
    np.testing.assert_array_equal(sp.coalesce(coo).indices().numpy(), [[0, 0, 1], [1, 3, 0]])
    y = np.arange(8, dtype="float32").reshape(4, 2)
    np.testing.assert_allclose(sp.matmul(c, paddle.to_tensor(y)).numpy(), want @ y)
    c3 = sp.sparse_csr_tensor([0, 2, 0, 2], [1, 0, 1, 0], [1.0, 2.0, 3.0, 4.0], [2, 1, 2])
    y3 = np.arange(4, dtype="float32").reshape(2, 2, 1)
    np.testing.assert_allclose(
        sp.matmul(c3, paddle.to_tensor(y3)).numpy(), c3.to_dense().numpy() @ y3
    )
