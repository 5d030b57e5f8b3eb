import os
import stat

import pytest

from latentkit.errors import LatentkitError
from latentkit.io.atomic import atomic_path, remove_stale_temporaries, write_text


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
