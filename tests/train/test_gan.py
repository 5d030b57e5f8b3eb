import copy
import json
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file

from latentkit.data import load_dataset
from latentkit.errors import LatentkitError, TrainingInterrupted
from latentkit.io.checkpoint import load_state
from latentkit.io.models import load_encoder, load_generator, load_model
from latentkit.latent.sample import generate
from latentkit.priors import sample_codes, sample_prior
from latentkit.train import gan as gan_module
from latentkit.train.config import GANConfig, RunOptions
from latentkit.train.gan import GANTrainer, train_gan
from latentkit.train.loop import train
from latentkit.train.losses import class_entropy_term, discriminator_loss

ROOT = Path(__file__).resolve().parents[2]
TINY = GANConfig(
    data="digits", resolution=8, arch="mlp", width=32, latent_dim=8, batch_size=16, steps=6
)


def options(out, **kw):
    return RunOptions(
        out=out,
        device="cpu",
        progress=False,
        **{"checkpoint_every": 3, "sample_every": 3, "log_every": 1, **kw},
    )


@pytest.mark.parametrize("loss", ["ns", "minimax", "wgan-gp", "hinge"])
def test_every_loss_trains_with_finite_values(tmp_path, loss):
    config = replace(TINY, loss=loss, label_smoothing=0.1, feature_matching=1.0, minibatch_std=True)
    out = train_gan(config, options(tmp_path / "run"))
    records = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == list(range(1, 7))
    assert all(torch.isfinite(torch.tensor(r["d_loss"])) for r in records)
    assert ("gp" in records[0]) == (loss == "wgan-gp")
    assert (out / "samples" / "step_0000006.png").exists() and (out / "loss.png").exists()
    assert load_generator(out / "generator.safetensors").latent_dim == 8


# A toy target: 8×8 digits, a small MLP pair, no EMA (the shipped generator is G itself).
TOY = replace(TINY, batch_size=32, ema=0.0)


def quick(out):
    """Run options that write only the final checkpoint and samples."""
    return options(out, checkpoint_every=1000, sample_every=1000, log_every=50)


def mean_image_gap(run) -> float:
    """Squared distance between the mean generated image and the mean real image."""
    g = load_generator(run)
    fake = generate(g, sample_codes(g.prior, 512, g.latent_dim, seed=1))
    real = load_dataset("digits", 8)
    return float((fake.mean(0) - real.images(np.arange(len(real))).mean(0)).pow(2).mean())


@pytest.mark.parametrize(
    ("loss", "steps", "lr"),
    [("ns", 100, None), ("minimax", 100, None), ("hinge", 100, None), ("wgan-gp", 150, 5e-4)],
)
def test_every_loss_moves_the_generator_toward_the_data(tmp_path, loss, steps, lr):
    config = replace(TOY, loss=loss, lr=lr)
    start = mean_image_gap(train_gan(replace(config, steps=1), quick(tmp_path / "a")))
    end = mean_image_gap(train_gan(replace(config, steps=steps), quick(tmp_path / "b")))
    assert end < 0.7 * start, (start, end)


@pytest.mark.parametrize(
    ("trick", "steps"),
    [
        ({"label_smoothing": 0.3}, 100),
        ({"feature_matching": 1.0}, 100),
        ({"minibatch_std": True}, 100),
        # Minibatch discrimination first spends G's steps on spreading its near-identical
        # initial samples (D tells the batches apart by that alone), then learns the images.
        ({"minibatch_kernels": 8}, 300),
    ],
)
def test_every_trick_changes_training_and_still_learns(tmp_path, trick, steps):
    plain = train_gan(replace(TOY, steps=steps), quick(tmp_path / "plain"))
    tricked = train_gan(replace(TOY, steps=steps, **trick), quick(tmp_path / "trick"))
    assert mean_image_gap(tricked) < 0.7 * mean_image_gap(train_gan(
        replace(TOY, steps=1, **trick), quick(tmp_path / "start")))  # fmt: skip
    weights = [load_state(run / "checkpoint.safetensors")["models"]["G"]["state"] for run in
               (plain, tricked)]  # fmt: skip
    assert any(not torch.equal(weights[0][k], weights[1][k]) for k in weights[0])


