"""Running a learner's file in a separate process, under time and memory limits.

    run_file(exercise, path, seed=0) -> CheckResult        (the parent: `check_file`)
    python -m barenet.exercises.sandbox ID PATH LANG SEED REPORT DEADLINE   (the child)

The child imports the learner's file and runs the checker (checker.py) on its functions. Before
it loads the file it limits itself: address space MEMORY_LIMIT above what Python and NumPy use
(RLIMIT_AS: a 50 GB allocation fails at once with MemoryError), CPU time (RLIMIT_CPU), one BLAS
thread; the learner's prints go to a capped buffer. It reports on its own file, REPORT, one JSON
object a line: the call it is about to make ({"calling", "case"}), then {"result": …} or
{"usage": …} (a function the file lacks). The whole check has BUDGET seconds of wall-clock time
from the child's start (DEADLINE, in time.monotonic()): loading the file and every call are cut
at it (a `timeout`, said of the load or of the call it stopped). The parent waits WALL_LIMIT
seconds at most, then kills the child's whole process group; when no result came (an endless
loop that swallowed the alarm, os._exit, a crash) it says what the child was doing from the last
line of the report.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from barenet import i18n
from barenet.exercises import calls
from barenet.exercises.calls import Printed, TimeLimit, learner_traceback, time_limit
from barenet.exercises.cases import Case
from barenet.exercises.checker import Finding, run_checks
from barenet.exercises.exercise import Exercise, ExerciseError
from barenet.exercises.feedback import message
from barenet.exercises.result import CheckResult
from barenet.i18n import _

MEMORY_LIMIT = 2 * 1024**3  # bytes the learner's code may add to the address space
CPU_LIMIT = 20  # seconds of CPU time
BUDGET = 3.0  # seconds of wall-clock time for loading the file and every call (`barenet check` ≤ 5 s)
WALL_LIMIT = 3.5  # seconds before the parent kills the child (one that swallows the alarm)


def run_file(exercise: Exercise, path: Path, seed: int = 0) -> CheckResult:
    """Check the file at `path` in a child process; ExerciseError when it is missing or lacks a function."""
    if not path.is_file():
        raise ExerciseError(_("no such file: {path} (write the starter with: barenet exercise {id})").format(
            path=path, id=exercise.id))
    with tempfile.TemporaryDirectory(prefix="barenet-check-") as tmp:
        report = Path(tmp) / "report.jsonl"
        output = Path(tmp) / "output.txt"
        status, timed_out = spawn(exercise, path.resolve(), seed, report, output)
        lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()
                 if line.strip()] if report.exists() else []
        tail = output.read_text(encoding="utf-8", errors="replace")[-2000:] if output.exists() else ""
    for line in reversed(lines):
        if "usage" in line:
            raise ExerciseError(line["usage"])
        if "result" in line:
            found = line["result"]
            return CheckResult(exercise.id, found["passed"], found["mistake"], found["message"],
                               tuple(found["not_implemented"]))
    return died(exercise, lines, status, timed_out, tail)


def spawn(exercise: Exercise, path: Path, seed: int, report: Path, output: Path) -> tuple[int, bool]:
    """Run the child; (its exit status, whether it was killed at WALL_LIMIT)."""
    package_root = str(Path(__file__).resolve().parents[2])  # the directory holding barenet/
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": os.pathsep.join([package_root, *filter(None, [os.environ.get("PYTHONPATH")])])}
    command = [sys.executable, "-m", "barenet.exercises.sandbox", exercise.id, str(path),
               i18n.language(), str(seed), str(report), repr(time.monotonic() + BUDGET)]
    with output.open("wb") as out:
        child = subprocess.Popen(command, cwd=path.parent, env=env, stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return child.wait(timeout=WALL_LIMIT), False
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            return child.wait(), True
        finally:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def died(exercise: Exercise, lines: list[dict], status: int, timed_out: bool, tail: str) -> CheckResult:
    """The result of a child that gave no result: what it was doing when it stopped."""
    last = next((line for line in reversed(lines) if "calling" in line), None)
    finding = Finding(exercise, tag="exception", function=last["calling"] if last else None,
                      case=Case(last["calling"], last["case"], ()) if last else None)
    cpu = status == -signal.SIGXCPU
    if timed_out or cpu:
        finding.tag, finding.why = "timeout", "timeout"
        finding.detail = f"{CPU_LIMIT}" if cpu else f"{WALL_LIMIT:g}"
    else:
        finding.why = "killed"
        finding.detail = (_("the checking process ended with exit status {status} while your code "
                            "ran: os._exit(), or a crash").format(status=status) if status >= 0 else
                          _("the checking process was killed by signal {signal} while your code ran "
                            "(out of memory?)").format(signal=signal.Signals(-status).name))
        if not lines and tail:
            finding.detail += "\n" + tail
    if finding.function is None:
        finding.why, finding.function = ("load_timeout" if finding.tag == "timeout" else "load"), "-"
    return CheckResult(exercise.id, False, finding.tag, message(finding))


# ---- the child ---------------------------------------------------------------------------------


def limit_resources() -> None:
    """Address space MEMORY_LIMIT above the current one, CPU_LIMIT seconds, files ≤ 64 MB."""
    status = Path("/proc/self/status")
    used = 0
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmSize:"):
                used = int(line.split()[1]) * 1024
    for limit, value in ((resource.RLIMIT_AS, used + MEMORY_LIMIT), (resource.RLIMIT_CPU, CPU_LIMIT),
                         (resource.RLIMIT_FSIZE, 64 * 1024**2)):
        _soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(limit, (value, hard))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large file is an OSError, not a kill


#: Punctuation a Chinese input method types in place of Python's.
FULL_WIDTH = {"：": ":", "（": "(", "）": ")", "，": ",", "“": '"', "”": '"', "‘": "'", "’": "'",
              "。": ".", "；": ";", "【": "[", "】": "]"}


def full_width(exc: BaseException) -> str:
    """A line naming a full-width character in a syntax error (an easy slip with a Chinese IME)."""
    if not isinstance(exc, SyntaxError):
        return ""
    found = next((c for c in FULL_WIDTH if c in (exc.msg or "") or c in (exc.text or "")), None)
    if found is None:
        return ""
    return "\n" + _("line {line} has a full-width “{char}”: Python reads only the half-width "
                    "“{ascii}” (an easy slip with a Chinese input method)").format(
        line=exc.lineno, char=found, ascii=FULL_WIDTH[found])


def load(exercise: Exercise, path: Path, printed: Printed, send) -> dict | Finding:
    """The learner's functions by name, or the Finding that says why the file did not load."""
    spec = importlib.util.spec_from_file_location(f"learner_{exercise.id}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    finding = Finding(exercise, tag="exception", function="-", printed=printed)
    finding.why = "load"
    try:
        with time_limit(calls.capped(None)):
            spec.loader.exec_module(module)
    except TimeLimit:
        finding.tag, finding.why, finding.detail = "timeout", "load_timeout", f"{BUDGET:g}"
        return finding
    except SystemExit as exc:
        finding.detail = _("it called sys.exit({code}) while loading").format(code=repr(exc.code))
        return finding
    except MemoryError as exc:
        finding.detail = _("it ran out of memory while loading:") + "\n" + learner_traceback(exc)
        return finding
    except BaseException as exc:  # a syntax error, a failing import, anything at the top level
        finding.detail = learner_traceback(exc) + full_width(exc)
        return finding
    missing = [name for name in exercise.functions if not callable(getattr(module, name, None))]
    if missing:
        send(usage=_("{path} has no function {names}: the exercise “{id}” needs {functions}").format(
            path=path.name, names=_(", ").join(missing), id=exercise.id,
            functions=_(", ").join(exercise.functions)))
        os._exit(0)
    return {name: getattr(module, name) for name in exercise.functions}


def child(argv: list[str]) -> None:
    from barenet.exercises.registry import get

    exercise_id, path, lang, seed, report_path, deadline = argv
    calls.set_deadline(float(deadline))
    report = open(report_path, "w", encoding="utf-8")

    def send(**line) -> None:
        report.write(json.dumps(line, ensure_ascii=False) + "\n")
        report.flush()

    i18n.set_language(lang)
    exercise = get(exercise_id)
    limit_resources()
    printed = Printed()
    sys.stdout = sys.stderr = printed
    sys.path.insert(0, str(Path(path).parent))
    functions = load(exercise, Path(path), printed, send)
    if isinstance(functions, Finding):
        finding = functions
    else:
        finding = run_checks(exercise, functions, seed=int(seed), printed=printed,
                             progress=lambda function, case: send(calling=function, case=case))
    send(result={"passed": finding.tag is None, "mistake": finding.tag, "message": message(finding),
                 "not_implemented": finding.not_implemented})
    os._exit(0)  # skip the learner's atexit handlers and open threads


if __name__ == "__main__":
    child(sys.argv[1:])
