import pytest
import torch

from latentkit.attributes.analytic import DigitAttributes


def stroke(width: int, shear: float = 0.0, length: int = 16) -> torch.Tensor:
    """A vertical bar [1, 1, 32, 32] of `width` pixels, its top shifted right by `shear`·rows."""
    image = torch.full((1, 1, 32, 32), -1.0)
    for r in range(8, 8 + length):
        c = round(14 + shear * (8 + length - 1 - r))
        image[0, 0, r, c : c + width] = 1.0
    return image


def scores(image):
    return dict(
        zip(DigitAttributes().attribute_names, DigitAttributes()(image)[0].tolist(), strict=True)
    )


def test_thickness_grows_with_stroke_width():
    thickness = [scores(stroke(w))["thickness"] for w in (1, 2, 3, 4)]
    assert thickness == sorted(thickness)
    assert thickness[-1] == pytest.approx(4, rel=0.3)


def test_slant_sign_and_extent():
    assert scores(stroke(2))["slant"] == pytest.approx(0, abs=0.05)
    assert scores(stroke(2, shear=0.5))["slant"] == pytest.approx(0.5, abs=0.1)
    assert scores(stroke(2, shear=-0.5))["slant"] < -0.3
    s = scores(stroke(3, length=10))
    assert s["width"] == 3 and s["height"] == 10