def test_r1_adds_the_gradient_norm_on_real_images_to_each_d_step(tmp_path):
    trainer = GANTrainer(replace(TOY, r1_gamma=10.0), options(tmp_path / "r1"))
    real = trainer._real_batch(0)[0].clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(trainer.d(real)[0].sum(), real)
    expected = grad.square().flatten(1).sum(dim=1).mean().item()
    assert trainer.train_step()["r1"] == pytest.approx(expected, rel=1e-4)
    for wrong in ({"loss": "wgan-gp"}, {"family": "began"}, {"r1_gamma": -1.0}):
        with pytest.raises(LatentkitError, match="r1_gamma"):
            replace(TOY, **{"r1_gamma": 1.0, **wrong}).resolved()


def test_ema_ships_the_moving_average_and_wgan_gp_takes_its_paper_defaults(tmp_path):
    state = load_state(train_gan(replace(TOY, ema=0.5, steps=3), quick(tmp_path / "e")) /
                       "checkpoint.safetensors")  # fmt: skip
    g, ema = state["models"]["G"]["state"], state["models"]["G_ema"]["state"]
    assert any(not torch.equal(g[k], ema[k]) for k in g)
    resolved = GANConfig(data="digits", loss="wgan-gp").resolved()
    assert (resolved.lr, resolved.beta1, resolved.beta2) == (1e-4, 0.0, 0.9)
    assert (resolved.n_critic, resolved.d_norm) == (5, "layer")
    run = train_gan(replace(TOY, loss="wgan-gp", steps=2), quick(tmp_path / "w"))
    optimizers = load_state(run / "checkpoint.safetensors")["optimizers"]
    d_steps = {int(slot["step"]) for slot in optimizers["D"]["state"].values()}
    g_steps = {int(slot["step"]) for slot in optimizers["G"]["state"].values()}
    assert (d_steps, g_steps) == ({10}, {2})  # five critic updates per generator update


def test_dcgan_trains_and_ships_a_recalibrated_ema_generator(tmp_path):
    config = GANConfig(data="digits", width=4, latent_dim=8, batch_size=8, steps=2)
    out = train_gan(config, options(tmp_path / "run", checkpoint_every=2))
    state = load_state(out / "checkpoint.safetensors")
    assert set(state["models"]) == {"G", "D", "G_ema", "generator"}
    shipped = load_generator(out)
    assert shipped(torch.zeros(2, 8)).shape == (2, 1, 32, 32)
    assert not torch.equal(
        state["models"]["generator"]["state"]["main.1.running_mean"],
        state["models"]["G"]["state"]["main.1.running_mean"],
    )


def final_state(folder):
    state = load_state(folder / "checkpoint.safetensors")
    tensors = {
        f"{name}.{k}": v for name, m in state["models"].items() for k, v in m["state"].items()
    }
    for name, opt in state["optimizers"].items():
        for i, slots in opt["state"].items():
            tensors |= {f"opt{name}.{i}.{k}": v for k, v in slots.items()}
    return state["step"], tensors


def assert_same_state(a, b):
    (step_a, ta), (step_b, tb) = final_state(a), final_state(b)
    assert step_a == step_b and ta.keys() == tb.keys()
    for key in ta:
        assert torch.equal(ta[key], tb[key]), key


def test_resume_reproduces_an_uninterrupted_run(tmp_path):
    config = replace(TINY, loss="wgan-gp", feature_matching=0.5)
    train_gan(config, options(tmp_path / "straight"))
    train_gan(replace(config, steps=3), options(tmp_path / "split"))
    train_gan(config, options(tmp_path / "split", resume=True))
    assert_same_state(tmp_path / "straight", tmp_path / "split")
    steps = [json.loads(r)["step"] for r in (tmp_path / "split/log.jsonl").read_text().splitlines()]
    assert steps == list(range(1, 7))


