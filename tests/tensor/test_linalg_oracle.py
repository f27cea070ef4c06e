"""``paddle.linalg`` (and its Tensor methods / top-level names) against real Paddle 2.6 and 3.3
through the table machinery: values, dtypes, shapes, and which calls fail."""

from __future__ import annotations

import pytest

from tests.tensor.test_functional_oracle import ORACLE, _oracle, compare, run_cases

pytestmark = pytest.mark.oracle

SPD = "T(a[:, :3].T @ a[:, :3] + np.eye(3, dtype='float32'))"  # symmetric positive definite
SQ = "T(a[:, :3] + np.eye(3, dtype='float32') * 2)"
BATCH = "T(c[:, :, :3] + np.eye(3, dtype='float32'))"
L = "paddle.linalg"
CASES = {
    "cholesky": f"{L}.cholesky({SPD})",
    "cholesky_upper": f"{L}.cholesky({SPD}, upper=True)",
    "cholesky_top": f"paddle.cholesky({SPD})",
    "cholesky_method": f"{SPD}.cholesky()",
    "cholesky_solve": f"{L}.cholesky_solve(T(b[:3, :2]), {L}.cholesky({SPD}))",
    "cholesky_solve_up": f"{L}.cholesky_solve(T(b[:3, :2]), {L}.cholesky({SPD}, upper=True), "
    "upper=True)",
    "cond": f"{L}.cond({SQ})",
    "cond_fro": f"{L}.cond({SQ}, p='fro')",
    "cond_nuc": f"{L}.cond({SQ}, p='nuc')",
    "cond_inf": f"{L}.cond({SQ}, p=float('inf'))",
    "cond_m1": f"{L}.cond({SQ}, p=-1)",
    "cond_m2": f"{L}.cond({BATCH}, p=-2)",
    "cov": f"{L}.cov(T(a))",
    "cov_cols_ddof0": f"{L}.cov(T(a), rowvar=False, ddof=False)",
    "cov_weights": f"{L}.cov(T(a), fweights=T(np.array([1, 2, 1, 3])), "
    "aweights=T(np.abs(v4) + 0.1))",
    "corrcoef": f"{L}.corrcoef(T(a))",
    "corrcoef_cols": f"{L}.corrcoef(T(a), rowvar=False)",
    "det": f"{L}.det({SQ})",
    "det_batch": f"{L}.det({BATCH})",
    "slogdet": f"{L}.slogdet({SQ})",
    "slogdet_batch": f"{L}.slogdet({BATCH})",
    "inv": f"{L}.inv({SQ})",
    "eig": f"{L}.eig({SQ})",
    "eigvals": f"{L}.eigvals({SQ})",
    # eigenvectors are unique up to sign: compare them with each column's first entry made >= 0
    "eigh": f"(lambda w, v: [w, v * paddle.sign(v[0:1])])(*{L}.eigh({SPD}))",
    "eigh_U": f"(lambda w, v: [w, v * paddle.sign(v[0:1])])(*{L}.eigh({SPD}, UPLO='U'))",
    "eigvalsh": f"{L}.eigvalsh({SPD})",
    "eigvalsh_top": f"paddle.eigvalsh({SPD}, 'U')",
    "eigh_bad_uplo": f"{L}.eigh({SPD}, UPLO='X')",
    "householder": f"{L}.householder_product(T(a[:, :2]), T(v4[:2]))",
    "lstsq": f"{L}.lstsq(T(a), T(b[:3, :2]))[0]",
    "lstsq_gelsd": f"{L}.lstsq(T(a[:, :3].T @ a[:, :3] + np.eye(3, dtype='float32')), "
    "T(b[:3, :2]), driver='gelsd')",
    "lu": f"{L}.lu({SQ})",
    "lu_infos": f"{L}.lu({BATCH}, get_infos=True)",
    "lu_unpack": f"{L}.lu_unpack(*{L}.lu({SQ}))",
    "matrix_power": f"{L}.matrix_power({SQ}, 3)",
    "matrix_power_neg": f"{L}.matrix_power({SQ}, -2)",
    "matrix_rank": f"{L}.matrix_rank(T(a))",
    "matrix_rank_tol": f"{L}.matrix_rank(T(a), tol=1.0)",
    "matrix_rank_herm": f"{L}.matrix_rank({SPD}, hermitian=True)",
    "multi_dot": f"{L}.multi_dot([T(a), T(b), T(b.T)])",
    "pinv": f"{L}.pinv(T(a))",
    "pinv_herm": f"{L}.pinv({SPD}, hermitian=True)",
    "qr": f"{L}.qr(T(a))",
    "qr_complete": f"{L}.qr(T(a), mode='complete')",
    "qr_r": f"{L}.qr(T(a), mode='r')",
    "solve": f"{L}.solve({SQ}, T(b[:3, :2]))",
    "svd": f"{L}.svd(T(a))",
    "svd_full": f"{L}.svd(T(a), full_matrices=True)",
    "triangular_solve": f"{L}.triangular_solve(paddle.triu({SQ}), T(b[:3, :2]))",
    "triangular_solve_lt": f"{L}.triangular_solve(paddle.tril({SQ}), T(b[:3, :2]), upper=False, "
    "transpose=True, unitriangular=True)",
    "norm": f"{L}.norm(T(a), p=1, axis=1)",
    "cdist": "paddle.cdist(T(a), T(a[:2] * 2))",
    "cdist_p1": "paddle.cdist(T(c), T(c * 0.5), p=1.0)",
    "m_solve": f"{SQ}.solve(T(b[:3, :2]))",
    "m_matrix_power": f"{SQ}.matrix_power(2)",
}


# Where Paddle 2.6 and 3.3 differ, paddlefish follows 3.3: matrix_rank returns int64 (2.6:
# int32) and eigh refuses an UPLO other than 'L'/'U' (2.6 silently accepts it).
ONLY_33 = {"matrix_rank", "matrix_rank_tol", "matrix_rank_herm", "eigh_bad_uplo"}


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_linalg_matches_paddle(tmp_path, version):
    import paddlefish as paddle

    cases = {k: v for k, v in CASES.items() if version == "3.3" or k not in ONLY_33}
    ref = _oracle(tmp_path, ORACLE, cases, version)
    ours = run_cases(paddle, cases)
    bad = compare(ours, ref, cases)
    assert not bad, f"{len(bad)} of {len(cases)} differ from Paddle {version}:\n" + "\n".join(bad)
