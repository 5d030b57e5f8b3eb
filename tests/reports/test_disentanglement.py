import json

import numpy as np

from latentkit.data.sprites import Sprites
from latentkit.metrics.factors import ArraySource
from latentkit.reports import dataset_sources, disentanglement_report
from tests.metrics.factor_codes import aligned, factors, rotated


def test_aligned_codes_score_high_and_rotated_ones_lower(tmp_path):
    f = factors(3000)
    sources = {
        "aligned": ArraySource(aligned(f), f),
        "rotated": ArraySource(rotated(aligned(f)), f),
    }
    data = disentanglement_report(sources, tmp_path / "r", num_train=300, num_test=150)
    good, bad = data["results"]["aligned"], data["results"]["rotated"]
    assert good["mig"]["mig"] > 0.8 and good["dci"]["disentanglement"] > 0.9
    assert bad["mig"]["mig"] < good["mig"]["mig"] - 0.3
    assert data["dci_mode"] == "gbt"  # the reference's estimator unless asked otherwise
    written = json.loads((tmp_path / "r/report.json").read_text())
    assert written["results"]["aligned"]["mig"]["mig"] == good["mig"]["mig"]
    assert (tmp_path / "r/disentanglement.png").stat().st_size > 0


def test_the_true_factors_beat_a_random_projection_of_the_sprites(tmp_path):
    sources = dataset_sources(Sprites(32), ["factors", "pixels:6"], seed=0)
    data = disentanglement_report(
        sources, tmp_path / "r", num_train=100, num_test=50, batch_size=16, dci_mode="fast"
    )
    truth, pixels = data["results"]["factors"], data["results"]["pixels:6"]
    assert truth["beta_vae"]["eval_accuracy"] == 1.0  # the fixed factor is the one that agrees
    assert pixels["beta_vae"]["eval_accuracy"] < 0.9
    assert truth["mig"]["mig"] > pixels["mig"]["mig"] + 0.2
    assert np.isfinite(pixels["sap"]["sap"])