def test_resume_refuses_changed_settings_and_existing_runs_need_a_flag(tmp_path):
    train_gan(replace(TINY, steps=3), options(tmp_path / "run"))
    with pytest.raises(LatentkitError, match="loss was 'ns' in the checkpoint, now 'hinge'"):
        GANTrainer(replace(TINY, loss="hinge"), options(tmp_path / "run", resume=True))
    with pytest.raises(LatentkitError, match="holds a run already"):
        GANTrainer(TINY, options(tmp_path / "run"))


def test_nan_loss_stops_and_keeps_the_last_good_checkpoint(tmp_path):
    trainer = GANTrainer(TINY, options(tmp_path / "run"))
    trainer.options = replace(trainer.options, checkpoint_every=2)
    trainer.config = replace(trainer.config, steps=2)
    trainer.run()
    trainer.data.images = lambda index: torch.full((len(index), 1, 8, 8), float("nan"))
    trainer.config = replace(trainer.config, steps=6)
    with pytest.raises(LatentkitError, match=r"diverged at step 3.*last good checkpoint"):
        trainer.run()
    assert load_state(tmp_path / "run/checkpoint.safetensors")["step"] == 2


def torchrun_ranks(tmp_path, kind: str, option: str) -> tuple[dict, dict]:
    """Train tests/train/ddp_worker.py under torchrun with two processes; each rank's weights."""
    done = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
         str(ROOT / "tests/train/ddp_worker.py"), str(tmp_path), kind, option],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"},
    )  # fmt: skip
    errors = [line for line in done.stderr.splitlines() if "Error" in line]
    assert done.returncode == 0, "\n".join(errors[-5:] or done.stderr.splitlines()[-5:])
    return (
        load_file(str(tmp_path / "rank0.safetensors")),
        load_file(str(tmp_path / "rank1.safetensors")),
    )


def assert_ranks_agree(tmp_path, rank0: dict, rank1: dict) -> None:
    """Both ranks hold the same trained parameters, and rank 0 wrote one run of 4 steps."""
    params = [k for k in rank0 if "running" not in k]
    assert params and all(torch.equal(rank0[k], rank1[k]) for k in params)
    run = json.loads((tmp_path / "run/run.json").read_text())
    assert run["world_size"] == 2
    assert load_state(tmp_path / "run/checkpoint.safetensors")["step"] == 4


def test_torchrun_two_processes_end_with_identical_weights(tmp_path):
    # WGAN-GP: five critic steps with the penalty's double backward per generator step
    assert_ranks_agree(tmp_path, *torchrun_ranks(tmp_path, "gan", "wgan-gp"))


def test_conditional_generators_take_the_asked_class(tmp_path):
    for family in ("cgan", "acgan"):
        config = GANConfig(
            data="digits", width=4, latent_dim=8, batch_size=16, steps=3, family=family
        )
        out = train_gan(config, options(tmp_path / family))
        records = [json.loads(r) for r in (out / "log.jsonl").read_text().splitlines()]
        assert all(torch.isfinite(torch.tensor(r["d_loss"])) for r in records)
        assert ("d_aux" in records[-1]) == (family == "acgan")
        g = load_model(out / "generator.safetensors", "generator")
        assert g.class_labels == [str(i) for i in range(10)]
        z = torch.randn(4, 8)
        with torch.no_grad():
            three, seven = g(z, torch.full((4,), 3)), g(z, torch.full((4,), 7))
        assert three.shape == (4, 1, 32, 32) and not torch.equal(three, seven)
        fixed = load_generator(out, label="7")
        assert torch.equal(fixed(z), seven) and fixed.latent_dim == 8
    with pytest.raises(LatentkitError, match="name a class"):
        load_generator(out)
    with pytest.raises(LatentkitError, match="no class 'x'"):
        load_generator(out, label="x")
    (tmp_path / "plain").mkdir()
    for i in range(4):
        Image.new("L", (32, 32), 60 * i).save(tmp_path / "plain" / f"{i}.png")
    with pytest.raises(LatentkitError, match="needs a dataset with classes"):
        train_gan(replace(config, data=f"folder:{tmp_path / 'plain'}"), options(tmp_path / "s"))


