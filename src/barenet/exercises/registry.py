"""The exercises by id, in the tutorial's order, and the look-up that names the known ones."""

from __future__ import annotations

from barenet.exercises.catalogue import MODULES
from barenet.exercises.exercise import Exercise, ExerciseError
from barenet.i18n import _

#: Every exercise, in the order of the tutorial: id -> Exercise.
EXERCISES: dict[str, Exercise] = {module.ID: Exercise(module.ID, module) for module in MODULES}


def get(exercise_id: str) -> Exercise:
    """The exercise `exercise_id`; ExerciseError naming the known ids when there is none."""
    try:
        return EXERCISES[exercise_id]
    except (KeyError, TypeError):
        raise ExerciseError(_("unknown exercise “{id}”: the exercises are {ids} (barenet exercises "
                              "lists them)").format(id=exercise_id, ids=_(", ").join(EXERCISES))) from None
