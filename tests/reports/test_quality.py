import numpy as np
import torch
from torch import nn

from latentkit.attributes.scorer import load_predictor
from latentkit.data import load_dataset
from latentkit.reports import quality_report


class Replay(nn.Module):
    """A "generator" that draws real images: the code picks one (a perfect generator)."""

    def __init__(self, images: torch.Tensor):
        super().__init__()
        self.images, self.latent_dim, self.prior = images, 4, "normal"

    def forward(self, z):
        picks = (z[:, 0].abs() * 1e6).long() % len(self.images)
        return self.images[picks]


class Constant(Replay):
    """Mode collapse: one real image, always."""

    def forward(self, z):
        return self.images[:1].expand(len(z), -1, -1, -1)


def test_a_perfect_generator_sits_at_the_baseline_and_a_collapsed_one_far_above(
    tmp_path, tiny_scorer
):
    predictor = load_predictor(tiny_scorer)
    real = load_dataset("digits", 32)
    images = real.images(np.arange(len(real)))
    good = quality_report(Replay(images), predictor, real, tmp_path / "good", count=300)
    bad = quality_report(Constant(images), predictor, real, tmp_path / "bad", count=300)
    baseline = good["real_vs_real"]["frechet"]
    assert good["generated_vs_real"]["frechet"] < 3 * baseline + 0.05
    assert bad["generated_vs_real"]["frechet"] > 10 * good["generated_vs_real"]["frechet"]
    assert bad["coverage"]["classes_covered"] == 1
    assert max(bad["coverage"]["shares"]) == 1.0  # all of it in one class, by its name:
    assert bad["coverage"]["classes"] == [str(d) for d in range(10)]
    assert (
        f"{bad['coverage']['classes'][np.argmax(bad['coverage']['shares'])]} 100.0%"
        in (tmp_path / "bad/report.md").read_text()
    )
    assert good["coverage"]["classes_covered"] >= 2
    assert (tmp_path / "good/report.md").read_text().count("|") > 6