def test_infogan_codes_are_learned(tmp_path):
    """The mutual-information loss falls over a few dozen steps: Q learns to read c from G(z, c)."""
    config = GANConfig(
        data="digits", resolution=32, width=8, latent_dim=8, batch_size=32, steps=40,
        family="infogan", info_categorical=4, info_continuous=2, lr=1e-3,
    )  # fmt: skip
    out = train_gan(config, options(tmp_path / "info", checkpoint_every=40, log_every=5))
    g_aux = [json.loads(r)["g_aux"] for r in (out / "log.jsonl").read_text().splitlines()]
    assert g_aux[-1] < 0.6 * g_aux[0]
    g = load_generator(out)
    assert g.latent_dim == 8 + 4 + 2 and g.prior == "infogan:4:2"
    z = sample_prior(g.prior, 5, g.latent_dim, torch.Generator().manual_seed(0))
    assert torch.equal(z[:, 8:12].sum(1), torch.ones(5)) and z[:, 12:].abs().max() <= 1
    q = load_encoder(out / "encoder.safetensors")  # Q as an encoder of c, for the metrics
    z = sample_prior(g.prior, 200, g.latent_dim, torch.Generator().manual_seed(1))
    with torch.no_grad():
        c = q(g(z))
    assert c.shape == (200, 6) and torch.allclose(c[:, :4].sum(1), torch.ones(200))
    assert (c[:, :4].argmax(1) == z[:, 8:12].argmax(1)).float().mean() > 0.5  # chance: 0.25


POINTS = GANConfig(data="ring8", latent_dim=2, width=16, batch_size=8, steps=2, ema=0.0)


def test_infogan_with_minibatch_kernels_exports_q_as_its_encoder(tmp_path):
    """The encoder is built with D's every layer, the kernels too, so D's weights load into it."""
    config = GANConfig(data="digits", resolution=32, width=8, latent_dim=8, batch_size=16,
                       steps=1, family="infogan", info_categorical=4, info_continuous=2,
                       minibatch_kernels=3)  # fmt: skip
    trainer = GANTrainer(config, quick(tmp_path / "run"))
    trainer.advance()
    real = trainer._real_batch(0)[0]
    with torch.no_grad():
        q = copy.deepcopy(trainer.d).eval()(real)[2]
        codes = trainer.info_encoder()(real)
    assert torch.allclose(codes[:, :4], q[:, :4].softmax(dim=1))
    assert torch.allclose(codes[:, 4:], q[:, 4:])


def test_infogan_on_a_point_set_learns_its_categories_with_pacgan_networks(tmp_path):
    """A categorical code beside the 2-D noise (G a mixture of K generators sharing weights):
    MLP networks, D's Q head learns to read the category of G's points, and the exported
    encoder is that head."""
    config = replace(POINTS, family="infogan", info_categorical=4, info_continuous=0, width=32,
                     batch_size=32, steps=300, lr=3e-3)  # fmt: skip
    out = train_gan(
        config, options(tmp_path / "info", checkpoint_every=300, sample_every=300, log_every=50)
    )
    g_aux = [json.loads(r)["g_aux"] for r in (out / "log.jsonl").read_text().splitlines()]
    assert g_aux[-1] < 0.5 * g_aux[0]
    g = load_generator(out)
    assert (g.config["arch"], g.latent_dim, g.prior) == ("mlp.generator", 6, "infogan:4:0")
    q = load_encoder(out / "encoder.safetensors")
    assert q.config["arch"] == "mlp.info_encoder" and q.config["maxout"] == 5
    z = sample_prior(g.prior, 400, g.latent_dim, torch.Generator().manual_seed(1))
    with torch.no_grad():
        c = q(g(z))
    assert c.shape == (400, 4) and torch.allclose(c.sum(1), torch.ones(400))
    assert (c.argmax(1) == z[:, 2:].argmax(1)).float().mean() > 0.9  # chance: 0.25


