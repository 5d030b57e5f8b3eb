import torch

from latentkit.nets import build


def test_began_discriminator_reconstructs_images_and_points():
    conv = build({"arch": "began.discriminator", "resolution": 32, "channels": 3, "width": 4,
                  "code": 8})  # fmt: skip
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    assert conv(x).shape == x.shape and conv(x).abs().max() <= 1
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in conv.modules())
    dense = build({"arch": "began.discriminator", "resolution": 1, "channels": 2, "width": 16,
                   "code": 4, "dense": True})  # fmt: skip
    points = torch.randn(5, 2, 1, 1) * 4
    assert dense(points).shape == points.shape
