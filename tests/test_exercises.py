"""Every exercise: its reference passes its checker and its starter does not, over 20 seeds; the
texts exist in both languages; hints come in three levels."""

from __future__ import annotations

import ast

import pytest

from barenet.exercises import EXERCISES, ExerciseError, hint, solution, starter
from barenet.exercises.cases import TAGS
from exercise_helpers import check_source, check_starter

IDS = list(EXERCISES)
SEEDS = range(20)


@pytest.mark.parametrize("exercise_id", [pytest.param(e, marks=pytest.mark.slow) if e == "two_layer_net"
                                         else e for e in IDS])  # two_layer_net: 20 × 0.5 s
def test_the_reference_passes_its_checker_over_20_seeds(exercise_id):
    for seed in SEEDS:
        result = check_source(exercise_id, "", seed=seed)
        assert result.passed, f"seed {seed}:\n{result.message}"
        assert result.mistake is None and result.message.splitlines()[-1].endswith("passed ✓")


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_starter_fails_as_not_implemented_yet_over_20_seeds(exercise_id):
    for seed in SEEDS:
        result = check_starter(exercise_id, seed=seed)
        assert not result.passed and result.mistake == "exception"
        assert result.not_implemented == EXERCISES[exercise_id].functions
        assert "not implemented yet" in result.message.splitlines()[-1]


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_starter_is_python_with_signatures_docstrings_and_todo(exercise_id):
    for lang in ("en", "zh"):
        source = starter(exercise_id, lang=lang)
        tree = ast.parse(source)
        defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
        assert defined == list(EXERCISES[exercise_id].functions)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                assert ast.get_docstring(node) and "(" in ast.get_docstring(node)  # shapes
        assert "TODO" in source and "NotImplementedError" in source
        assert f"barenet check {exercise_id}" in source


@pytest.mark.parametrize("exercise_id", IDS)
def test_texts_and_three_hint_levels_in_both_languages(exercise_id):
    exercise = EXERCISES[exercise_id]
    assert exercise.title("en") != exercise.title("zh")
    assert 1 <= exercise.chapter <= 8
    for lang in ("en", "zh"):
        levels = [hint(exercise_id, level, lang=lang) for level in (1, 2, 3)]
        assert len(set(levels)) == 3 and all(levels)
    with pytest.raises(ExerciseError, match="level 4"):
        hint(exercise_id, 4)


def test_the_solution_text_is_a_file_of_the_functions():
    tree = ast.parse(solution("dense"))
    assert {n.name for n in tree.body if isinstance(n, ast.FunctionDef)} >= {"dense_forward",
                                                                           "dense_backward"}


def test_an_unknown_exercise_names_the_known_ones():
    with pytest.raises(ExerciseError, match="relu"):
        starter("relux")


def test_the_tags_are_the_issues_table():
    assert len(TAGS) == 18 and "wrong_value" in TAGS and "batch_statistics_ignored" in TAGS