def test_point_sets_get_pacgan_networks_and_defaults_and_plots(tmp_path):
    resolved = POINTS.resolved()
    assert (resolved.arch, resolved.lr, resolved.beta1) == ("mlp", 1e-4, 0.8)
    run = train_gan(POINTS, options(tmp_path / "run", sample_every=2))
    g = load_generator(run)
    assert g.config["output"] == "linear" and g.config["hidden_layers"] == 4
    assert g(torch.zeros(3, 2)).shape == (3, 2, 1, 1)
    assert (run / "samples" / "step_0000002.png").exists()


def test_packing_lets_d_judge_k_samples_at_once(tmp_path):
    trainer = GANTrainer(replace(POINTS, pack=4), options(tmp_path / "run"))
    assert trainer.d.config["channels"] == 8
    x = torch.randn(8, 2, 1, 1)
    packed = trainer.pack(x)
    # each packed sample holds four consecutive points, their coordinates side by side
    assert packed.shape == (2, 8, 1, 1)
    assert torch.equal(packed[1].flatten(), x[4:].flatten())
    logits = trainer.judge(trainer.d, x)[0]
    assert logits.shape == (2,) and torch.equal(logits, trainer.d(packed)[0])
    for bad in (0, 3):
        with pytest.raises(LatentkitError, match="pack must be at least 1 and divide"):
            replace(POINTS, pack=bad).resolved()


def test_unrolling_takes_d_through_k_real_adam_steps_without_changing_it(tmp_path):
    import copy

    trainer = GANTrainer(replace(POINTS, unroll=3), options(tmp_path / "run"))
    trainer.train_step()  # so that D's Adam has moments to start from
    trainer.step = 1
    real = trainer._real_batch(5)[0]
    fake = trainer.g(trainer._noise(0, 1, 0)).detach()
    before = {k: v.clone() for k, v in trainer.d.state_dict().items()}
    unrolled = trainer.unrolled_outputs(real, fake)[0]
    assert all(torch.equal(v, trainer.d.state_dict()[k]) for k, v in before.items())
    d = copy.deepcopy(trainer.d).requires_grad_(True)
    opt = torch.optim.Adam(d.parameters(), lr=trainer.config.lr, betas=(0.8, 0.999))
    opt.load_state_dict(trainer.opt_d.state_dict())
    for _ in range(3):
        loss = torch.nn.functional.softplus(-d(real)[0]).mean() + torch.nn.functional.softplus(
            d(fake)[0]).mean()  # fmt: skip
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert torch.allclose(unrolled, d(fake)[0], atol=1e-5)
    # from the same start, unrolling changes G's loss and not D's step
    fresh = GANTrainer(replace(POINTS, unroll=3), options(tmp_path / "fresh"))
    plain = GANTrainer(POINTS, options(tmp_path / "plain"))
    unrolled_stats, plain_stats = fresh.train_step(), plain.train_step()
    assert unrolled_stats["d_loss"] == plain_stats["d_loss"]
    assert unrolled_stats["g_loss"] != plain_stats["g_loss"]


