from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from latentkit.attributes.scorer import load_scorer
from latentkit.data import load_dataset
from latentkit.errors import LatentkitError
from latentkit.io.models import load_model
from latentkit.train.config import ScorerConfig
from latentkit.train.scorer import evaluate_heads, plan_heads, train_scorer
from tests.train.test_gan import assert_same_state, options

TINY = ScorerConfig(data="digits", width=8, steps=40, batch_size=64, lr=3e-3)


def test_a_brief_digit_scorer_beats_chance(tmp_path):
    config = replace(TINY, data="digits@train")
    out = train_scorer(config, options(tmp_path / "run", checkpoint_every=40))
    scorer = load_scorer(out / "scorer.safetensors")
    assert scorer.attribute_names == [f"digit={d}" for d in range(10)]
    heldout = load_dataset("digits@heldout")  # images the scorer never saw
    every = np.arange(len(heldout))
    figures = evaluate_heads(scorer, heldout.images(every), heldout.attributes(every))
    assert figures["digit_accuracy"] > 0.5  # chance is 0.1
    source = load_model(out / "scorer.safetensors", "scorer")
    assert source.attribute_names == scorer.attribute_names


def test_resume_is_exact(tmp_path):
    config = replace(TINY, steps=6)
    train_scorer(config, options(tmp_path / "straight"))
    train_scorer(replace(config, steps=3), options(tmp_path / "split"))
    train_scorer(config, options(tmp_path / "split", resume=True))
    assert_same_state(tmp_path / "straight", tmp_path / "split")


def test_heads_follow_the_data(tmp_path):
    for i in range(6):
        Image.new("L", (8, 8), i * 40).save(tmp_path / f"{i}.png")
    rows = "".join(f"{i}.png,{1 if i % 2 else -1},{i * 1.5},3\n" for i in range(6))
    (tmp_path / "attributes.csv").write_text("file,smile,age,same\n" + rows)
    data = load_dataset(f"folder:{tmp_path}", 32)
    heads = plan_heads(data, ["smile", "age"], seed=0)
    assert [h["kind"] for h in heads] == ["binary", "value"]
    assert heads[1]["mean"] == pytest.approx(3.75)
    with pytest.raises(LatentkitError, match="single value"):
        plan_heads(data, ["same"], seed=0)
    sprites = plan_heads(load_dataset("sprites", 32), ["shape", "orientation", "x"], seed=0)
    assert [h["kind"] for h in sprites] == ["class", "angle", "value"]
    assert sprites[0]["labels"] == ["square", "ellipse", "heart"]
