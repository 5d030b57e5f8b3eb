"""Run under torchrun by test_gan.py: train a few steps, then save this rank's weights."""

import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

from latentkit.train.gan import GANConfig, GANTrainer
from latentkit.train.loop import RunOptions, unwrap

out, loss = Path(sys.argv[1]), sys.argv[2]
config = GANConfig(
    data="digits",
    resolution=32,
    width=4,
    latent_dim=8,
    batch_size=8,
    steps=4,
    loss=loss,
    minibatch_std=True,
    feature_matching=0.5,
)
trainer = GANTrainer(
    config,
    RunOptions(out=out / "run", device="cpu", progress=False, checkpoint_every=2, sample_every=4),
)
trainer.run()
weights = {f"G.{k}": v for k, v in unwrap(trainer.g).state_dict().items()}
weights |= {f"D.{k}": v for k, v in unwrap(trainer.d).named_parameters()}
save_file(
    {k: v.detach().contiguous() for k, v in weights.items()},
    str(out / f"rank{trainer.dist.rank}.safetensors"),
)
trainer.close()
torch.set_num_threads(1)