def test_top_k_updates_leave_the_worst_scored_fakes_without_a_gradient(tmp_path):
    trainer = GANTrainer(replace(POINTS, top_k=0.5), options(tmp_path / "run"))
    fake = trainer.g(trainer._noise(0, 0, 0)).detach().requires_grad_(True)
    logits = trainer.d(fake)[0]
    kept = {0: 8, 10_000: 7, 50_000: 5, 1_000_000: 4}  # 8·max(0.5, 0.99^(step // 1000))
    for step, count in kept.items():
        trainer.step = step
        top = trainer.top_scored(logits).sort(descending=True).values
        assert torch.equal(top, logits.sort(descending=True).values[:count])
    trainer.step = 1_000_000  # four of the eight fakes kept: only they move
    (grad,) = torch.autograd.grad(torch.nn.functional.softplus(-trainer.top_scored(logits)).mean(),
                                  fake)  # fmt: skip
    moved = grad.flatten(1).abs().sum(1) > 0
    assert torch.equal(moved, logits >= logits.sort(descending=True).values[3])
    # off (the default): every fake counts, at any step
    plain = GANTrainer(POINTS, options(tmp_path / "plain"))
    plain.step = 1_000_000
    assert torch.equal(plain.top_scored(logits), logits)
    with pytest.raises(LatentkitError, match="top_k must lie in"):
        replace(POINTS, top_k=0.0).resolved()
    with pytest.raises(LatentkitError, match="began family takes none"):
        replace(POINTS, family="began", top_k=0.5).resolved()


def test_lr_decay_falls_linearly_to_zero_over_the_last_steps_and_resumes_on_schedule(tmp_path):
    config = replace(TINY, steps=8, lr_decay_steps=4)
    lr = config.resolved().lr

    def recording(trainer, used, stop_after=None):
        """`trainer` with each G step's learning rate appended to `used`; SIGTERM after
        `stop_after` steps."""
        step = trainer.opt_g.step

        def recorded_step(*args, **kwargs):
            used.append(trainer.opt_g.param_groups[0]["lr"])
            assert trainer.opt_d.param_groups[0]["lr"] == used[-1]
            result = step(*args, **kwargs)
            if trainer.step + 1 == stop_after:
                os.kill(os.getpid(), signal.SIGTERM)
            return result

        trainer.opt_g.step = recorded_step
        return trainer

    used = []
    train(recording(GANTrainer(config, options(tmp_path / "straight")), used))
    assert used == pytest.approx([lr] * 4 + [lr, 0.75 * lr, 0.5 * lr, 0.25 * lr])
    split = []
    with pytest.raises(TrainingInterrupted):
        train(recording(GANTrainer(config, options(tmp_path / "split")), split, stop_after=6))
    resumed = GANTrainer(config, options(tmp_path / "split", resume=True))
    train(recording(resumed, split))
    assert split == used
    assert_same_state(tmp_path / "straight", tmp_path / "split")
    with pytest.raises(LatentkitError, match=r"lr_decay_steps must lie in \[0, steps = 8\]"):
        replace(config, lr_decay_steps=9).resolved()


def test_wgan_clip_keeps_the_critic_in_the_box_with_rmsprop(tmp_path):
    resolved = replace(TOY, loss="wgan-clip").resolved()
    assert (resolved.lr, resolved.n_critic) == (5e-5, 5)
    run = train_gan(replace(TOY, loss="wgan-clip", clip=0.02, steps=3), quick(tmp_path / "w"))
    state = load_state(run / "checkpoint.safetensors")
    assert max(v.abs().max() for v in state["models"]["D"]["state"].values()) <= 0.02
    slots = next(iter(state["optimizers"]["D"]["state"].values()))
    assert "square_avg" in slots  # RMSProp


def test_bf16_precision_runs_the_step_under_autocast_and_keeps_float32_weights(tmp_path):
    config = replace(TOY, steps=20, precision="bf16")
    runs = [train_gan(config, quick(tmp_path / f"bf16-{k}")) for k in range(2)]
    full = train_gan(replace(config, precision="fp32"), quick(tmp_path / "fp32"))
    states = [load_state(run / "checkpoint.safetensors")["models"]["G"]["state"] for run in
              (*runs, full)]  # fmt: skip
    assert all(v.dtype == torch.float32 for v in states[0].values())
    assert all(torch.equal(states[0][k], states[1][k]) for k in states[0])  # same seed, same run
    gaps = [max((s[k] - states[2][k]).abs().max().item() for k in s) for s in states[:2]]
    assert 0 < gaps[0] < 0.1  # rounded matmuls: close to float32, not equal
    assert json.loads((runs[0] / "run.json").read_text())["config"]["precision"] == "bf16"
    with pytest.raises(LatentkitError, match="precision"):
        replace(TOY, precision="fp16").resolved()


