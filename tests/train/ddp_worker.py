"""Run under torchrun by the DDP tests: train a few steps, then save this rank's weights.

Usage: ddp_worker.py OUT gan LOSS|stylegan2|progan | ddp_worker.py OUT bigan ENCODER"""

import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

from latentkit.train.bigan import BiGANTrainer
from latentkit.train.config import BiGANConfig, GANConfig, RunOptions
from latentkit.train.gan import GANTrainer
from latentkit.train.loop import unwrap
from latentkit.train.progan import ProGANTrainer
from latentkit.train.stylegan2 import StyleGAN2Trainer

out, kind, option = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
options = RunOptions(
    out=out / "run", device="cpu", progress=False, checkpoint_every=2, sample_every=4
)
tiny = {
    "data": "digits",
    "resolution": 32,
    "width": 4,
    "latent_dim": 8,
    "batch_size": 8,
    "steps": 4,
}
if kind == "gan" and option == "stylegan2":
    style = {"family": "stylegan2", "r1_every": 2, "pl_weight": 2.0, "pl_every": 2}
    trainer = StyleGAN2Trainer(GANConfig(**{**tiny, "resolution": 8}, **style), options)
    networks = {"G": trainer.g, "D": trainer.d}
elif kind == "gan" and option == "progan":
    config = GANConfig(**{**tiny, "resolution": 8}, family="progan", phase_steps=1, loss="wgan-gp")
    trainer = ProGANTrainer(config, options)
    networks = {"G": trainer.g, "D": trainer.d}
elif kind == "gan":
    config = GANConfig(**tiny, loss=option, minibatch_std=True, feature_matching=0.5)
    trainer = GANTrainer(config, options)
    networks = {"G": trainer.g, "D": trainer.d}
else:
    trainer = BiGANTrainer(BiGANConfig(**tiny, encoder=option, unary=True), options)
    networks = {"G": trainer.g, "E": trainer.e, "D": trainer.d}
trainer.run()
weights = {
    f"{name}.{k}": v for name, net in networks.items() for k, v in unwrap(net).state_dict().items()
}
save_file(
    {k: v.detach().contiguous() for k, v in weights.items()},
    str(out / f"rank{trainer.dist.rank}.safetensors"),
)
trainer.close()
torch.set_num_threads(1)
