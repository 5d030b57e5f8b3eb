import subprocess
import sys


def test_help_shows_defaults(run_cli):
    out = run_cli("train", "gan", "--help").output
    assert "[default: ns]" in out and "--resume" in out and "--seed" in out


def test_errors_are_one_line_with_exit_2(run_cli, tmp_path):
    result = run_cli(
        "generate",
        "--generator",
        tmp_path / "missing.safetensors",
        "--out",
        tmp_path / "x.png",
        code=2,
    )
    assert result.output.strip().count("\n") == 0
    assert "missing.safetensors: no such generator file" in result.output


def test_debug_shows_the_traceback(tmp_path):
    args = [
        sys.executable,
        "-m",
        "latentkit_cli",
        "--debug",
        "generate",
        "--generator",
        str(tmp_path / "missing"),
        "--out",
        str(tmp_path / "x.png"),
    ]
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_no_traceback_without_debug(tmp_path):
    args = [
        sys.executable,
        "-m",
        "latentkit_cli",
        "generate",
        "--generator",
        str(tmp_path / "missing"),
        "--out",
        str(tmp_path / "x.png"),
    ]
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