@pytest.mark.parametrize("family", ["gan", "infogan"])
def test_d_class_loss_teaches_d_the_classes_of_real_images_and_leaves_g_unconditional(
    tmp_path, family
):
    """For infogan the class head is Q's categorical code (semi-supervised InfoGAN)."""
    config = GANConfig(data="digits", resolution=32, width=8, batch_size=32, steps=30,
                       family=family, info_categorical=10, d_class_loss=1.0)  # fmt: skip
    trainer = GANTrainer(config, quick(tmp_path / "run"))
    images, labels = trainer._real_batch(1000)  # a batch beyond the steps trained on

    def accuracy() -> float:
        return (trainer.d(images)[2][:, :10].argmax(1) == labels[0]).float().mean().item()

    before = accuracy()
    for _ in range(config.steps):
        stats = trainer.advance()
        trainer.step += 1
    trainer.d.eval()
    assert "d_class" in stats and accuracy() > max(0.5, before + 0.3)  # 10 classes: chance 0.1
    assert trainer.export_generator().num_classes == 0
    for wrong in ({"family": "cgan"}, {"arch": "mlp"}, {"pack": 2}, {"d_class_loss": -1.0}):
        with pytest.raises(LatentkitError, match="d_class_loss"):
            replace(config, **{"d_class_loss": 1.0, **wrong}).resolved()
    if family == "infogan":
        # The bound categorical code learns from real labels only: without continuous codes
        # D's mutual-information loss on fakes is empty, while G is still asked to meet the code.
        only_categorical = GANTrainer(replace(config, info_continuous=0), quick(tmp_path / "cat"))
        stats = only_categorical.advance()
        assert stats["d_aux"] == 0 and stats["g_aux"] > 0.5  # about ln 10 before training
        # The categorical code must have one value per class.
        with pytest.raises(LatentkitError, match="info_categorical must be 10, not 3"):
            GANTrainer(replace(config, info_categorical=3), quick(tmp_path / "wrong"))


def test_info_projection_judges_each_fake_as_an_image_of_its_codes_category(tmp_path):
    """D's loss of a step, recomputed from D and G before it: reals judged with their labels,
    fakes with the category of their own code (not with other labels); the exported encoder
    reads the class under which D finds an image most real."""
    config = GANConfig(data="digits", resolution=32, width=8, latent_dim=8, batch_size=32,
                       steps=5, family="infogan", info_categorical=10, info_continuous=2,
                       info_projection=True)  # fmt: skip
    trainer = GANTrainer(config, quick(tmp_path / "run"))
    d_before, g_before = copy.deepcopy(trainer.d), copy.deepcopy(trainer.g)
    stats = trainer.advance()
    real, (real_labels,) = trainer._real_batch(0)
    z = trainer._noise(gan_module._NOISE, 0, 0)
    with torch.no_grad():
        fake = g_before(z)
        real_logits = d_before(real, real_labels)[0]

        def adversarial(fake_labels):
            fake_logits = d_before(fake, fake_labels)[0]
            return discriminator_loss("ns", real_logits, fake_logits, 0.0).item()

        own = adversarial(z[:, 8:18].argmax(dim=1))
        shifted = adversarial((z[:, 8:18].argmax(dim=1) + 1) % 10)
    logged = stats["d_loss"] - config.aux_weight * stats["d_aux"]  # Q: continuous codes only
    assert logged == pytest.approx(own, rel=1e-4) and abs(shifted - own) > 1e-3
    trainer.step += 1
    for _ in range(3):
        trainer.advance()
        trainer.step += 1
    encoder, d = trainer.info_encoder(), copy.deepcopy(trainer.d).eval()
    with torch.no_grad():
        scores = torch.stack([d(real, torch.full((32,), y))[0] for y in range(10)], dim=1)
        codes = encoder(real)
    assert codes.shape == (32, 12) and torch.allclose(codes[:, :10].sum(1), torch.ones(32))
    assert torch.equal(codes[:, :10].argmax(1), scores.argmax(1))
    for wrong in ({"family": "gan"}, {"pack": 2}, {"arch": "mlp"}):
        with pytest.raises(LatentkitError, match="info_projection"):
            replace(config, **wrong).resolved()
    with pytest.raises(LatentkitError, match="info_categorical must be 10, not 3"):
        GANTrainer(replace(config, info_categorical=3), quick(tmp_path / "wrong"))


