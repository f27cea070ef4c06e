"""``paddle.signal`` (frame, overlap_add, stft, istft) and ``Tensor.stft``/``istft`` against real
Paddle 2.6 and 3.3 through the table machinery (values, dtypes, shapes, and which calls fail)."""

from __future__ import annotations

import pytest

from tests.tensor.test_functional_oracle import ORACLE, _oracle, compare, run_cases

pytestmark = pytest.mark.oracle

S = "paddle.signal"
SIG = "T(np.sin(np.arange(64, dtype='float32') * 0.3) + 0.1 * np.arange(64, dtype='float32'))"
SIG2 = "T(np.stack([np.cos(np.arange(40) * 0.2), np.arange(40) % 7]).astype('float64'))"
WIN = "T(np.hanning(12).astype('float32'))"
CASES = {
    "frame_last": f"{S}.frame(T(c), frame_length=2, hop_length=1)",
    "frame_first": f"{S}.frame(T(c.transpose(2, 1, 0)), frame_length=3, hop_length=1, axis=0)",
    "frame_int": f"{S}.frame(T(np.arange(10)), 4, 3)",
    "frame_too_long": f"{S}.frame(T(a), 5, 1)",
    "frame_bad_axis": f"{S}.frame(T(a), 2, 1, axis=1)",
    "overlap_add_last": f"{S}.overlap_add(T(c), hop_length=2)",
    "overlap_add_first": f"{S}.overlap_add(T(d), hop_length=1, axis=0)",
    "overlap_add_bad_hop": f"{S}.overlap_add(T(c), hop_length=0)",
    "stft": f"{S}.stft({SIG}, n_fft=16)",
    "stft_hop_win": f"{S}.stft({SIG}, n_fft=16, hop_length=5, win_length=12, window={WIN})",
    "stft_constant_norm": f"{S}.stft({SIG}, 16, center=True, pad_mode='constant', normalized=True)",
    "stft_nocenter_twosided": f"{S}.stft({SIG}, 16, 4, center=False, onesided=False)",
    "stft_batch_f64": f"{S}.stft({SIG2}, 8, 3)",
    "stft_method": f"({SIG}).stft(n_fft=8)",
    "stft_bad_nfft": f"{S}.stft({SIG}, n_fft=100)",
    "stft_bad_pad_mode": f"{S}.stft({SIG}, 16, pad_mode='replicate')",
    "istft": f"{S}.istft({S}.stft({SIG}, n_fft=16), n_fft=16)",
    "istft_length": f"{S}.istft({S}.stft({SIG}, n_fft=16, hop_length=4), 16, 4, length=60)",
    "istft_window": (f"{S}.istft({S}.stft({SIG}, 16, 5, 12, {WIN}), 16, 5, 12, {WIN}, length=64)"),
    "istft_twosided_complex": (
        f"{S}.istft({S}.stft({SIG}, 16, onesided=False), 16, onesided=False, return_complex=True)"
    ),
    "istft_twosided_real": f"{S}.istft({S}.stft({SIG}, 16, onesided=False), 16, onesided=False)",
    "istft_nocenter": f"{S}.istft({S}.stft({SIG}, 16, 4, center=False), 16, 4, center=False)",
    "istft_batch_f64": f"{S}.istft({S}.stft({SIG2}, 8, 3), 8, 3)",
    "istft_method": f"{S}.stft({SIG}, n_fft=8).istft(n_fft=8)",
    "istft_real_input": f"{S}.istft({SIG}, 16)",
    "istft_bad_size": f"{S}.istft({S}.stft({SIG}, n_fft=16), n_fft=8)",
    "istft_nola": (
        f"{S}.istft({S}.stft({SIG}, 16, 4, window=T(np.zeros(16, 'float32'))), 16, 4, "
        "window=T(np.zeros(16, 'float32')))"
    ),
}


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_signal_matches_paddle(tmp_path, version):
    import paddlefish as paddle

    ref = _oracle(tmp_path, ORACLE, CASES, version)
    ours = run_cases(paddle, CASES)
    bad = compare(ours, ref, CASES)
    assert not bad, f"{len(bad)} of {len(CASES)} differ from Paddle {version}:\n" + "\n".join(bad)
