def test_models_list_and_show(toy_bundle, run_cli):
    out = run_cli("models", "list").output
    assert "toy: a test bundle" in out and "directions: thick" in out
    assert "made in a test" in run_cli("models", "show", "toy").output
    assert "no such file, nor a pretrained bundle" in run_cli("models", "show", "x", code=2).output


def test_generate_and_edit_with_a_bundle_name(toy_bundle, run_cli, tmp_path):
    run_cli("generate", "--generator", "toy", "--n", "2", "--out", tmp_path / "g.png")
    run_cli("edit", "--generator", "toy", "--direction", "toy:thick", "--seeds", "0",
            "--out", tmp_path / "e.png")  # fmt: skip
    assert (tmp_path / "g.png").stat().st_size > 0 and (tmp_path / "e.png").stat().st_size > 0
