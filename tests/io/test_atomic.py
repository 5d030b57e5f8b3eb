import os
import stat

import pytest

from latentkit.errors import LatentkitError
from latentkit.io.atomic import (
    atomic_path,
    check_report_folder,
    remove_stale_temporaries,
    report_folder,
    write_text,
)
from latentkit.reports.folder import write_report


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_refusals(tmp_path):
    with pytest.raises(LatentkitError, match="does not exist"):
        write_text(tmp_path / "missing" / "x.txt", "a")
    write_text(tmp_path / "x.txt", "a")
    with pytest.raises(LatentkitError, match="already exists"):
        write_text(tmp_path / "x.txt", "b", overwrite=False)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == mode


def test_stale_temporaries_are_found_in_subfolders(tmp_path):
    (tmp_path / "samples").mkdir()
    stale = [tmp_path / ".log.jsonl.abc.tmp", tmp_path / "samples" / ".step_5.png.x1.tmp"]
    for path in stale:
        path.write_text("half")
    (tmp_path / "samples" / "step_5.png").write_text("kept")
    assert remove_stale_temporaries(tmp_path) == sorted(stale)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["step_5.png"]


def test_a_report_appears_whole_with_the_umask_modes(tmp_path):
    old = os.umask(0o022)
    try:
        with report_folder(tmp_path / "r") as folder:
            write_report(folder, {"x": 1}, "# r")
            assert not (tmp_path / "r").exists()  # nothing visible until it is complete
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "r/report.json").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_a_failing_report_leaves_nothing_and_keeps_the_old_one(tmp_path):
    with pytest.raises(RuntimeError), report_folder(tmp_path / "r") as folder:
        (folder / "figure.png").write_bytes(b"half")
        raise RuntimeError("the metric failed")
    assert list(tmp_path.iterdir()) == []
    with report_folder(tmp_path / "r") as folder:
        write_report(folder, {"run": 1}, "# first")
    with pytest.raises(RuntimeError), report_folder(tmp_path / "r", overwrite=True) as folder:
        raise RuntimeError("the second run failed")
    assert (tmp_path / "r/report.md").read_text() == "# first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_existing_reports_are_replaced_only_when_asked(tmp_path):
    (tmp_path / "empty").mkdir()
    with report_folder(tmp_path / "empty") as folder:  # an empty folder counts as new
        write_report(folder, {}, "# one")
    with pytest.raises(LatentkitError, match="a folder with files in it") as caught:
        check_report_folder(tmp_path / "empty")
    assert caught.value.arguments == ("overwrite",)
    (tmp_path / "empty/old.png").write_bytes(b"x")
    with report_folder(tmp_path / "empty", overwrite=True) as folder:
        write_report(folder, {}, "# two")
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == ["report.json", "report.md"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(LatentkitError, match="a file, not a report folder"):
        check_report_folder(tmp_path / "file", overwrite=True)


def test_the_next_write_of_a_file_removes_what_a_killed_write_left(tmp_path):
    (tmp_path / ".bank.npz.k1ll3d.tmp").write_bytes(b"half of a bank")
    (tmp_path / ".other.npz.k1ll3d.tmp").write_bytes(b"another file's")
    write_text(tmp_path / "bank.npz", "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.npz.k1ll3d.tmp", "bank.npz"]
