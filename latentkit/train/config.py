"""What defines each training run, with every default: the single source of the defaults
that the command line shows. Light on purpose (no torch), so that ``--help`` is instant."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from latentkit.errors import LatentkitError

LOSSES = ("ns", "minimax", "wgan-gp", "wgan-clip", "hinge")
ARCHS = ("auto", "dcgan", "mlp")
FAMILIES = ("gan", "cgan", "acgan", "infogan", "began", "stylegan2", "progan")
PRECISIONS = ("fp32", "bf16")  # bf16: the training step under bfloat16 autocast
POINT_DATA = ("ring8", "grid25")  # latentkit.data.POINT_SETS, kept here free of torch
NORMS = ("batch", "layer", "none")
# Top-k updates: the share of the batch kept falls by TOP_K_DECAY every TOP_K_EPOCH steps (the
# authors' 0.99 per epoch; an epoch of PacGAN's point sets, 100,000 points at batch 100).
TOP_K_DECAY, TOP_K_EPOCH = 0.99, 1000
ENCODERS = ("deterministic", "gaussian")


def check_precision(precision: str) -> None:
    """Refuse a training precision latentkit does not know."""
    if precision not in PRECISIONS:
        raise LatentkitError(f"unknown precision {precision!r} (known: {', '.join(PRECISIONS)})")


@dataclass(frozen=True)
class RunOptions:
    """How a run is carried out; none of it changes the result."""

    out: Path
    device: str = "auto"
    checkpoint_every: int = 500
    sample_every: int = 500
    log_every: int = 50
    resume: bool = False
    overwrite: bool = False
    progress: bool = True


@dataclass(frozen=True)
class GANConfig:
    """Everything that defines a GAN run's result. ``None`` means the loss's default: Adam
    lr 2e-4, betas (0.5, 0.999), one D step per G step (DCGAN); for ``wgan-gp`` lr 1e-4,
    betas (0, 0.9), 5 critic steps and layer norm in the critic (Gulrajani et al.); for
    ``wgan-clip`` RMSProp lr 5e-5, 5 critic steps, weights clipped to ±`clip` (Arjovsky et al.);
    on the 2-D point sets Adam lr 1e-4, betas (0.8, 0.999) (PacGAN). ``arch`` auto is mlp on
    point sets, else dcgan. `r1_gamma` γ adds R1, (γ/2)·E‖∇D(x)‖² on real images, to every D
    step (StyleGAN2: lazily, every `r1_every` steps, and None is its official auto γ).
    `lr_decay_steps` N > 0: both learning rates fall linearly to zero over the run's last N steps
    (a run extended later decays again over its new last N).

    The mode-collapse remedies: `pack` K, D judges K samples at once, concatenated along the
    channels (PacGAN); `unroll` K, G's loss is taken through K differentiable Adam updates of D
    (Metz et al.); `minibatch_kernels` B, Salimans et al.'s minibatch discrimination with B
    kernels; the ``began`` family (Berthelot et al.): an auto-encoder D with the equilibrium
    control k_t (`began_gamma` γ, `began_lambda_k` λ_k). `top_k` ν < 1: top-k generator updates
    (Sinha et al. 2020), G's loss over the fakes (or packs) D scores most real, a share of the
    batch falling from 1 by a factor 0.99 every `TOP_K_EPOCH` steps down to ν."""

    data: str
    resolution: int | None = None
    attributes_file: str | None = None
    strict: bool = False
    arch: str = "auto"
    latent_dim: int = 100
    width: int = 64
    prior: str = "normal"
    loss: str = "ns"
    steps: int = 5000
    batch_size: int = 64
    lr: float | None = None
    lr_decay_steps: int = 0
    beta1: float | None = None
    beta2: float | None = None
    n_critic: int | None = None
    gp_weight: float = 10.0
    label_smoothing: float = 0.0
    feature_matching: float = 0.0
    minibatch_std: bool = False
    d_norm: str = "auto"
    ema: float = 0.999
    family: str = "gan"
    info_categorical: int = 10
    info_continuous: int = 2
    aux_weight: float = 1.0
    mapping_layers: int = 2
    r1_gamma: float | None = None
    r1_every: int = 16
    style_mixing: float = 0.9
    pl_weight: float = 0.0
    pl_every: int = 4
    phase_steps: int = 1000
    drift: float = 0.001
    pack: int = 1
    unroll: int = 0
    minibatch_kernels: int = 0
    top_k: float = 1.0
    clip: float = 0.01
    began_gamma: float = 0.5
    began_lambda_k: float = 0.001
    d_class_loss: float = 0.0
    g_class_entropy: float = 0.0
    info_projection: bool = False
    precision: str = "fp32"
    seed: int = 0

    @property
    def points(self) -> bool:
        """Whether the data is a 2-D point set."""
        return self.data.partition("@")[0] in POINT_DATA

    def resolved(self) -> GANConfig:
        """The config with every default filled in and every value checked."""
        self._check_remedies()
        check_precision(self.precision)
        if not 0 <= self.lr_decay_steps <= self.steps:
            raise LatentkitError(
                f"lr_decay_steps must lie in [0, steps = {self.steps}], not {self.lr_decay_steps}",
                ("lr_decay_steps",),
            )
        if self.family == "stylegan2":
            return self._resolved_stylegan2()
        if self.family == "progan":
            return self._resolved_progan()
        if self.arch == "auto":
            return replace(self, arch="mlp" if self.points else "dcgan").resolved()
        if self.family == "began":
            return self._resolved_began()
        if self.loss not in LOSSES:
            raise LatentkitError(f"unknown loss {self.loss!r} (known: {', '.join(LOSSES)})")
        if self.arch not in ARCHS:
            raise LatentkitError(f"unknown architecture {self.arch!r} (known: {', '.join(ARCHS)})")
        if self.family not in FAMILIES:
            raise LatentkitError(f"unknown family {self.family!r} (known: {', '.join(FAMILIES)})")
        if self.family not in ("gan", "began", "infogan") and self.arch != "dcgan":
            raise LatentkitError(
                f"the {self.family} family needs the dcgan architecture", ("arch",)
            )
        if self.family == "infogan" and (
            self.info_categorical < 0
            or self.info_continuous < 0
            or self.info_categorical + self.info_continuous == 0
        ):
            raise LatentkitError("InfoGAN needs at least one code: info_categorical or continuous")
        if self.d_norm not in ("auto", *NORMS):
            raise LatentkitError(f"unknown norm {self.d_norm!r} (known: auto, {', '.join(NORMS)})")
        self._require_positive("steps", "batch_size", "latent_dim", "width")
        if not 0 <= self.label_smoothing < 1 or not 0 <= self.ema < 1:
            raise LatentkitError("label_smoothing and ema must lie in [0, 1)")
        wgan = self.loss == "wgan-gp"
        if self.loss == "wgan-clip":
            lr, beta1, n_critic = 5e-5, 0.0, 5
        elif wgan:
            lr, beta1, n_critic = 1e-4, 0.0, 5
        else:
            lr, beta1, n_critic = (1e-4, 0.8, 1) if self.points else (2e-4, 0.5, 1)
        return replace(
            self,
            lr=self.lr or lr,
            beta1=beta1 if self.beta1 is None else self.beta1,
            beta2=(0.9 if wgan else 0.999) if self.beta2 is None else self.beta2,
            n_critic=self.n_critic or n_critic,
            d_norm=("layer" if wgan else "batch") if self.d_norm == "auto" else self.d_norm,
        )

    def _check_remedies(self) -> None:
        """The mode-collapse and regularisation options: values, and the families and losses
        they work with."""
        if self.d_class_loss < 0 or (
            self.d_class_loss
            and (self.family not in ("gan", "infogan") or self.arch == "mlp" or self.pack > 1)
        ):
            raise LatentkitError(
                "d_class_loss must not be negative; it works with the gan and infogan families, "
                "the dcgan architecture and no packing",
                ("d_class_loss",),
            )
        if self.info_projection and (
            self.family != "infogan" or self.arch == "mlp" or self.pack > 1
        ):
            raise LatentkitError(
                "info_projection works with the infogan family, the dcgan architecture and no "
                "packing",
                ("info_projection",),
            )
        if self.g_class_entropy < 0 or (self.g_class_entropy and not self.d_class_loss):
            raise LatentkitError(
                "g_class_entropy must not be negative, and it needs D's class head (d_class_loss)",
                ("g_class_entropy", "d_class_loss"),
            )
        if self.pack < 1 or self.batch_size % self.pack:
            raise LatentkitError(
                f"pack must be at least 1 and divide the batch size {self.batch_size}, "
                f"not {self.pack}",
                ("pack",),
            )
        for name in ("unroll", "minibatch_kernels"):
            if getattr(self, name) < 0:
                raise LatentkitError(f"{name} must not be negative, not {getattr(self, name)}")
        if (self.pack > 1 or self.unroll) and self.family != "gan":
            raise LatentkitError("pack and unroll work with the gan family", ("pack", "unroll"))
        if self.minibatch_kernels and self.family in ("began", "stylegan2", "progan"):
            raise LatentkitError(f"the {self.family} family has no minibatch discrimination")
        if self.unroll and self.loss not in ("ns", "minimax", "hinge"):
            raise LatentkitError("unroll works with the ns, minimax and hinge losses", ("unroll",))
        if not 0 < self.top_k <= 1 or (self.top_k < 1 and self.family == "began"):
            raise LatentkitError(
                f"top_k must lie in (0, 1] (the began family takes none), not {self.top_k}",
                ("top_k",),
            )
        if self.clip <= 0:
            raise LatentkitError(f"clip must be positive, not {self.clip}")
        if self.r1_gamma is not None and self.family != "stylegan2":
            if self.r1_gamma < 0 or self.family in ("began", "progan"):
                raise LatentkitError(
                    "r1_gamma must not be negative, and the began and progan families take none",
                    ("r1_gamma",),
                )
            if self.loss not in ("ns", "minimax", "hinge"):
                raise LatentkitError(
                    "r1_gamma works with the ns, minimax and hinge losses", ("r1_gamma",)
                )

    def _resolved_began(self) -> GANConfig:
        """BEGAN (Berthelot et al. 2017): its own loss (L1 reconstruction of an auto-encoder D
        whose code has `latent_dim` units), Adam lr 1e-4, betas (0.5, 0.999), one D step."""
        if self.loss != "ns":
            raise LatentkitError("the began family has its own loss; leave --loss unset")
        if not 0 < self.began_gamma <= 1 or self.began_lambda_k < 0:
            raise LatentkitError("began_gamma must lie in (0, 1] and began_lambda_k be >= 0")
        self._require_positive("steps", "batch_size", "latent_dim", "width")
        return replace(
            self,
            lr=self.lr or 1e-4,
            beta1=0.5 if self.beta1 is None else self.beta1,
            beta2=0.999 if self.beta2 is None else self.beta2,
            n_critic=self.n_critic or 1,
            d_norm="none" if self.d_norm == "auto" else self.d_norm,
        )

    def _resolved_progan(self) -> GANConfig:
        """ProGAN (Karras et al. 2018): its growing networks (`width` the widest layer), the
        paper's WGAN-GP (``loss`` wgan-gp) with the drift term ε·E[D(x)²] (ε = `drift`) or the
        non-saturating loss, one critic step, Adam lr 0.001, betas (0, 0.99); each resolution
        fades in over `phase_steps` steps, then trains as many."""
        if self.arch not in ("auto", "dcgan", "progan") or self.loss not in ("wgan-gp", "ns"):
            raise LatentkitError(
                "the progan family has its own networks and the wgan-gp or ns loss"
            )
        if self.prior not in ("normal", "sphere"):
            raise LatentkitError("the progan family takes a normal or sphere prior")
        self._require_positive("steps", "batch_size", "latent_dim", "width", "phase_steps")
        if self.drift < 0 or not 0 <= self.ema < 1:
            raise LatentkitError("drift must not be negative and ema must lie in [0, 1)")
        return self._own_networks("progan", 0.001)

    def _resolved_stylegan2(self) -> GANConfig:
        """StyleGAN2 (Karras et al. 2020): its own networks (`width` is the widest layer), the
        non-saturating loss with lazy R1 (gamma None: the official "auto" 0.0002·R²/batch, set
        by the trainer), style mixing, optional path-length penalty, Adam lr 0.0025, betas
        (0, 0.99)."""
        if (
            self.arch not in ("auto", "dcgan", "stylegan2")
            or self.loss != "ns"
            or self.prior != "normal"
        ):
            raise LatentkitError(
                "the stylegan2 family has its own networks, the ns loss and a normal prior"
            )
        self._require_positive(
            "steps", "batch_size", "latent_dim", "width", "r1_every", "pl_every", "mapping_layers"
        )
        if not 0 <= self.style_mixing <= 1 or not 0 <= self.ema < 1:
            raise LatentkitError("style_mixing must lie in [0, 1] and ema in [0, 1)")
        if self.pl_weight < 0 or (self.r1_gamma is not None and self.r1_gamma < 0):
            raise LatentkitError("pl_weight and r1_gamma must not be negative")
        return self._own_networks("stylegan2", 0.0025)

    def _require_positive(self, *names: str) -> None:
        for name in names:
            if getattr(self, name) < 1:
                raise LatentkitError(f"{name} must be positive, not {getattr(self, name)}")

    def _own_networks(self, arch: str, lr: float) -> GANConfig:
        """A family with networks of its own: Karras et al.'s Adam (lr, betas (0, 0.99)) unless
        given, one critic step, no normalisation option."""
        return replace(
            self,
            arch=arch,
            lr=self.lr or lr,
            beta1=0.0 if self.beta1 is None else self.beta1,
            beta2=0.99 if self.beta2 is None else self.beta2,
            n_critic=self.n_critic or 1,
            d_norm="none",
        )


@dataclass(frozen=True)
class ScorerConfig:
    """What defines a scorer run."""

    data: str
    resolution: int | None = None
    attributes_file: str | None = None
    strict: bool = False
    attributes: tuple[str, ...] | None = None
    width: int = 32
    norm: str = "batch"
    steps: int = 2000
    batch_size: int = 128
    lr: float = 1e-3
    seed: int = 0

    def resolved(self) -> ScorerConfig:
        for name in ("steps", "batch_size", "width"):
            if getattr(self, name) < 1:
                raise LatentkitError(f"{name} must be positive, not {getattr(self, name)}")
        if self.norm not in ("batch", "layer"):
            raise LatentkitError(f"norm must be batch or layer, not {self.norm!r}")
        return self


@dataclass(frozen=True)
class EncoderConfig:
    """What defines a latent-regression run."""

    generator: str
    space: str = "z"
    truncation: float | None = None
    width: int = 64
    steps: int = 3000
    batch_size: int = 64
    lr: float = 2e-4
    seed: int = 0

    def resolved(self) -> EncoderConfig:
        for name in ("steps", "batch_size", "width"):
            if getattr(self, name) < 1:
                raise LatentkitError(f"{name} must be positive, not {getattr(self, name)}")
        return self


@dataclass(frozen=True)
class BiGANConfig:
    """What defines a BiGAN run."""

    data: str
    resolution: int | None = None
    attributes_file: str | None = None
    strict: bool = False
    latent_dim: int = 100
    width: int = 64
    encoder: str = "deterministic"
    unary: bool = False
    regression: float = 1.0
    steps: int = 5000
    batch_size: int = 64
    lr: float = 2e-4
    precision: str = "fp32"
    seed: int = 0

    def resolved(self) -> BiGANConfig:
        check_precision(self.precision)
        if self.encoder not in ENCODERS:
            raise LatentkitError(f"unknown encoder {self.encoder!r} (known: {', '.join(ENCODERS)})")
        for name in ("steps", "batch_size", "latent_dim", "width"):
            if getattr(self, name) < 1:
                raise LatentkitError(f"{name} must be positive, not {getattr(self, name)}")
        if self.regression < 0:
            raise LatentkitError(f"regression must not be negative, not {self.regression}")
        return self
