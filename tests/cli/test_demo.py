from latentkit.io.models import load_generator


def test_demo_runs(run_cli, tmp_path):
    result = run_cli("demo", "--out", tmp_path / "demo", "--steps", "5", "--device", "cpu")
    assert "samples:" in result.output
    assert load_generator(tmp_path / "demo").latent_dim == 32
