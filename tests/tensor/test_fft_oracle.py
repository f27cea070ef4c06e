"""``paddle.fft`` against real Paddle 2.6 and 3.3 through the table machinery (complex values,
dtypes, shapes, and which calls fail)."""

from __future__ import annotations

import pytest

from tests.tensor.test_functional_oracle import ORACLE, _oracle, compare, run_cases

pytestmark = pytest.mark.oracle

F = "paddle.fft"
CASES = {
    "fft": f"{F}.fft(T(a))",
    "fft_n_axis": f"{F}.fft(T(a), n=6, axis=0)",
    "fft_ortho": f"{F}.fft(T(a), norm='ortho')",
    "fft_forward": f"{F}.fft(T(a.astype('float64')), norm='forward')",
    "fft_bad_norm": f"{F}.fft(T(a), norm='none')",
    "fft_bad_n": f"{F}.fft(T(a), n=0)",
    "ifft": f"{F}.ifft(T(a))",
    "rfft": f"{F}.rfft(T(a))",
    "irfft": f"{F}.irfft({F}.rfft(T(a)))",
    "irfft_n": f"{F}.irfft({F}.rfft(T(a)), n=5)",
    "hfft": f"{F}.hfft({F}.rfft(T(a)))",
    "ihfft": f"{F}.ihfft(T(a))",
    "fft2": f"{F}.fft2(T(c))",
    "ifft2_s": f"{F}.ifft2(T(c), s=[2, 5])",
    "rfft2": f"{F}.rfft2(T(c), axes=(0, 2))",
    "irfft2": f"{F}.irfft2({F}.rfft2(T(c)))",
    "hfft2": f"{F}.hfft2({F}.rfft2(T(c)))",
    "ihfft2": f"{F}.ihfft2(T(c))",
    "fftn": f"{F}.fftn(T(c))",
    "fftn_axes": f"{F}.fftn(T(c), axes=[0, 2], norm='ortho')",
    "ifftn": f"{F}.ifftn(T(c))",
    "rfftn": f"{F}.rfftn(T(c))",
    "irfftn": f"{F}.irfftn({F}.rfftn(T(c)), s=[2, 3, 4])",
    "hfftn": f"{F}.hfftn({F}.rfftn(T(c)))",
    "ihfftn": f"{F}.ihfftn(T(c))",
    "fftfreq": f"{F}.fftfreq(5, d=0.5)",
    "fftfreq_f64": f"{F}.fftfreq(4, dtype='float64')",
    "rfftfreq": f"{F}.rfftfreq(6)",
    "fftshift": f"{F}.fftshift(T(a))",
    "fftshift_axes": f"{F}.fftshift(T(a), axes=[1])",
    "ifftshift": f"{F}.ifftshift(T(c), axes=(0, 2))",
    "fft_int": f"{F}.fft(T(i))",
}


# Paddle bugs skipped per version: 2.6 ignores fftfreq's dtype (float32 always; 3.3 honours it,
# as paddlefish does); 3.3 fails fftshift with a list of axes (SystemError from roll).
PADDLE_BUGS = {"2.6": {"fftfreq_f64"}, "3.3": {"fftshift_axes"}}


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_fft_matches_paddle(tmp_path, version):
    import paddlefish as paddle

    cases = {k: v for k, v in CASES.items() if k not in PADDLE_BUGS[version]}
    ref = _oracle(tmp_path, ORACLE, cases, version)
    ours = run_cases(paddle, cases)
    bad = compare(ours, ref, cases)
    assert not bad, f"{len(bad)} of {len(cases)} differ from Paddle {version}:\n" + "\n".join(bad)
