"""Tensor functions added from the API gap (``tensor/extra.py``) against real Paddle 2.6 and 3.3
through the table machinery (values, dtypes, shapes, which calls fail); random ones by shape and
dtype only."""

from __future__ import annotations

import pytest

from tests.tensor.test_functional_oracle import ORACLE, _oracle, compare, run_cases

pytestmark = pytest.mark.oracle

CASES = {
    "complex": "paddle.complex(T(a), T(a * 0.5))",
    "complex_bcast": "paddle.complex(T(a), T(v4))",
    "as_complex": "paddle.as_complex(T(c[:, :, :2].copy()))",
    "as_real": "paddle.as_real(paddle.complex(T(a), T(a * 2)))",
    "as_real_method": "paddle.complex(T(a), T(a)).as_real()",
    "as_strided": "paddle.as_strided(T(a), [2, 2], [4, 1], 4)",  # offset in bytes, as Paddle
    "as_strided_0": "paddle.as_strided(T(a), [3, 2], [1, 3])",
    "polar": "paddle.polar(T(np.abs(a)), T(a))",
    "frexp": "paddle.frexp(T(a * 10))",
    "frexp_f64": "paddle.frexp(T((a * 10).astype('float64')))",
    "logspace": "paddle.logspace(0, 2, 5)",
    "logspace_base2_f64": "paddle.logspace(-1, 3, 4, base=2.0, dtype='float64')",
    "logspace_int": "paddle.logspace(0, 3, 4, dtype='int64')",
    "vander": "paddle.vander(T(v4))",
    "vander_inc_n": "paddle.vander(T(v4), n=3, increasing=True)",
    "vander_int": "paddle.vander(T(np.array([1, 2, 3])), n=4)",
    "vander_2d": "paddle.vander(T(a))",
    "diagonal_scatter": "paddle.diagonal_scatter(T(a), T(v4[:3]))",
    "diagonal_scatter_off": "paddle.diagonal_scatter(T(c), T(np.ones((3, 2), 'float32')), offset=1, "
    "axis1=0, axis2=2)",
    "select_scatter": "paddle.select_scatter(T(a), T(v4), 0, 1)",
    "select_scatter_ax1": "paddle.select_scatter(T(c), T(np.ones((2, 4), 'float32')), 1, -1)",
    "unfold": "paddle.unfold(T(np.arange(10.0, dtype='float32')), 0, 3, 2)",
    "unfold_method": "T(c).unfold(2, 2, 1)",
    "shard_index": "paddle.shard_index(T(np.array([[16], [1], [11], [19]], 'int64')), 20, 2, 0)",
    "shard_index_1": "paddle.shard_index(T(np.array([[16], [1], [11], [19]], 'int64')), 20, 2, 1, "
    "ignore_value=-5)",
    "combinations": "paddle.combinations(T(v4))",
    "combinations_r3_rep": "paddle.combinations(T(np.array([1, 2, 3])), r=3, with_replacement=True)",
    "randint_like": "paddle.to_tensor(paddle.randint_like(T(a), 0, 5).shape + "
    "[int(paddle.randint_like(T(a), 0, 5).max() < 5)])",
    "randint_like_dtype": "paddle.randint_like(T(a), 3, dtype='int32') * 0",
    "poisson": "paddle.poisson(T(np.abs(a))) * 0",
}


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_extra_functions_match_paddle(tmp_path, version):
    import paddlefish as paddle

    ref = _oracle(tmp_path, ORACLE, CASES, version)
    ours = run_cases(paddle, CASES)
    bad = compare(ours, ref, CASES)
    assert not bad, f"{len(bad)} of {len(CASES)} differ from Paddle {version}:\n" + "\n".join(bad)


def test_is_same_shape():
    import paddlefish as paddle

    assert paddle.ones([2, 3]).is_same_shape(paddle.zeros([2, 3]))
    assert not paddle.is_same_shape(paddle.ones([2, 3]), paddle.ones([3, 2]))
