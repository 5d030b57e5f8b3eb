from pathlib import Path

from PIL import Image

STYLE = Path(__file__).resolve().parents[1] / "fixtures/stylegan2_ada/tiny_uncond.safetensors"


def test_the_grid_has_a_row_per_destination_and_a_column_per_source(run_cli, tmp_path):
    run_cli("mix", "--generator", STYLE, "--destinations", "0-2", "--sources", "3-4", "--layers",
            "0-3", "--out", tmp_path / "a.png")  # fmt: skip
    run_cli("mix", "--generator", STYLE, "--destinations", "0-2", "--sources", "3-6", "--layers",
            "0-3", "--out", tmp_path / "b.png")  # fmt: skip
    (wa, ha), (wb, hb) = (Image.open(tmp_path / f"{n}.png").size for n in "ab")
    assert ha == hb and wb - wa == 2 * (64 + 2)  # two more source columns of 64-px cells
    refused = run_cli("mix", "--generator", "py:tests.factories:tiny_generator", "--layers", "0",
                      "--out", tmp_path / "c.png", code=2)  # fmt: skip
    assert "mapping network" in refused.output
