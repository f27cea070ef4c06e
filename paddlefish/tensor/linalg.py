"""``paddle.linalg``: decompositions, solvers and matrix functions with Paddle's signatures and
return conventions (``svd`` -> ``(U, S, VH)``, ``slogdet`` -> one stacked ``[2, ...]`` tensor,
``lu`` pivots 1-based int32, ``triangular_solve(x=A, y=B)``, ``cholesky_solve(x=B, y=L)``),
computed by ``torch.linalg`` eagerly (NOTE [eager-only functions]).

>>> import paddlefish as paddle
>>> a = paddle.to_tensor([[4.0, 1.0], [1.0, 3.0]])
>>> [[round(float(v), 4) for v in row] for row in paddle.linalg.cholesky(a).numpy()]
[[2.0, 0.0], [0.5, 1.6583]]
>>> [round(float(v), 4) for v in paddle.linalg.solve(a, paddle.to_tensor([1.0, 2.0])).numpy()]
[0.0909, 0.6364]
"""

from __future__ import annotations

import torch

from ..eager.tensor import Tensor, wrap
from .math import _eager, norm
from .math import inverse as inv

__all__ = [
    "cdist",
    "cholesky",
    "cholesky_solve",
    "cond",
    "corrcoef",
    "cov",
    "det",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "householder_product",
    "inv",
    "lstsq",
    "lu",
    "lu_unpack",
    "matrix_exp",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pca_lowrank",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "triangular_solve",
]


def _one(name, x):
    (t,) = _eager("linalg." + name, x)
    return t


def cholesky(x, upper=False, name=None):
    """Cholesky factor of a symmetric positive-definite matrix (lower unless ``upper``)."""
    return wrap(torch.linalg.cholesky(_one("cholesky", x), upper=upper))


def cholesky_solve(x, y, upper=False, name=None):
    """Solve ``A X = x`` given ``y``, the Cholesky factor of ``A``."""
    b, factor = _eager("linalg.cholesky_solve", x, y)
    return wrap(torch.cholesky_solve(b, factor, upper=upper))


def cond(x, p=None, name=None):
    """Condition number in norm ``p`` (None: 2-norm; 'fro', 'nuc', inf, -inf, 1, -1, 2, -2)."""
    return wrap(torch.linalg.cond(_one("cond", x), p))


def cov(x, rowvar=True, ddof=True, fweights=None, aweights=None, name=None):
    """Covariance of the variables (rows, unless ``rowvar=False``) of ``x``."""
    t, fw, aw = _eager("linalg.cov", x, fweights, aweights)
    if t.dim() > 2:
        raise ValueError(
            f"Input(x) only support N-D (1<=N<=2) tensor in cov, but received {t.dim()}-D"
        )
    if not rowvar and t.dim() == 2:
        t = t.t()
    return wrap(torch.cov(t, correction=int(bool(ddof)), fweights=fw, aweights=aw))


def corrcoef(x, rowvar=True, name=None):
    """Pearson correlation coefficients of the variables of ``x``."""
    t = _one("corrcoef", x)
    if not rowvar and t.dim() == 2:
        t = t.t()
    return wrap(torch.corrcoef(t))


def det(x, name=None):
    return wrap(torch.linalg.det(_one("det", x)))


def slogdet(x, name=None):
    """``[sign, log|det|]`` stacked on a new first axis (Paddle's single-tensor result)."""
    sign, logabs = torch.linalg.slogdet(_one("slogdet", x))
    return wrap(torch.stack([sign, logabs]))


def eig(x, name=None):
    """Eigenvalues and right eigenvectors of a general square matrix (complex)."""
    w, v = torch.linalg.eig(_one("eig", x))
    return wrap(w), wrap(v)


def eigvals(x, name=None):
    return wrap(torch.linalg.eigvals(_one("eigvals", x)))


def _uplo(UPLO):
    if UPLO not in ("L", "U"):
        raise ValueError(f"UPLO must be L or U. But received UPLO is: {UPLO}")
    return UPLO


def eigh(x, UPLO="L", name=None):
    """Eigenvalues (ascending) and eigenvectors of a Hermitian matrix."""
    w, v = torch.linalg.eigh(_one("eigh", x), UPLO=_uplo(UPLO))
    return wrap(w), wrap(v)


def eigvalsh(x, UPLO="L", name=None):
    return wrap(torch.linalg.eigvalsh(_one("eigvalsh", x), UPLO=_uplo(UPLO)))


def householder_product(x, tau, name=None):
    """The first ``n`` columns of the product of Householder matrices (LAPACK's orgqr)."""
    a, t = _eager("linalg.householder_product", x, tau)
    return wrap(torch.linalg.householder_product(a, t))


