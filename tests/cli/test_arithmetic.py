from pathlib import Path

import numpy as np

from latentkit.io.bank import LatentBank, save_bank
from latentkit.io.models import load_generator
from latentkit.latent.codes import CodeRequest, codes_from_seeds, load_codes
from tests.factories import NORMAL8

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
        "--codes-out",
        tmp_path / "a.npy",
    )
    codes = np.load(tmp_path / "a.npy")  # rows: happy, sad, other (exemplars, mean), the 3×3
    smile = bank.scores[:, 0]
    happy = bank.z[smile > 0.9]  # every match of each query: White's attribute vectors
    sad = bank.z[smile < 0.1]
    other = codes_from_seeds(NORMAL8, [1, 2, 3])

    def shell(v):  # a Gaussian prior's codes lie near norm √d
        return v / np.linalg.norm(v) * np.sqrt(8)

    for row, exemplars in enumerate((happy, sad, other)):
        assert np.allclose(codes[row, :3], exemplars[:3], atol=1e-6)
        assert np.allclose(codes[row, 3], shell(exemplars.mean(0)), atol=1e-5)
    centre = shell(other.mean(0) - sad.mean(0) + happy.mean(0))
    assert np.allclose(codes[4, 1], centre, atol=1e-5)  # the exact result, jitter around it
    cells = codes[3:6, :3].reshape(9, 8)
    assert np.allclose(np.linalg.norm(cells, axis=1), np.sqrt(8), atol=1e-4)
    around = np.delete(cells, 4, axis=0)
    assert not np.allclose(around, centre) and np.abs(around - centre).max() < 0.5
    read = run_cli("arithmetic", "--generator", G, "--bank", tmp_path / "bank.npz", "--concept",
            "happy=smile>0.9", "--concept", "sad=smile<0.1", "--expression", "happy - sad",
            "--exemplars", "3", "--out", tmp_path / "d.png",
            "--codes-out", tmp_path / "d.npy", "--scorer", "analytic:digits")  # fmt: skip
    assert "result thickness: " in read.output and "(concept means: happy " in read.output
    dcgan = np.load(tmp_path / "d.npy")  # DCGAN's three exemplars: the first three matches
    assert np.allclose(dcgan[0, 3], shell(happy[:3].mean(0)), atol=1e-5)
    assert np.allclose(dcgan[3, 1], shell(happy[:3].mean(0) - sad[:3].mean(0)), atol=1e-5)
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
        "--codes-out",
        tmp_path / "a.npy",
    )
    request = CodeRequest(images=tuple(Path(f) for f in files), encoder=tmp_path / "e.safetensors")
    inverted, _ = load_codes(load_generator(G), request)
    assert np.allclose(np.load(tmp_path / "a.npy")[0, :3], inverted, atol=1e-5)
