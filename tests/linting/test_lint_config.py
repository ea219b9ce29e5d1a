"""The linters hold the stated limits (pyproject.toml), and CI runs them before the tests."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _function_of_complexity(n: int) -> str:
    """A function with McCabe complexity ``n`` (one path plus ``n - 1`` ifs)."""
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(n - 1))
    return f"def f(x):\n{body}    return -1\n"


def _ruff(code: str) -> list[str]:
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "json", "--stdin-filename", "recommendations/probe.py", "-"],
        input=code, capture_output=True, text=True, cwd=ROOT,
    )
    return [finding["code"] for finding in json.loads(found.stdout)]


def test_a_function_over_the_complexity_limit_of_12_fails_the_lint():
    assert _ruff(_function_of_complexity(12)) == []
    assert _ruff(_function_of_complexity(13)) == ["C901"]


def test_ci_runs_the_linters_before_the_tests():
    script = (ROOT / ".ci" / "run").read_text()
    assert "make lint" in script
    assert script.index("make lint") < script.index("make test")
    makefile = (ROOT / "Makefile").read_text()
    assert "ruff check ." in makefile and "djlint templates --lint" in makefile
