import json

from latentkit.train.run import RunFolder


def write_log(folder, lines):
    folder.mkdir(exist_ok=True)
    (folder / "log.jsonl").write_text("".join(line + "\n" for line in lines))


def test_a_torn_last_record_is_dropped_and_resume_rewrites_the_log(tmp_path):
    run = RunFolder(tmp_path / "run")
    full = [json.dumps({"step": s, "loss": 1.0}) for s in (1, 2, 3)]
    write_log(run.path, [*full, '{"step": 4, "lo'])  # killed in the middle of a write
    assert [r["step"] for r in run.records()] == [1, 2, 3]
    run._truncate_log(2)
    assert (run.path / "log.jsonl").read_text().splitlines() == full[:2]


def test_resume_without_a_checkpoint_starts_a_clean_log(tmp_path):
    run = RunFolder(tmp_path / "run")
    write_log(run.path, [json.dumps({"step": 1, "loss": 1.0})])  # killed before a checkpoint
    assert run.open(resume=True, overwrite=False) is None
    assert run.records() == []


def test_resume_removes_what_a_killed_write_left(tmp_path):
    run = RunFolder(tmp_path / "run")
    write_log(run.path, [json.dumps({"step": 1, "loss": 1.0})])
    (run.path / ".checkpoint.safetensors.ab12.tmp").write_bytes(b"half")
    run.open(resume=True, overwrite=False)
    assert not list(run.path.glob(".*.tmp"))
