import json

from latentkit.io.direction import Direction, load_direction, save_direction
from tests import analytic
from tests.cli.analytic_models import sample_args, save_models
from tests.factories import planted

TOY = "py:tests.factories:linear_toy"


def test_sefa_and_ganspace_find_the_planted_direction(run_cli, tmp_path):
    run_cli("boundary", "sefa", "--generator", TOY, "--k", "3", "--out", tmp_path / "sefa")
    run_cli("boundary", "pca", "--generator", TOY, "--layer", "first", "--k", "2", "--n", "3000",
            "--out", tmp_path / "pca")  # fmt: skip
    for path in (tmp_path / "sefa/sefa_0.npz", tmp_path / "pca/pca_0.npz"):
        direction = load_direction(path)
        assert abs(direction.normal @ planted()) >= 0.95
    assert load_direction(tmp_path / "sefa/sefa_2.npz").meta["method"] == "sefa"
    refused = run_cli("boundary", "pca", "--generator", TOY, "--out", tmp_path / "x", code=2)
    assert "give --layer (GANSpace) or --codes, or a W space" in refused.output


def test_unsupervised_directions_are_matched_to_attributes(run_cli, tmp_path):
    generator, scorer = save_models(tmp_path)
    run_cli(*sample_args(generator, scorer, tmp_path / "bank.npz", 20000))
    run_cli("boundary", "fit", "--bank", tmp_path / "bank.npz", "--out", tmp_path / "svm")
    truth = analytic.true_directions()
    for name, normal in {"found_a": truth["y"], "found_b": -truth["size"]}.items():
        save_direction(tmp_path / f"{name}.npz", Direction(normal, 0.0, {"name": name}))
    run_cli("measure", "edits", "--generator", generator, "--scorer", scorer,
            "--direction", tmp_path / "found_a.npz", "--direction", tmp_path / "found_b.npz",
            "--reference", tmp_path / "svm", "--out", tmp_path / "report")  # fmt: skip
    matches = json.loads((tmp_path / "report/report.json").read_text())["matches"]
    assert matches["found_a"]["attribute"] == "y" and matches["found_a"]["cosine_to_boundary"] > 0.9
    assert matches["found_b"]["attribute"] == "size" and matches["found_b"]["slope"] < 0
    assert matches["found_b"]["cosine_to_boundary"] > 0.9  # signed by the slope: same sense