def lstsq(x, y, rcond=None, driver=None, name=None):
    """Least squares ``min ||x @ sol - y||``: ``(solution, residuals, rank, singular_values)``
    (CPU drivers gels/gelsy/gelsd/gelss; default gelsy as Paddle)."""
    a, b = _eager("linalg.lstsq", x, y)
    driver = driver or "gelsy"
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise ValueError(
            f"Only support valid driver is 'gels', 'gelsy', 'gelsd' and 'gelss' for lstsq "
            f"operation on CPU, but got {driver}"
        )
    r = torch.linalg.lstsq(a, b, rcond=rcond, driver=driver)
    return (
        wrap(r.solution),
        wrap(r.residuals),
        wrap(r.rank.to(torch.int32)),
        wrap(r.singular_values),
    )


def lu(x, pivot=True, get_infos=False, name=None):
    """LU factorisation: ``(LU, pivots)`` (1-based int32 pivots), ``+ infos`` if asked."""
    if not pivot:
        raise ValueError("lu without pivoting is not implemented on CPU (as in Paddle)")
    lu_, piv, info = torch.linalg.lu_factor_ex(_one("lu", x))
    piv = piv.to(torch.int32)
    if get_infos:
        return wrap(lu_), wrap(piv), wrap(info.to(torch.int32))
    return wrap(lu_), wrap(piv)


def lu_unpack(x, y, unpack_ludata=True, unpack_pivots=True, name=None):
    """``(P, L, U)`` from ``lu``'s packed factor ``x`` and pivots ``y``."""
    a, piv = _eager("linalg.lu_unpack", x, y)
    p, lower, upper = torch.lu_unpack(a, piv.to(torch.int32), unpack_ludata, unpack_pivots)
    return wrap(p), wrap(lower), wrap(upper)


def matrix_power(x, n, name=None):
    return wrap(torch.linalg.matrix_power(_one("matrix_power", x), int(n)))


def matrix_exp(x, name=None):
    return wrap(torch.linalg.matrix_exp(_one("matrix_exp", x)))


def matrix_rank(x, tol=None, hermitian=False, name=None):
    """Rank: singular values above ``tol`` (default ``max(M, N) * eps * sigma_max``)."""
    t = _one("matrix_rank", x)
    if isinstance(tol, Tensor):
        tol = tol._t
    r = torch.linalg.matrix_rank(
        t, atol=tol, rtol=None if tol is None else 0.0, hermitian=hermitian
    )
    return wrap(r)


def multi_dot(x, name=None):
    """``x[0] @ x[1] @ ...`` in the cheapest multiplication order."""
    ts = _eager("linalg.multi_dot", *x)
    return wrap(torch.linalg.multi_dot(ts))


def pca_lowrank(x, q=None, center=True, niter=2, name=None):
    """Randomized low-rank PCA: ``(U, S, V)``."""
    u, s, v = torch.pca_lowrank(_one("pca_lowrank", x), q=q, center=center, niter=niter)
    return wrap(u), wrap(s), wrap(v)


def pinv(x, rcond=1e-15, hermitian=False, name=None):
    """Moore-Penrose pseudo-inverse (singular values below ``rcond * sigma_max`` dropped)."""
    return wrap(torch.linalg.pinv(_one("pinv", x), rtol=rcond, hermitian=hermitian))


def qr(x, mode="reduced", name=None):
    """QR: ``(Q, R)`` for 'reduced'/'complete', ``R`` alone for 'r'."""
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"QR mode should be one of 'reduced', 'complete' or 'r', but got {mode}")
    q, r = torch.linalg.qr(_one("qr", x), mode=mode)
    return wrap(r) if mode == "r" else (wrap(q), wrap(r))


def solve(x, y, name=None):
    """Solve ``x @ out = y`` for square ``x``."""
    a, b = _eager("linalg.solve", x, y)
    return wrap(torch.linalg.solve(a, b))


def svd(x, full_matrices=False, name=None):
    """``(U, S, VH)`` with ``x = U @ diag(S) @ VH``."""
    u, s, vh = torch.linalg.svd(_one("svd", x), full_matrices=full_matrices)
    return wrap(u), wrap(s), wrap(vh)


def triangular_solve(x, y, upper=True, transpose=False, unitriangular=False, name=None):
    """Solve ``x @ out = y`` (``x^T`` when ``transpose``) for triangular ``x``."""
    a, b = _eager("linalg.triangular_solve", x, y)
    if transpose:
        a, upper = a.mT, not upper
    return wrap(torch.linalg.solve_triangular(a, b, upper=upper, unitriangular=unitriangular))


def cdist(x, y, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary", name=None):
    """Pairwise p-norm distances between the rows of ``x`` and ``y``."""
    a, b = _eager("cdist", x, y)
    return wrap(torch.cdist(a, b, p=p, compute_mode=compute_mode))
