import json
import math

import numpy as np
import pytest
import torch
from torch import nn

from latentkit.attributes.scorer import load_predictor
from latentkit.data import load_dataset
from latentkit.errors import LatentkitError
from latentkit.latent.codes import dataset_rows
from latentkit.metrics.modes import mode_statistics
from latentkit.priors import draw_codes
from latentkit.reports import modes_report


class Replay(nn.Module):
    """A "generator" that draws real samples: the code picks one (a perfect generator)."""

    def __init__(self, samples: torch.Tensor):
        super().__init__()
        self.samples, self.latent_dim, self.prior = samples, 4, "normal"

    def forward(self, z):
        return self.samples[(z[:, 0].abs() * 1e6).long() % len(self.samples)]


def test_a_perfect_ring_generator_covers_8_modes_and_a_collapsed_one_1(tmp_path):
    ring = load_dataset("ring8")
    points = ring.images(np.arange(len(ring)))
    good = modes_report(Replay(points), ring, tmp_path / "good")
    collapsed = modes_report(Replay(points[ring.modes == 5]), ring, tmp_path / "bad")
    assert (good["modes"], good["n"]) == (8, 2500) and good["reverse_kl"] < 0.01
    assert good["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.01)
    assert collapsed["modes"] == 1 and collapsed["reverse_kl"] == pytest.approx(math.log(8))
    assert good["spread"] == pytest.approx(0.97, abs=0.03) and good["real"]["spread"] > 0.9
    dots = modes_report(Replay(torch.tensor(ring.centres).float().view(8, 2, 1, 1)), ring,
                        tmp_path / "dots")  # fmt: skip
    assert (dots["modes"], dots["high_quality"]) == (8, 1.0)
    assert dots["spread"] == pytest.approx(0, abs=1e-4)
    assert "spread within modes 0.00 σ" in (tmp_path / "dots/report.md").read_text()
    saved = json.loads((tmp_path / "good/report.json").read_text())
    assert saved["counts"] == good["counts"].tolist()
    assert (tmp_path / "good/samples.png").exists() and (tmp_path / "good/histogram.png").exists()
    assert "**8 of 8 modes**" in (tmp_path / "good/report.md").read_text()
    # The real samples' figures are the generator's own, whatever the generator does.
    for result in (good, collapsed):
        assert result["real"]["modes"] == 8 and result["real"]["reverse_kl"] < 0.01
        assert result["real"]["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.01)
    assert (
        "The same measure on 2500 real samples: 8 of 8" in (tmp_path / "bad/report.md").read_text()
    )


def test_a_generator_with_no_sample_near_a_mode_reports_its_kl_undefined(tmp_path):
    ring = load_dataset("ring8")
    result = modes_report(Replay(torch.zeros(10, 2, 1, 1)), ring, tmp_path / "origin")
    assert (result["modes"], result["reverse_kl"]) == (0, None)
    assert json.loads((tmp_path / "origin/report.json").read_text())["reverse_kl"] is None
    text = (tmp_path / "origin/report.md").read_text()
    assert "KL to uniform modes undefined (no high-quality sample)" in text


def test_stacked_mnist_modes_are_read_channel_by_channel(tmp_path):
    stacked = load_dataset("stacked-mnist")
    replay = Replay(stacked.images(np.arange(3000)))
    classifier = load_predictor("mnist", "cpu", (1, 32, 32))
    result = modes_report(replay, stacked, tmp_path / "r", classifier, count=600)
    # the true modes of the very images drawn, from the data's labels
    picks = replay.forward(torch.from_numpy(draw_codes(replay, 600, 0)))
    drawn = (torch.from_numpy(draw_codes(replay, 600, 0))[:, 0].abs() * 1e6).long() % 3000
    assert torch.equal(picks, replay.samples[drawn])
    truth = mode_statistics(stacked.labels(drawn.numpy()), 1000)
    assert abs(result["modes"] - truth["modes"]) <= 0.05 * truth["modes"]
    assert result["reverse_kl"] == pytest.approx(truth["reverse_kl"], abs=0.1)
    assert "high_quality" not in result and "high_quality" not in result["real"]
    real_rows = dataset_rows(stacked, None, 600, 0)
    real_truth = mode_statistics(stacked.labels(real_rows), 1000)
    assert abs(result["real"]["modes"] - real_truth["modes"]) <= 0.05 * real_truth["modes"]
    with pytest.raises(LatentkitError, match="makes"):
        modes_report(Replay(load_dataset("ring8").images(np.arange(9))), stacked,
                     tmp_path / "x", classifier)  # fmt: skip
    assert not (tmp_path / "x").exists()
