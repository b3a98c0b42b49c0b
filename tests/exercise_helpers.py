"""Running an exercise's checker on source text in this process: the reference, the starter, a mutant."""

from __future__ import annotations

from barenet.exercises import EXERCISES, CheckResult, check, solution, starter


def functions_of(source: str, namespace: dict | None = None) -> dict:
    """The names `source` defines (run in a copy of `namespace`: it may call the reference)."""
    namespace = dict(namespace or {})
    exec(compile(source, "<learner>", "exec"), namespace)
    return namespace


def check_source(exercise_id: str, source: str, seed: int = 0, lang: str = "en") -> CheckResult:
    """Check `source` laid over the reference solution (a mutant replaces one function or two)."""
    namespace = functions_of(solution(exercise_id))
    reference = EXERCISES[exercise_id].module
    namespace["_reference"] = getattr(reference, "loss_and_gradients", None)
    namespace["_bn_reference"] = getattr(reference, "batchnorm_backward", None)
    namespace.update(functions_of("import numpy as np\n" + source, namespace))
    chosen = [namespace[name] for name in EXERCISES[exercise_id].functions]
    return check(exercise_id, *chosen, seed=seed, lang=lang, quiet=True)


def check_starter(exercise_id: str, seed: int = 0) -> CheckResult:
    namespace = functions_of(starter(exercise_id))
    chosen = [namespace[name] for name in EXERCISES[exercise_id].functions]
    return check(exercise_id, *chosen, seed=seed, lang="en", quiet=True)
