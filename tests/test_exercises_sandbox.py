"""check_file never crashes on what a learner writes: each hostile file ends in its feedback line."""

from __future__ import annotations

import time

import pytest

from barenet.exercises import ExerciseError, check_file

GOOD_BACKWARD = "def relu_backward(z, grad_a):\n    return grad_a * (z > 0)\n"


def run(tmp_path, body: str, exercise: str = "relu"):
    path = tmp_path / f"{exercise}.py"
    path.write_text("import numpy as np\n" + body, encoding="utf-8")
    start = time.monotonic()
    result = check_file(exercise, path, lang="en")
    return result, time.monotonic() - start


@pytest.mark.parametrize(("body", "tag", "says"), [
    ("def relu_forward(z)\n    return z\n" + GOOD_BACKWARD, "exception", "SyntaxError"),
    ("import no_such_module_here\n" + "def relu_forward(z):\n    return z\n" + GOOD_BACKWARD, "exception",
     "No module named 'no_such_module_here'"),
    ("def relu_forward(z):\n    return None\n" + GOOD_BACKWARD, "shape", "None where an array belongs"),
    ("def relu_forward(z):\n    return np.maximum(z, 0).tolist()\n" + GOOD_BACKWARD, "shape",
     "a list of"),
    ("def relu_forward(z):\n    return 0\n" + GOOD_BACKWARD, "shape", "of type int"),
    ("def relu_forward(z):\n    return np.full(z.shape, np.nan)\n" + GOOD_BACKWARD, "wrong_value",
     "received nan"),
    ("def relu_forward(z):\n    while True:\n        pass\n" + GOOD_BACKWARD, "timeout", "did not return"),
    ("def relu_forward(z):\n    big = np.ones(50 * 1024**3 // 8)\n    return z\n" + GOOD_BACKWARD,
     "exception", "more memory than the checker allows"),
    ("import sys\ndef relu_forward(z):\n    sys.exit(3)\n" + GOOD_BACKWARD, "exception", "sys.exit(3)"),
    ("import sys\nsys.exit('bye')\n", "exception", "sys.exit('bye') while loading"),
    ("import os\ndef relu_forward(z):\n    os._exit(0)\n" + GOOD_BACKWARD, "exception", "os._exit()"),
    ("def relu_forward(z):\n    return helper(z)\ndef helper(z):\n    return z.nope\n" + GOOD_BACKWARD,
     "exception", "AttributeError"),
])
def test_a_hostile_file_ends_in_its_feedback_line(tmp_path, body, tag, says):
    result, seconds = run(tmp_path, body)
    assert not result.passed and result.mistake == tag, result.message
    assert says in result.message, result.message
    assert result.message.splitlines()[-1] == f"relu: not passed: {tag}"
    assert seconds < 6, f"{seconds:.1f} s"


def test_a_full_width_colon_is_named_in_chinese(tmp_path):
    path = tmp_path / "relu.py"
    path.write_text("def relu_forward(z)：\n    return z\n", encoding="utf-8")
    result = check_file("relu", path, lang="zh")
    assert result.mistake == "exception" and "第 1 行有一个全角的“：”" in result.message, result.message


def test_the_traceback_shows_the_learners_frames_only(tmp_path):
    result, _ = run(tmp_path, "def relu_forward(z):\n    return helper(z)\ndef helper(z):\n"
                              "    return z.nope\n" + GOOD_BACKWARD)
    assert "relu.py\", line 3, in relu_forward" in result.message
    assert "in helper" in result.message
    assert "checker.py" not in result.message and "calls.py" not in result.message


def test_a_million_printed_lines_are_counted_not_shown(tmp_path):
    result, seconds = run(tmp_path, "print('hi\\n' * 1_000_000)\n"
                                    "def relu_forward(z):\n    return np.maximum(z, 0)\n" + GOOD_BACKWARD)
    assert result.passed, result.message
    assert "printed at least 1,000,001 lines" in result.message and len(result.message) < 3000
    assert seconds < 6


def test_a_slow_loop_passes_with_a_note(tmp_path):
    result, seconds = run(tmp_path, "def relu_forward(z):\n    out = np.empty_like(z)\n"
                                    "    for i in range(len(z)):\n        out[i] = np.maximum(z[i], 0)\n"
                                    "    return out\n" + GOOD_BACKWARD)
    assert result.passed, result.message
    assert "slower than the vectorised form" in result.message and "Chapter 5" in result.message
    assert seconds < 6


def test_a_file_without_the_function_is_a_usage_error(tmp_path):
    path = tmp_path / "relu.py"
    path.write_text("def relu_forward(z):\n    return z\n", encoding="utf-8")
    with pytest.raises(ExerciseError, match="no function relu_backward"):
        check_file("relu", path)
    with pytest.raises(ExerciseError, match="no such file"):
        check_file("relu", tmp_path / "missing.py")


@pytest.mark.slow
def test_an_endless_loop_that_swallows_the_alarm_is_killed(tmp_path):
    result, seconds = run(tmp_path, "def relu_forward(z):\n    while True:\n        try:\n"
                                    "            while True:\n                pass\n"
                                    "        except BaseException:\n            pass\n" + GOOD_BACKWARD)
    assert result.mistake == "timeout" and "relu_forward" in result.message, result.message
    assert seconds < 20


def test_an_endless_loop_at_the_top_of_the_file_is_a_load_timeout_within_5_s(tmp_path):
    result, seconds = run(tmp_path, "def relu_forward(z):\n    return np.maximum(z, 0)\n" + GOOD_BACKWARD
                          + "w = 0.0\nwhile True:\n    w = w - 0.1 * float(np.tanh(w))\n")
    assert result.mistake == "timeout", result.message
    assert "did not finish loading" in result.message and "outside the functions" in result.message
    assert "\n    " not in result.message.split("did not finish loading")[1], result.message
    assert seconds < 5, f"{seconds:.1f} s"


def test_many_slow_calls_share_one_budget_of_5_s(tmp_path):
    """Each call stays under the per-call limit; together they would take a minute."""
    result, seconds = run(tmp_path, "import time\ndef relu_forward(z):\n    time.sleep(1.9)\n"
                                    "    return np.maximum(z, 0)\n" + GOOD_BACKWARD)
    assert result.mistake == "timeout" and "relu_forward" in result.message, result.message
    assert seconds < 5, f"{seconds:.1f} s"
