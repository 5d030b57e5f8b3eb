import json

import numpy as np

from tests.cli.analytic_models import sample_args, save_models


def test_conditioning_removes_the_correlated_side_effect(run_cli, tmp_path):
    generator, scorer = save_models(tmp_path)
    run_cli(*sample_args(generator, scorer, tmp_path / "bank.npz", 20000))
    run_cli("boundary", "fit", "--bank", tmp_path / "bank.npz", "--out", tmp_path / "b")
    run_cli(
        "measure",
        "edits",
        "--generator",
        generator,
        "--scorer",
        scorer,
        "--direction",
        tmp_path / "b/x.npz",
        "--direction",
        tmp_path / "b/y.npz",
        "--out",
        tmp_path / "report",
    )
    report = json.loads((tmp_path / "report/report.json").read_text())
    plain = np.array(report["side_effects"]["slopes"])
    conditioned = np.array(report["conditioned"]["side_effects"]["slopes"])
    x, y = report["attributes"].index("x"), report["attributes"].index("y")
    assert plain[0, y] > 0.3 * plain[0, x]  # the x edit drags y along (cosine 0.6)
    assert abs(conditioned[0, y]) < 0.1 * abs(plain[0, y])
    assert conditioned[0, x] >= 0.8 * plain[0, x]
    assert np.array(report["cosines"])[0, 1] > 0.5
    for name in ("report.md", "cosines.png", "side_effects.png", "side_effects_conditioned.png"):
        assert (tmp_path / "report" / name).stat().st_size > 0


def test_disentanglement_of_arrays_and_bad_inputs(run_cli, tmp_path):
    rng = np.random.default_rng(0)
    factors = np.stack([rng.integers(0, s, 3000) for s in (3, 6, 8)], axis=1)
    np.save(tmp_path / "factors.npy", factors)
    np.save(tmp_path / "codes.npy", factors + 0.01 * rng.normal(size=factors.shape))
    run_cli(
        "measure",
        "disentanglement",
        "--codes",
        tmp_path / "codes.npy",
        "--factors",
        tmp_path / "factors.npy",
        "--num-train",
        "500",
        "--num-test",
        "200",
        "--out",
        tmp_path / "report",
    )
    results = json.loads((tmp_path / "report/report.json").read_text())["results"]["codes"]
    assert results["mig"]["mig"] > 0.9 and results["dci"]["disentanglement"] > 0.9
    assert results["beta_vae"]["eval_accuracy"] > 0.95
    assert (tmp_path / "report/disentanglement.png").exists()
    np.save(tmp_path / "short.npy", factors[:10])
    result = run_cli(
        "measure",
        "disentanglement",
        "--codes",
        tmp_path / "codes.npy",
        "--factors",
        tmp_path / "short.npy",
        "--out",
        tmp_path / "r2",
        code=2,
    )
    assert "short.npy: codes have 3000 rows but factors 10" in result.output


def test_quality_and_latent_reports(run_cli, tmp_path, tiny_scorer):
    scorer = tiny_scorer
    g = "py:tests.factories:tiny_generator"
    run_cli(
        "measure",
        "quality",
        "--generator",
        g,
        "--scorer",
        scorer,
        "--data",
        "digits",
        "--n",
        "300",
        "--out",
        tmp_path / "q",
    )
    q = json.loads((tmp_path / "q/report.json").read_text())
    assert q["generated_vs_real"]["frechet"] > q["real_vs_real"]["frechet"] >= 0  # an untrained G
    assert 1 <= q["coverage"]["classes_covered"] <= 10
    run_cli(
        "sample",
        "--generator",
        g,
        "--scorer",
        "analytic:digits",
        "--n",
        "400",
        "--no-progress",
        "--out",
        tmp_path / "bank.npz",
    )
    run_cli(
        "boundary",
        "fit",
        "--bank",
        tmp_path / "bank.npz",
        "--attribute",
        "slant",
        "--ratio",
        "0.1",
        "--out",
        tmp_path / "b",
    )
    run_cli(
        "measure",
        "latent",
        "--generator",
        g,
        "--bank",
        tmp_path / "bank.npz",
        "--scorer",
        scorer,
        "--direction",
        tmp_path / "b/slant.npz",
        "--path-samples",
        "50",
        "--out",
        tmp_path / "l",
    )
    report = json.loads((tmp_path / "l/report.json").read_text())
    assert report["separability"] >= 1 and report["path_length"] > 0
    assert report["directions"]["slant"]["auc"] > 0.6


def test_inversion_report(run_cli, tmp_path, tiny_scorer):
    from latentkit.io.models import save_model
    from latentkit.nets.dcgan import DCGANEncoder

    save_model(tmp_path / "e.safetensors", DCGANEncoder(latent_dim=8, width=4), "encoder")
    run_cli(
        "measure",
        "inversion",
        "--generator",
        "py:tests.factories:tiny_generator",
        "--encoder",
        tmp_path / "e.safetensors",
        "--data",
        "digits",
        "--n",
        "200",
        "--scorer",
        tiny_scorer,
        "--refine-steps",
        "3",
        "--out",
        tmp_path / "inv",
    )
    report = json.loads((tmp_path / "inv/report.json").read_text())
    assert set(report) >= {"z_recovery", "encoder", "refined", "probe", "probe_random_encoder"}
    assert report["probe_pixels"]["nn1"] > 0.75  # digits are near each other in pixels
    assert (
        report["encoder"]["shuffled_mse"] > 0 and 0 <= report["refined"]["label_preservation"] <= 1
    )
    assert report["refined"]["mse"] <= report["encoder"]["mse"] + 1e-6
    assert (tmp_path / "inv/reconstructions.png").exists()
