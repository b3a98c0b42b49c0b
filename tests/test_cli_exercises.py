"""The exercise commands: exercises, exercise, check (exit codes, --json), hint, solution; --lang zh."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from child_env import child_env


def barenet(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "barenet", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=child_env(**{"BARENET_LANG": "en", **env}))


def test_exercise_writes_the_starter_and_never_overwrites(tmp_path):
    done = barenet("exercise", "relu", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "relu.py").read_text(encoding="utf-8")
    assert "def relu_forward(z):" in written and "NotImplementedError" in written
    (tmp_path / "relu.py").write_text("# my work\n", encoding="utf-8")
    again = barenet("exercise", "relu", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (tmp_path / "relu.py").read_text(encoding="utf-8") == "# my work\n"


def test_check_exit_codes_and_json(tmp_path):
    barenet("exercise", "relu", cwd=tmp_path)
    starter = barenet("check", "relu", "--json", cwd=tmp_path)
    assert starter.returncode == 1
    answer = json.loads(starter.stdout)
    assert set(answer) == {"exercise", "passed", "mistake", "message"}
    assert answer["exercise"] == "relu" and answer["passed"] is False and answer["mistake"] == "exception"
    assert "not implemented yet" in answer["message"]
    solution = barenet("solution", "relu", cwd=tmp_path)
    (tmp_path / "mine.py").write_text(solution.stdout, encoding="utf-8")
    passed = barenet("check", "relu", "mine.py", "--json", cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout
    assert json.loads(passed.stdout) == {"exercise": "relu", "passed": True, "mistake": None,
                                         "message": json.loads(passed.stdout)["message"]}
    wrong = tmp_path / "wrong.py"
    wrong.write_text("import numpy as np\ndef relu_forward(z):\n    return np.maximum(z, 0)\n"
                     "def relu_backward(z, grad_a):\n    return grad_a\n", encoding="utf-8")
    mistake = barenet("check", "relu", "wrong.py", cwd=tmp_path)
    assert mistake.returncode == 1 and "missing_derivative" in mistake.stdout.splitlines()[-1]


@pytest.mark.parametrize(("args", "says"), [
    (("check", "relux"), "unknown exercise"),
    (("check", "relu", "nowhere.py"), "no such file"),
    (("check", "relu", "other.py"), "relu_backward"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path, args, says):
    (tmp_path / "other.py").write_text("def relu_forward(z):\n    return z\n", encoding="utf-8")
    done = barenet(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and says in done.stderr, done.stderr
    as_json = json.loads(barenet(*args, "--json", cwd=tmp_path).stdout)
    assert as_json["passed"] is False and as_json["mistake"] is None and says in as_json["message"]


def test_exercises_lists_ids_chapters_and_file_states(tmp_path):
    barenet("exercise", "relu", cwd=tmp_path)
    done = barenet("exercises", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line for line in done.stdout.splitlines()[1:] if line.strip()}
    assert "not implemented yet" in rows["relu"] and rows["dense"].rstrip().endswith("—")


def test_hint_levels_and_solution(tmp_path):
    one = barenet("hint", "dense", cwd=tmp_path)
    three = barenet("hint", "dense", "--level", "3", cwd=tmp_path)
    assert one.returncode == three.returncode == 0 and one.stdout != three.stdout
    assert "--level 2" in one.stdout
    assert barenet("hint", "dense", "--level", "9", cwd=tmp_path).returncode == 2
    solution = barenet("solution", "dense", cwd=tmp_path)
    assert solution.returncode == 0 and "def dense_backward" in solution.stdout


def test_chinese_by_flag_and_by_locale(tmp_path):
    by_flag = barenet("hint", "relu", "--lang", "zh", cwd=tmp_path)
    by_locale = barenet("hint", "relu", cwd=tmp_path, BARENET_LANG="", LANG="zh_CN.UTF-8")
    assert by_flag.stdout == by_locale.stdout and "ReLU" in by_flag.stdout and "正数" in by_flag.stdout


def test_the_list_names_a_failed_file_with_the_words_of_check(tmp_path):
    (tmp_path / "relu.py").write_text("import numpy as np\ndef relu_forward(z):\n"
                                      "    return -np.maximum(z, 0)\n"
                                      "def relu_backward(z, grad_a):\n    return grad_a * (z > 0)\n",
                                      encoding="utf-8")
    for lang, word in (("en", "Mistake “sign”"), ("zh", "错误“sign”")):
        listed = barenet("exercises", "--lang", lang, cwd=tmp_path)
        checked = barenet("check", "relu", "--lang", lang, cwd=tmp_path)
        row = next(line for line in listed.stdout.splitlines() if line.startswith("relu "))
        assert word in row and word in checked.stdout, (row, checked.stdout)
