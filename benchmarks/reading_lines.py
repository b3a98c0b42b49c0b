"""The lines a learner reads to follow one training step, counted as issue 18 counts them.

    python benchmarks/reading_lines.py            # the table and the totals (docs/design.md has them)

One step of Dense + ReLU + SoftmaxCrossEntropy + Adam on the textbook path (`fit(..., fast=False)`),
with integer labels as MNIST has them: every function and method on its call path, from `fit`'s
loop to the end of the optimiser's update, signature and body. Not counted: docstrings, blank
lines, comment-only lines; what `fit` does once per run or per epoch where the step's lines do not
sit inside it (argument checks, `Run.begin` and `Run.end` around each epoch, validation, early
stopping, the error of a diverged run, `History.thin` once past 10,000 points); and the fast path
(`barenet.nn.fast`), which a learner may skip: it is tested equal to these lines.

A line is math when it computes a formula of docs/math.md, which the code marks by writing the
formula beside it: a trailing comment holding "=" or "←" (`self.dW = self.x.T @ delta  # dW = xᵀ δ`).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap

#: (module, qualified name): the call path of one step, in the order a learner meets it.
PATH = [
    ("barenet.nn.training", "fit"),
    ("barenet.nn.training", "Run.epoch"),
    ("barenet.nn.training", "mini_batches"),
    ("barenet.nn.schedules", "Constant.__call__"),
    ("barenet.nn.model", "Sequential.forward"),
    ("barenet.nn.layers", "Dense.forward"),
    ("barenet.nn.activations", "ReLU.forward"),
    ("barenet.nn.losses", "SoftmaxCrossEntropy.forward"),
    ("barenet.nn.losses", "smoothed_targets"),
    ("barenet.nn.losses", "log_softmax"),
    ("barenet.nn.losses", "SoftmaxCrossEntropy.backward"),
    ("barenet.nn.model", "Sequential.backward"),
    ("barenet.nn.layers", "Dense.backward"),
    ("barenet.nn.activations", "ReLU.backward"),
    ("barenet.nn.optimizers", "Optimizer.step"),
    ("barenet.nn.optimizers", "Optimizer.start"),
    ("barenet.nn.optimizers", "Adam.update"),
    ("barenet.nn.losses", "Loss.labels"),
    ("barenet.nn.labels", "labels_from_outputs"),
    ("barenet.nn.training", "Run.tally"),
    ("barenet.nn.history", "History.add_batch"),
]

MATH = re.compile(r"#.*[=←]")


def function_lines(module: str, qualname: str) -> tuple[list[str], str]:
    """The code lines of one function (no docstring, blank or comment-only lines); its file."""
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    source = textwrap.dedent(inspect.getsource(obj))
    node = ast.parse(source).body[0]
    skip = set()
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) \
            and isinstance(first.value.value, str):
        skip = set(range(first.lineno, first.end_lineno + 1))
    lines = []
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if number in skip or not stripped or stripped.startswith("#") or stripped.startswith("@"):
            continue
        lines.append(line)
    return lines, inspect.getsourcefile(obj)


def count() -> list[tuple[str, str, int, int]]:
    """(file, function, code lines, math lines) for every function of PATH."""
    rows = []
    for module, qualname in PATH:
        lines, path = function_lines(module, qualname)
        rows.append((path.split("src/")[-1], qualname, len(lines),
                     sum(bool(MATH.search(line)) for line in lines)))
    return rows


def main() -> None:
    rows = count()
    print(f"{'file':28s} {'function':30s} {'lines':>5s} {'math':>5s}")
    for path, name, lines, math in rows:
        print(f"{path:28s} {name:30s} {lines:5d} {math:5d}")
    total, math = sum(r[2] for r in rows), sum(r[3] for r in rows)
    files = len({r[0] for r in rows})
    print(f"\n{total} lines in {len(rows)} functions over {files} files, {math} of them math "
          f"({100 * math / total:.0f} %)")


if __name__ == "__main__":
    main()
