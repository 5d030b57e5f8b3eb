import pytest

from latentkit.errors import LatentkitError
from latentkit.io.atomic import atomic_path, write_text


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
