"""Each measure command computes what its library report computes from the same inputs and seed
(the reports' own behaviour is tested in tests/reports/)."""

import json

import numpy as np
import pytest

from latentkit.attributes.scorer import load_predictor, load_scorer
from latentkit.data import load_dataset
from latentkit.io.bank import load_bank
from latentkit.io.direction import load_direction
from latentkit.io.models import load_encoder, load_generator, save_model
from latentkit.latent.codes import dataset_rows
from latentkit.nets.dcgan import DCGANEncoder
from latentkit.reports import (
    disentanglement_report,
    edits_report,
    file_source,
    inversion_report,
    latent_report,
    modes_report,
    quality_report,
)
from tests.cli.analytic_models import sample_args, save_models

G = "py:tests.factories:tiny_generator"


def test_edits(run_cli, tmp_path):
    generator, scorer = save_models(tmp_path)
    run_cli(*sample_args(generator, scorer, tmp_path / "bank.npz", 4000))
    run_cli("boundary", "fit", "--bank", tmp_path / "bank.npz", "--out", tmp_path / "b")
    directions = [tmp_path / "b/x.npz", tmp_path / "b/y.npz"]
    run_cli("measure", "edits", "--generator", generator, "--scorer", scorer,
            "--direction", directions[0], "--direction", directions[1], "--n", "100",
            "--seed", "4", "--out", tmp_path / "cli")  # fmt: skip
    library = edits_report(load_generator(generator), load_scorer(scorer),
                           [load_direction(d) for d in directions], tmp_path / "lib", count=100,
                           seed=4)  # fmt: skip
    written = json.loads((tmp_path / "cli/report.json").read_text())
    assert np.allclose(written["side_effects"]["slopes"], library["side_effects"]["slopes"])
    assert np.allclose(
        written["conditioned"]["side_effects"]["slopes"],
        library["conditioned"]["side_effects"]["slopes"],
    )
    for name in ("report.md", "cosines.png", "side_effects.png", "side_effects_conditioned.png"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "lib" / name).read_bytes()


def test_disentanglement_of_arrays(run_cli, tmp_path):
    rng = np.random.default_rng(0)
    factors = np.stack([rng.integers(0, s, 1000) for s in (3, 6, 8)], axis=1)
    np.save(tmp_path / "factors.npy", factors)
    np.save(tmp_path / "codes.npy", factors + 0.01 * rng.normal(size=factors.shape))
    run_cli("measure", "disentanglement", "--codes", tmp_path / "codes.npy", "--factors",
            tmp_path / "factors.npy", "--num-train", "200", "--num-test", "100", "--seed", "2",
            "--out", tmp_path / "cli")  # fmt: skip
    source = file_source(tmp_path / "codes.npy", tmp_path / "factors.npy")
    library = disentanglement_report({"codes": source}, tmp_path / "lib", seed=2, num_train=200,
                                     num_test=100)  # fmt: skip
    written = json.loads((tmp_path / "cli/report.json").read_text())["results"]["codes"]
    for metric, values in library["results"]["codes"].items():
        for key, value in values.items():
            if key != "seconds":
                assert written[metric][key] == pytest.approx(value), (metric, key)
    assert written["dci"]["disentanglement"] > 0.9  # and the codes are the factors


def test_quality_and_latent(run_cli, tmp_path, tiny_scorer):
    run_cli("measure", "quality", "--generator", G, "--scorer", tiny_scorer, "--data", "digits",
            "--n", "200", "--seed", "3", "--out", tmp_path / "q")  # fmt: skip
    g, predictor = load_generator(G), load_predictor(tiny_scorer)
    library = quality_report(g, predictor, load_dataset("digits", 32), tmp_path / "lq", 200, 3)
    written = json.loads((tmp_path / "q/report.json").read_text())
    for key in ("generated_vs_real", "real_vs_real"):
        for stat in ("frechet", "kid"):
            assert written[key][stat] == pytest.approx(library[key][stat])
    assert written["coverage"] == library["coverage"]

    run_cli("sample", "--generator", G, "--scorer", "analytic:digits", "--n", "300",
            "--no-progress", "--out", tmp_path / "bank.npz")  # fmt: skip
    run_cli("boundary", "fit", "--bank", tmp_path / "bank.npz", "--attribute", "slant",
            "--ratio", "0.1", "--out", tmp_path / "b")  # fmt: skip
    run_cli("measure", "latent", "--generator", G, "--bank", tmp_path / "bank.npz", "--scorer",
            tiny_scorer, "--direction", tmp_path / "b/slant.npz", "--path-samples", "30",
            "--seed", "1", "--out", tmp_path / "l")  # fmt: skip
    library = latent_report(g, load_bank(tmp_path / "bank.npz"), tmp_path / "ll", predictor,
                            [load_direction(tmp_path / "b/slant.npz")], 30, 1)  # fmt: skip
    written = json.loads((tmp_path / "l/report.json").read_text())
    assert written["separability"] == pytest.approx(library["separability"])
    assert written["path_length"] == pytest.approx(library["path_length"])
    assert written["directions"]["slant"] == pytest.approx(library["directions"]["slant"])


def test_inversion(run_cli, tmp_path, tiny_scorer):
    save_model(tmp_path / "e.safetensors", DCGANEncoder(latent_dim=8, width=4), "encoder")
    run_cli("measure", "inversion", "--generator", G, "--encoder", tmp_path / "e.safetensors",
            "--data", "digits", "--n", "60", "--scorer", tiny_scorer, "--refine-steps", "2",
            "--seed", "5", "--out", tmp_path / "cli")  # fmt: skip
    data = load_dataset("digits", 32)
    rows = dataset_rows(data, None, 60, 5)
    library = inversion_report(load_generator(G), load_encoder(tmp_path / "e.safetensors"),
                               data.images(rows), tmp_path / "lib", data.labels(rows),
                               load_predictor(tiny_scorer), 2, "digits", 5)  # fmt: skip
    written = json.loads((tmp_path / "cli/report.json").read_text())
    for route in ("encoder", "refined"):
        assert written[route] == pytest.approx(library[route])
    assert written["probe"] == pytest.approx(library["probe"])
    assert written["z_recovery"] == pytest.approx(library["z_recovery"])
    assert (tmp_path / "cli/reconstructions.png").read_bytes() == (
        tmp_path / "lib/reconstructions.png"
    ).read_bytes()


def test_modes_of_a_packed_run_trained_from_the_command_line(run_cli, tmp_path):
    run_cli("train", "gan", "--data", "grid25", "--latent-dim", "2", "--width", "16",
            "--batch-size", "8", "--pack", "2", "--steps", "2", "--no-progress",
            "--out", tmp_path / "run")  # fmt: skip
    assert load_generator(tmp_path / "run").config["channels"] == 2
    output = run_cli("measure", "modes", "--generator", tmp_path / "run", "--data", "grid25",
                     "--n", "500", "--seed", "3", "--out", tmp_path / "cli")  # fmt: skip
    library = modes_report(load_generator(tmp_path / "run"), load_dataset("grid25"),
                           tmp_path / "lib", count=500, seed=3)  # fmt: skip
    written = json.loads((tmp_path / "cli/report.json").read_text())
    assert written["counts"] == library["counts"].tolist() and written["n"] == 500
    assert f"modes: {library['modes']} of 25" in output.output
