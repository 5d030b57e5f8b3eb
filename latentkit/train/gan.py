"""The GAN training loop: DCGAN or MLP networks, four losses, the stabilising tricks, and the
families built on them.

Families: ``gan`` (unconditional); ``cgan``, class-conditional G (one-hot labels beside z) and a
projection discriminator; ``acgan``, the same G with an auxiliary classifier on D's features
(Odena et al.: both nets minimise the class cross-entropy, on real and fake images for D, on fakes
for G); ``infogan`` (Chen et al.), codes c beside the noise — a one-hot categorical of
``info_categorical`` classes and ``info_continuous`` uniform codes, the prior ``infogan:K:M`` —
and a Q head sharing D's body that recovers c from G(z, c): D and Q minimise the mutual-information
loss on fakes, and so does G (cross-entropy for the categorical code, squared error for the
continuous ones, i.e. a Gaussian of fixed variance), weighted by ``aux_weight``.

``d_class_loss`` teaches D the real images' classes through a class head: an extra head for the
``gan`` family (the AC-GAN discriminator term, G unconditional); for ``infogan`` the head is Q's
categorical code, which then has one class per dataset class and learns from the real images'
labels alone (D's mutual-information loss on fakes keeps the continuous codes only), while G is
still asked to make the code recoverable: a semi-supervised InfoGAN (after Spurr et al. 2017)
whose categorical code can only be met by drawing the labelled factor. ``info_projection`` binds
it instead through a projection discriminator: D judges real images with their labels and fakes
with their code's category (a class-conditional GAN whose label is drawn inside the code), and Q
reads the continuous codes only; there is no class head for G to satisfy with patterns other
than the class itself. With ``d_class_loss`` beside it, D also gets a class head trained on the
real images alone (G never sees it), which teaches D's features the classes that the projection
then compares.

Per step: ``n_critic`` discriminator updates, then one generator update, then the EMA update.
Batches and noise are drawn statelessly from (seed, step, rank), so a run resumed from a
checkpoint reproduces an uninterrupted run exactly on CPU. Under torchrun the networks are wrapped
in DistributedDataParallel; ``batch_size`` is per process and rank 0 alone writes files.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from latentkit.data import load_dataset
from latentkit.errors import LatentkitError
from latentkit.io.checkpoint import model_entry
from latentkit.io.models import save_model
from latentkit.nets import build
from latentkit.priors import sample_prior
from latentkit.runtime import EpochSampler
from latentkit.seeds import torch_generator
from latentkit.train.config import TOP_K_DECAY, TOP_K_EPOCH, GANConfig, RunOptions
from latentkit.train.ema import ema_decay, update_ema
from latentkit.train.loop import Trainer, train, unwrap
from latentkit.train.losses import (
    class_entropy_term,
    discriminator_loss,
    feature_matching_loss,
    generator_loss,
    gradient_penalty,
    r1_penalty,
)
from latentkit.viz.grid import save_grid

log = logging.getLogger("latentkit")

# Streams of random numbers, each seeded with (seed, stream, step, ...).
_NOISE, _GP, _SAMPLES, _LABELS = range(4)
# D's config entries that InfoGAN's encoder sets itself (the rest it takes from D).
ENCODER_OWN = ("arch", "extra_outputs", "projection_classes")


def build_networks(
    config: GANConfig, channels: int, resolution: int, class_labels: list[str] | None = None
) -> tuple[nn.Module, nn.Module]:
    """The generator and discriminator of a resolved config (`class_labels` for the
    conditional families)."""
    if config.arch == "progan":
        levels = [4 * 2**i for i in range(int(math.log2(resolution)) - 1)]
        widths = [config.latent_dim] + [min(config.width, config.width * 8 // r) for r in levels]
        g = build({"arch": "progan.generator", "channels": widths, "image_channels": channels,
                   "prior": config.prior})  # fmt: skip
        d = build({"arch": "progan.discriminator", "channels": widths,
                   "image_channels": channels})  # fmt: skip
        return g, d
    if config.arch == "stylegan2":
        widths = {"channel_base": 16 * config.width, "channel_max": config.width}
        g = build({"arch": "stylegan2.generator", "latent_dim": config.latent_dim,
                   "w_dim": config.latent_dim, "resolution": resolution, "channels": channels,
                   "mapping_layers": config.mapping_layers, **widths})  # fmt: skip
        d = build({"arch": "stylegan2.discriminator", "resolution": resolution,
                   "channels": channels, **widths})  # fmt: skip
        return g, d
    common = {"resolution": resolution, "channels": channels, "width": config.width}
    g_args = {"latent_dim": config.latent_dim, "prior": config.prior}
    d_args = {"norm": config.d_norm} if config.arch == "dcgan" else {}
    if config.arch == "mlp" and config.points:  # PacGAN's networks
        g_args.update(hidden_layers=4, batch_norm=True, output="linear")
        d_args.update(hidden_layers=3, maxout=5, width=max(1, config.width // 2))
    if config.d_class_loss:  # D classifies real images; G stays unconditional
        d_args["extra_outputs"] = len(class_labels or [])
    if config.family in ("cgan", "acgan"):
        g_args["class_labels"] = list(class_labels or [])
        key = "projection_classes" if config.family == "cgan" else "extra_outputs"
        d_args[key] = len(class_labels or [])
    if config.family == "infogan":
        codes = config.info_categorical + config.info_continuous
        g_args["latent_dim"] = config.latent_dim + codes
        g_args["prior"] = f"infogan:{config.info_categorical}:{config.info_continuous}"
        d_args["extra_outputs"] = codes
        if config.info_projection:  # extra outputs: the class head (d_class_loss), then Q
            head = config.info_categorical if config.d_class_loss else 0
            d_args.update(projection_classes=config.info_categorical,
                          extra_outputs=head + config.info_continuous)  # fmt: skip
    g = build({"arch": f"{config.arch}.generator", **common, **g_args})
    if config.family == "began":
        # The auto-encoder's code is narrower than the data (at most half of it): a code as wide
        # as 2-D points lets D be the identity, which reconstructs fakes as well as reals.
        code = min(config.latent_dim, channels * resolution**2 // 2)
        d = build({"arch": "began.discriminator", **common, "code": code,
                   "dense": config.arch == "mlp"})  # fmt: skip
        return g, d
    d = build(
        {
            "arch": f"{config.arch}.discriminator",
            **common,
            "channels": channels * config.pack,  # PacGAN: K samples side by side
            "minibatch_std": config.minibatch_std,
            "minibatch_kernels": config.minibatch_kernels,
            **d_args,
        }
    )
    return g, d


def info_loss(q: torch.Tensor, codes: torch.Tensor, categorical: int) -> torch.Tensor:
    """InfoGAN's mutual-information loss of Q's outputs [N, K + M] for the codes [N, K + M]
    (one-hot categorical, then continuous): cross-entropy plus mean squared error."""
    loss = q.new_zeros(())
    if categorical:
        loss = loss + F.cross_entropy(q[:, :categorical], codes[:, :categorical].argmax(dim=1))
    if q.shape[1] > categorical:
        loss = loss + F.mse_loss(q[:, categorical:], codes[:, categorical:])
    return loss


class GANTrainer(Trainer):
    """A GAN run: networks, optimisers and data; `run` trains to ``config.steps``."""

    kind = "gan"

    def __init__(self, config: GANConfig, options: RunOptions):
        super().__init__(config, options)
        self.data = load_dataset(
            self.config.data,
            self.config.resolution,
            self.config.attributes_file,
            self.config.strict,
        )
        self.sampler = EpochSampler(len(self.data), self.config.seed)
        self.conditional = self.config.family in ("cgan", "acgan")
        # Real batches carry their class labels for a conditional G or D's class head.
        self.labelled = (
            self.conditional or bool(self.config.d_class_loss) or self.config.info_projection
        )
        labels = None
        if self.labelled:
            if self.data.class_attribute is None:
                user = (
                    f"the {self.config.family} family"
                    if self.conditional
                    else ("info_projection" if self.config.info_projection else "d_class_loss")
                )
                raise LatentkitError(
                    f"{user} needs a dataset with classes; {self.config.data} has none"
                )
            labels = self.data.class_labels()
            if self.config.family == "infogan" and self.config.info_categorical != len(labels):
                raise LatentkitError(
                    f"binding the infogan categorical code to {self.config.data}'s "
                    f"{len(labels)} classes: info_categorical must be {len(labels)}, "
                    f"not {self.config.info_categorical}",
                    ("info_categorical",),
                )
        self.class_count = len(labels or [])
        torch.manual_seed(self.config.seed)  # weight initialisation
        g, d = build_networks(self.config, self.data.channels, self.data.resolution, labels)
        self.g, self.d = g.to(self.dist.device), d.to(self.dist.device)
        self.g_ema = build(g.config).to(self.dist.device).eval() if self.config.ema > 0 else None
        if self.g_ema is not None:
            self.g_ema.load_state_dict(g.state_dict())
        self.prepare_optimizers()
        self.start("g", "d")

    def prepare_optimizers(self) -> None:
        """The optimisers of G and D (a subclass adds its regularisers' state here, before a
        checkpoint is restored)."""
        self.opt_g = self.optimizer(self.g)
        self.opt_d = self.optimizer(self.d)

    def optimizer(self, net: nn.Module, ratio: float = 1.0) -> torch.optim.Optimizer:
        """Adam for `net` as configured; a lazily regularised net (`ratio` = k / (k + 1) for a
        penalty every k steps) gets lr·ratio and betas**ratio, as StyleGAN2 does."""
        if self.config.loss == "wgan-clip":
            return torch.optim.RMSprop(net.parameters(), lr=self.config.lr)
        betas = (self.config.beta1**ratio, self.config.beta2**ratio)
        return torch.optim.Adam(net.parameters(), lr=self.config.lr * ratio, betas=betas)

    def advance(self) -> dict[str, float]:
        """One training step at the learning rates of its place in the schedule."""
        self.decay_learning_rates()
        return super().advance()

    def decay_learning_rates(self) -> None:
        """Both optimisers' learning rates, scaled by (steps − step) / ``lr_decay_steps`` over the
        run's last ``lr_decay_steps`` steps (each group's own rate is kept as ``initial_lr``, so
        a resumed run continues the same schedule)."""
        decay = self.config.lr_decay_steps
        if not decay:
            return
        factor = min(1.0, (self.config.steps - self.step) / decay)
        for optimizer in (self.opt_g, self.opt_d):
            for group in optimizer.param_groups:
                group["lr"] = group.setdefault("initial_lr", group["lr"]) * factor

    # -- state -----------------------------------------------------------------------------
    def state(self) -> dict:
        models = {
            "G": model_entry(unwrap(self.g)),
            "D": model_entry(unwrap(self.d)),
            "generator": model_entry(self.export_generator()),
        }
        if self.g_ema is not None:
            models["G_ema"] = model_entry(self.g_ema)
        return {
            "models": models,
            "optimizers": {"G": self.opt_g.state_dict(), "D": self.opt_d.state_dict()},
        }

    def restore(self, state: dict) -> None:
        models = state["models"]
        self.g.load_state_dict(models["G"]["state"])
        self.d.load_state_dict(models["D"]["state"])
        if self.g_ema is not None:
            self.g_ema.load_state_dict(models["G_ema"]["state"])
        self.opt_g.load_state_dict(state["optimizers"]["G"])
        self.opt_d.load_state_dict(state["optimizers"]["D"])

    def export_generator(self) -> nn.Module:
        """The generator to ship: EMA weights when kept, with recalibrated BatchNorm statistics."""
        source = self.g_ema if self.g_ema is not None else unwrap(self.g)
        return self.shipped_generator(source)

    def export(self) -> None:
        source = {"trainer": "gan", "step": self.step, "config": asdict(self.config)}
        save_model(
            self.folder.path / "generator.safetensors", self.export_generator(), "generator", source
        )
        if self.config.family == "infogan":
            save_model(
                self.folder.path / "encoder.safetensors", self.info_encoder(), "encoder", source
            )

    def info_encoder(self) -> nn.Module:
        """InfoGAN's Q (with D's body) as an encoder of the codes c, in eval mode."""
        d = unwrap(self.d)
        args = {k: v for k, v in d.config.items() if k not in ENCODER_OWN}
        c = self.config
        if c.info_projection:
            args.update(projection=True, class_head=bool(c.d_class_loss))
        encoder = build(
            {
                "arch": f"{c.arch}.info_encoder",
                **args,
                "categorical": c.info_categorical,
                "continuous": c.info_continuous,
            }
        )
        encoder.discriminator.load_state_dict(d.state_dict())
        return encoder.to(self.dist.device).eval()

    def write_samples(self) -> None:
        """An 8×8 grid of the shipped generator's images, or for a point set 2,500 of its
        points over the data's mode centres (VEEGAN's plots)."""
        shipped = self.export_generator()
        count = 2500 if self.config.points else 64
        z = sample_prior(
            shipped.prior, count, shipped.latent_dim, torch_generator(self.config.seed, _SAMPLES)
        )
        labels = torch.arange(count) // 8 % shipped.num_classes if shipped.num_classes else None
        with torch.no_grad():
            images = shipped(z.to(self.dist.device), *self._on_device(labels))
        (self.folder.path / "samples").mkdir(exist_ok=True)
        path = self.folder.path / "samples" / f"step_{self.step:07d}.png"
        title = f"{self.config.data}, step {self.step}"
        if self.config.points:
            from latentkit.viz.modes import plot_points

            plot_points(path, images.flatten(1).cpu().numpy(), self.data.centres, title)
        else:
            save_grid(path, images, 8, title=title)

    # -- one step --------------------------------------------------------------------------
    def pack(self, x: torch.Tensor) -> torch.Tensor:
        """PacGAN's packing: a batch [N, C, ...] as [N / K, K·C, ...], K = ``pack`` consecutive
        samples side by side along the channels."""
        k = self.config.pack
        return x if k == 1 else x.reshape(x.shape[0] // k, k * x.shape[1], *x.shape[2:])

    def judge(self, net: nn.Module, x: torch.Tensor, labels: tuple = ()) -> tuple:
        """D's outputs on `x`, packed."""
        return net(self.pack(x), *labels)

    def clip_weights(self) -> None:
        """WGAN's weight clipping: every weight of the critic into [−clip, clip]."""
        with torch.no_grad():
            for p in self.d.parameters():
                p.clamp_(-self.config.clip, self.config.clip)

    def unrolled_outputs(
        self, real: torch.Tensor, fake: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """D's outputs on `fake` after ``unroll`` Adam updates of D on (real, fake), each kept
        differentiable (Metz et al. 2017): G's gradient sees how D would answer. The updates
        start from D's own optimiser state; D itself is left unchanged."""
        from torch.func import functional_call

        c, d = self.config, unwrap(self.d)
        group = self.opt_d.param_groups[0]
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        params = {k: p.detach().requires_grad_(True) for k, p in d.named_parameters()}
        buffers = {k: b.clone() for k, b in d.named_buffers()}
        state = [self.opt_d.state.get(p, {}) for p in d.parameters()]
        pairs = list(zip(state, params.values(), strict=True))
        m = [s.get("exp_avg", torch.zeros_like(p)) for s, p in pairs]
        v = [s.get("exp_avg_sq", torch.zeros_like(p)) for s, p in pairs]
        t0 = int(state[0].get("step", 0))

        def judge(x: torch.Tensor) -> tuple:
            return self.judge(lambda y: functional_call(d, (params, buffers), (y,)), x)

        for k in range(c.unroll):
            loss = discriminator_loss(c.loss, judge(real)[0], judge(fake)[0], c.label_smoothing)
            grads = torch.autograd.grad(loss, list(params.values()), create_graph=True)
            t = t0 + k + 1
            for i, (name, p) in enumerate(list(params.items())):
                # Adam in fused operations (fewer nodes to differentiate through, same values)
                m[i] = torch.lerp(m[i], grads[i], 1 - beta1)
                v[i] = torch.addcmul(v[i] * beta2, grads[i], grads[i], value=1 - beta2)
                # + 1e-16 under the root: its derivative at v = 0 would be infinite
                denominator = (v[i] / (1 - beta2**t) + 1e-16).sqrt() + eps
                params[name] = torch.addcdiv(p, m[i], denominator, value=-lr / (1 - beta1**t))
        return judge(fake)

    def top_scored(self, fake_logits: torch.Tensor) -> torch.Tensor:
        """Top-k updates (Sinha et al. 2020): the logits of the fakes (packs) D scores most real,
        k a share of the batch falling from 1 by ``TOP_K_DECAY`` every ``TOP_K_EPOCH`` steps to
        ``top_k``; G's loss on them alone leaves the worst fakes without a gradient. All the
        logits when ``top_k`` is 1."""
        share = max(self.config.top_k, TOP_K_DECAY ** (self.step // TOP_K_EPOCH))
        if share >= 1:
            return fake_logits
        return fake_logits.topk(max(1, round(share * len(fake_logits)))).values

    def _noise(self, *keys: int) -> torch.Tensor:
        g = unwrap(self.g)
        z = sample_prior(
            g.prior,
            self.config.batch_size,
            g.latent_dim,
            torch_generator(self.config.seed, *keys, self.dist.rank),
        )
        return z.to(self.dist.device)

    def _fake_labels(self, *keys: int) -> tuple[torch.Tensor, ...]:
        """Uniform class labels for the fakes of a conditional family (else nothing)."""
        if not self.conditional:
            return ()
        draws = torch_generator(self.config.seed, _LABELS, *keys, self.dist.rank)
        labels = torch.randint(
            unwrap(self.g).num_classes, (self.config.batch_size,), generator=draws
        )
        return (labels.to(self.dist.device),)

    def _on_device(self, labels: torch.Tensor | None) -> tuple[torch.Tensor, ...]:
        return () if labels is None else (labels.to(self.dist.device),)

    def _real_batch(self, index: int) -> tuple[torch.Tensor, tuple[torch.Tensor, ...]]:
        b, world = self.config.batch_size, self.dist.world_size
        start = (index * world + self.dist.rank) * b
        rows = self.sampler.take(start, b)
        images = self.data.images(rows).to(self.dist.device)
        if not self.labelled:
            return images, ()
        return images, (torch.from_numpy(self.data.labels(rows)).to(self.dist.device),)

    def _auxiliary(
        self, extra: torch.Tensor, labels: tuple, codes: torch.Tensor, categorical: bool = True
    ) -> torch.Tensor:
        """AC-GAN's class loss or InfoGAN's mutual-information loss on D's extra outputs;
        without `categorical`, InfoGAN's continuous codes only."""
        c = self.config
        if c.family == "acgan":
            return F.cross_entropy(extra, labels[0])
        if c.info_projection:  # Q: the last M outputs (after any class head), the last M codes
            m = c.info_continuous
            return info_loss(extra[:, extra.shape[1] - m :], codes[:, codes.shape[1] - m :], 0)
        skip = 0 if categorical else c.info_categorical
        start = codes.shape[1] - c.info_categorical - c.info_continuous + skip
        return info_loss(extra[:, skip:], codes[:, start:], c.info_categorical - skip)

    def train_step(self) -> dict[str, float]:
        """One generator update and its ``n_critic`` discriminator updates; returns the losses."""
        c, step = self.config, self.step
        d_module = unwrap(self.d)
        projection = c.family == "cgan" or c.info_projection
        auxiliary = c.family == "acgan" or (
            c.family == "infogan" and not (c.info_projection and c.info_continuous == 0)
        )
        stats: dict[str, float] = {}
        d_module.requires_grad_(True)
        for k in range(c.n_critic):
            real, real_labels = self._real_batch(step * c.n_critic + k)
            last = k == c.n_critic - 1
            z, fake_labels = self._noise(_NOISE, step, k), self._fake_labels(step, k)
            # The last critic step's fakes keep their graph and are reused by the G step.
            with torch.set_grad_enabled(last):
                fake = self.g(z, *fake_labels)
            if c.info_projection:  # D judges each fake as an image of its code's category
                start = z.shape[1] - c.info_categorical - c.info_continuous
                fake_labels = (z[:, start : start + c.info_categorical].argmax(dim=1),)
            real.requires_grad_(bool(c.r1_gamma))
            real_logits, real_features, real_extra = self.judge(
                self.d, real, real_labels if projection else ()
            )
            fake_logits, _, fake_extra = self.judge(
                self.d, fake.detach(), fake_labels if projection else ()
            )
            d_loss = discriminator_loss(c.loss, real_logits, fake_logits, c.label_smoothing)
            if c.r1_gamma:
                r1 = r1_penalty(real_logits, real)
                stats["r1"] = r1.item()
                d_loss = d_loss + c.r1_gamma / 2 * r1
            if c.loss == "wgan-gp":
                gp = gradient_penalty(
                    lambda x, labels=fake_labels: self.d(x, *(labels if projection else ()))[0],
                    self.pack(real),
                    self.pack(fake.detach()),
                    torch_generator(c.seed, _GP, step, k, self.dist.rank),
                )
                stats["gp"] = gp.item()
                d_loss = d_loss + c.gp_weight * gp
            if c.d_class_loss:
                real_class = F.cross_entropy(real_extra[:, : self.class_count], real_labels[0])
                stats["d_class"] = real_class.item()
                d_loss = d_loss + c.d_class_loss * real_class
            if auxiliary:
                # A categorical code bound to the classes learns them from real images only, so
                # that G can meet it only by drawing what the labelled images show.
                aux = self._auxiliary(fake_extra, fake_labels, z, not c.d_class_loss)
                if c.family == "acgan":
                    aux = aux + self._auxiliary(real_extra, real_labels, z)
                stats["d_aux"] = aux.item()
                d_loss = d_loss + c.aux_weight * aux
            self.opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            self.opt_d.step()
            if c.loss == "wgan-clip":
                self.clip_weights()
        # Generator step through the bare discriminator with frozen weights: no D gradients.
        d_module.requires_grad_(False)
        if c.unroll:
            fake_logits, fake_features, fake_extra = self.unrolled_outputs(real, fake)
        else:
            fake_logits, fake_features, fake_extra = self.judge(
                d_module, fake, fake_labels if projection else ()
            )
        g_loss = generator_loss(c.loss, self.top_scored(fake_logits))
        if c.feature_matching > 0:
            fm = feature_matching_loss(real_features.detach(), fake_features)
            stats["fm"] = fm.item()
            g_loss = g_loss + c.feature_matching * fm
        if c.g_class_entropy:
            entropy = class_entropy_term(fake_extra[:, : self.class_count])
            stats["g_class"] = entropy.item()
            g_loss = g_loss + c.g_class_entropy * entropy
        if auxiliary:
            aux = self._auxiliary(fake_extra, fake_labels, z)
            stats["g_aux"] = aux.item()
            g_loss = g_loss + c.aux_weight * aux
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        if self.g_ema is not None:
            update_ema(self.g_ema, unwrap(self.g), ema_decay(c.ema, step))
        stats["d_loss"], stats["g_loss"] = d_loss.item(), g_loss.item()
        return stats


def train_gan(config: GANConfig, options: RunOptions) -> Path:
    """Train a GAN as configured; returns the run folder (``generator.safetensors`` inside)."""
    if config.family == "stylegan2":
        from latentkit.train.stylegan2 import StyleGAN2Trainer

        return train(StyleGAN2Trainer(config, options))
    if config.family == "progan":
        from latentkit.train.progan import ProGANTrainer

        return train(ProGANTrainer(config, options))
    if config.family == "began":
        from latentkit.train.began import BEGANTrainer

        return train(BEGANTrainer(config, options))
    return train(GANTrainer(config, options))