def test_info_projection_with_a_class_head_teaches_d_the_real_classes_and_q_reads_after_it(
    tmp_path,
):
    """With d_class_loss, D's first 10 extra outputs are a class head trained on the real
    images' labels, and Q (in D's step, G's step and the exported encoder) reads the continuous
    codes from the outputs after it; the encoder's categorical code is the head's softmax. All
    recomputed from the networks around one step."""
    config = GANConfig(data="digits", resolution=32, width=8, latent_dim=8, batch_size=32,
                       steps=5, family="infogan", info_categorical=10, info_continuous=2,
                       info_projection=True, d_class_loss=1.0)  # fmt: skip
    trainer = GANTrainer(config, quick(tmp_path / "run"))
    d_before, g_before = copy.deepcopy(trainer.d), copy.deepcopy(trainer.g)
    stats = trainer.advance()
    real, (real_labels,) = trainer._real_batch(0)
    z = trainer._noise(gan_module._NOISE, 0, 0)
    own = z[:, 8:18].argmax(dim=1)
    with torch.no_grad():
        fake = g_before(z)
        real_head = d_before(real, real_labels)[2]
        fake_q = d_before(fake, own)[2]
        g_step_q = trainer.d(fake, own)[2]  # G's step reads D after D's update
    assert real_head.shape == (32, 12)
    ce = torch.nn.functional.cross_entropy(real_head[:, :10], real_labels).item()
    mse = torch.nn.functional.mse_loss
    assert stats["d_class"] == pytest.approx(ce, rel=1e-4)
    assert stats["d_aux"] == pytest.approx(mse(fake_q[:, 10:], z[:, 18:]).item(), rel=1e-4)
    assert stats["g_aux"] == pytest.approx(mse(g_step_q[:, 10:], z[:, 18:]).item(), rel=1e-4)
    encoder, d = trainer.info_encoder(), copy.deepcopy(trainer.d).eval()
    with torch.no_grad():
        codes, extra = encoder(real), d(real, real_labels)[2]
    assert codes.shape == (32, 12) and torch.allclose(codes[:, 10:], extra[:, 10:])
    assert torch.allclose(codes[:, :10], extra[:, :10].softmax(dim=1))


def test_g_class_entropy_adds_catgans_term_on_ds_class_head_to_the_g_step(tmp_path):
    """The logged term is CatGAN's objective of D's class head on the step's fakes, recomputed
    independently from G before its update and D after its own; it needs the head."""
    config = GANConfig(data="digits", resolution=32, width=8, batch_size=32, steps=5,
                       d_class_loss=1.0, g_class_entropy=1.0)  # fmt: skip
    trainer = GANTrainer(config, quick(tmp_path / "run"))
    g_before = copy.deepcopy(trainer.g)
    stats = trainer.advance()
    with torch.no_grad():
        fakes = g_before(trainer._noise(gan_module._NOISE, 0, 0))
        expected = class_entropy_term(trainer.d(fakes)[2]).item()
    assert stats["g_class"] == pytest.approx(expected, rel=1e-4, abs=1e-6)
    with pytest.raises(LatentkitError, match="g_class_entropy"):
        replace(config, d_class_loss=0.0).resolved()
