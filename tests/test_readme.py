"""The README's first lines are the two set-up commands, and CI runs the second one."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands():
    lines = (ROOT / "README.md").read_text().splitlines()
    start = lines.index("```bash")
    return lines[start + 1 : start + 3]


def test_ci_runs_the_readme_test_command():
    demo, test = readme_commands()
    assert demo.endswith("latentkit demo") and "constraints.txt" in demo
    assert test in (ROOT / ".ci/run").read_text().splitlines()
