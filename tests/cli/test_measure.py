import json

import numpy as np

from tests.cli.analytic_models import save_models


def test_conditioning_removes_the_correlated_side_effect(run_cli, tmp_path):
    generator, scorer = save_models(tmp_path)
    run_cli(
        "sample",
        "--generator",
        generator,
        "--scorer",
        scorer,
        "--n",
        "20000",
        "--no-progress",
        "--out",
        tmp_path / "bank.npz",
    )
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
