"""``paddle.audio`` against real Paddle 2.6 and 3.3: mel conversions, filter banks, dB, DCT,
every window (periodic and symmetric), the four feature layers (values and state-dict buffers),
and WAV load/info/save on a file written by each side."""

from __future__ import annotations

import pytest

from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import numpy as np

def run(paddle):
    AF = paddle.audio.functional
    feats = paddle.audio.features
    out = {}
    f = paddle.to_tensor(np.array([0.0, 300.0, 999.0, 1000.0, 4000.0, 11025.0], "float32"))
    for htk in (False, True):
        out[f"hz_to_mel_{htk}"] = AF.hz_to_mel(f, htk=htk).numpy()
        out[f"hz_to_mel_float_{htk}"] = np.array([AF.hz_to_mel(v, htk=htk) for v in (300.0, 2500.0)])
        out[f"mel_to_hz_{htk}"] = AF.mel_to_hz(AF.hz_to_mel(f, htk=htk), htk=htk).numpy()
        out[f"mel_to_hz_float_{htk}"] = np.array([AF.mel_to_hz(v, htk=htk) for v in (10.0, 30.0)])
        out[f"mel_freqs_{htk}"] = AF.mel_frequencies(10, 20.0, 8000.0, htk=htk).numpy()
    out["fft_freqs"] = AF.fft_frequencies(16000, 64).numpy()
    for norm in ("slaney", 2.0, None):
        out[f"fbank_{norm}"] = AF.compute_fbank_matrix(16000, 128, n_mels=12, f_min=30.0, norm=norm).numpy()
    out["fbank_htk_f64"] = AF.compute_fbank_matrix(8000, 64, 8, htk=True, dtype="float64").numpy()
    spec = paddle.to_tensor(np.abs(np.random.default_rng(0).standard_normal((2, 5, 7))).astype("float32") ** 3)
    out["db"] = AF.power_to_db(spec).numpy()
    out["db_ref_top"] = AF.power_to_db(spec, ref_value=0.5, amin=1e-4, top_db=20.0).numpy()
    out["db_none"] = AF.power_to_db(spec, top_db=None).numpy()
    out["dct_ortho"] = AF.create_dct(8, 16).numpy()
    out["dct_none"] = AF.create_dct(5, 9, norm=None, dtype="float64").numpy()
    windows = ["hamming", "hann", "blackman", "triang", "bohman", "cosine", "tukey", ("tukey", 1.0),
               ("tukey", 0.0), "taylor", ("taylor", 5, 40), ("gaussian", 2.5),
               ("general_gaussian", 1.5, 3.0), ("exponential", None, 2.0)]
    for w in windows:
        for n in (1, 8, 11):
            for fft in (True, False):
                if isinstance(w, tuple) and w[0] == "exponential" and not fft:
                    continue  # a symmetric exponential window with a centre is refused
                key = f"win_{w}_{n}_{fft}"
                out[key] = AF.get_window(w, n, fftbins=fft).numpy()
    out["win_f32"] = AF.get_window("hann", 9, dtype="float32").numpy()
    x = paddle.to_tensor(np.sin(np.arange(4000) * 0.05).astype("float32")[None].repeat(2, 0) * np.array([[1.0], [0.3]], "float32"))
    # (top_db floors the bins whose power is float32 noise, ~1e-10 of the peak: their dB values
    # differ between any two FFT implementations)
    layers = {
        "spec": feats.Spectrogram(n_fft=256, hop_length=128, power=2.0),
        "spec_win": feats.Spectrogram(n_fft=256, hop_length=100, win_length=200, window="hamming", center=False),
        "mel": feats.MelSpectrogram(sr=16000, n_fft=256, hop_length=128, n_mels=20),
        "logmel": feats.LogMelSpectrogram(sr=16000, n_fft=256, n_mels=20, top_db=60.0),
        "mfcc": feats.MFCC(sr=16000, n_mfcc=13, n_fft=256, n_mels=20, htk=True, norm=None, top_db=80.0),
    }
    for name, layer in layers.items():
        out[name] = layer(x).numpy()
        for k, v in layer.state_dict().items():
            out[f"{name}.sd.{k}"] = v.numpy()
    # WAV: written here, read back here (the other side reads its own)
    import os, tempfile
    d = tempfile.mkdtemp()
    wav = paddle.to_tensor(np.stack([np.linspace(-0.9, 0.9, 300), np.linspace(0.5, -0.5, 300)]).astype("float32"))
    p = os.path.join(d, "a.wav")
    paddle.audio.save(p, wav, 8000)
    out["wav_bytes"] = np.frombuffer(open(p, "rb").read(), "uint8")
    back, sr = paddle.audio.load(p)
    out["wav_load"], out["wav_sr"] = back.numpy(), np.array([sr])
    out["wav_load_slice"] = paddle.audio.load(p, frame_offset=10, num_frames=20, channels_first=False)[0].numpy()
    out["wav_load_offset_only"] = paddle.audio.load(p, frame_offset=10)[0].numpy()
    out["wav_load_raw"] = paddle.audio.load(p, normalize=False)[0].numpy()
    i = paddle.audio.info(p)
    out["wav_info"] = np.array([i.sample_rate, i.num_samples, i.num_channels, i.bits_per_sample])
    out["backends"] = np.array(paddle.audio.backends.list_available_backends()[-1:])
    return out
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_audio_matches_paddle(tmp_path, version):
    ours, theirs = run_both(SOURCE, version, tmp_path)
    bad = mismatches(ours, theirs, rtol=1e-5, atol=1e-3)  # dB values of |x| ~ 100
    assert not bad, f"{len(bad)} differences from Paddle {version}:\n" + "\n".join(bad)
    assert len(theirs) > 120
