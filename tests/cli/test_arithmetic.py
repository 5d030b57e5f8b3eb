import numpy as np

from latentkit.io.bank import LatentBank, save_bank

G = "py:tests.factories:tiny_generator"


def test_query_and_seed_concepts(run_cli, tmp_path):
    rng = np.random.default_rng(0)
    bank = LatentBank(rng.normal(size=(200, 8)), rng.uniform(size=(200, 1)), ["smile"])
    save_bank(tmp_path / "bank.npz", bank)
    run_cli(
        "arithmetic",
        "--generator",
        G,
        "--bank",
        tmp_path / "bank.npz",
        "--concept",
        "happy=smile>0.9",
        "--concept",
        "sad=smile<0.1",
        "--concept",
        "other=seeds:1,2,3",
        "--expression",
        "other - sad + happy",
        "--out",
        tmp_path / "a.png",
    )
    assert (tmp_path / "a.png").stat().st_size > 0
    result = run_cli(
        "arithmetic",
        "--generator",
        G,
        "--bank",
        tmp_path / "bank.npz",
        "--concept",
        "rare=smile>0.999",
        "--expression",
        "rare",
        "--out",
        tmp_path / "b.png",
        code=2,
    )
    assert "matches" in result.output and not (tmp_path / "b.png").exists()
    result = run_cli(
        "arithmetic",
        "--generator",
        G,
        "--concept",
        "a=seeds:1,2,3",
        "--expression",
        "a - b",
        "--out",
        tmp_path / "c.png",
        code=2,
    )
    assert "not among the concepts" in result.output


def test_image_exemplars(run_cli, tmp_path):
    from PIL import Image

    from latentkit.io.models import save_model
    from latentkit.nets.dcgan import DCGANEncoder

    save_model(tmp_path / "e.safetensors", DCGANEncoder(latent_dim=8, width=4), "encoder")
    files = []
    for i in range(3):
        Image.new("L", (32, 32), 40 * i).save(tmp_path / f"{i}.png")
        files.append(str(tmp_path / f"{i}.png"))
    run_cli(
        "arithmetic",
        "--generator",
        G,
        "--encoder",
        tmp_path / "e.safetensors",
        "--concept",
        f"real=images:{','.join(files)}",
        "--concept",
        "other=seeds:1,2,3",
        "--expression",
        "real - other",
        "--out",
        tmp_path / "a.png",
    )
    assert (tmp_path / "a.png").exists()
