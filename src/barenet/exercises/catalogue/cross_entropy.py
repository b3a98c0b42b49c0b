"""Exercise `cross_entropy`: the batch mean of −ln p[i, y_i], finite at p = 0 (chapter 2, §5)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, a_float
from barenet.exercises.catalogue.common import labels
from barenet.i18n import _

ID = "cross_entropy"
CHAPTER = 2
READ = ("5",)


def cross_entropy(p, y):
    # L = −(1/N) Σ_i ln p[i, y_i]; p: (N, C) probabilities, y: (N,) labels -> a float
    picked = p[np.arange(len(y)), y]  # (N,): the probability of each sample's own class
    return float(-np.mean(np.log(np.maximum(picked, 1e-300))))  # never log 0


FUNCTIONS = (Function("cross_entropy", cross_entropy, a_float("L")),)
SOLUTION = (cross_entropy,)

TEXTS = {
    "en": {
        "title": "Cross-entropy on probabilities",
        "cross_entropy": """
Cross-entropy of a batch: L = −(1/N) Σ_i ln p[i, y_i].

p: (N, C), each row a probability distribution over the C classes (it may hold exact 0s);
y: (N,) integer labels in range(C). Returns L, a float (the batch mean).
It must be finite even where p[i, y_i] = 0: ln 0 = −∞, so keep the argument of the log
above a tiny positive number.
""",
        "hints": (
            "Only the probability the network gave to the right class counts: the smaller it is, "
            "the larger the loss. Average over the batch, and never take the log of 0.",
            "picked = p[i, y_i] for each i: shape (N,) (one entry per row, by fancy indexing with "
            "np.arange(N) and y). L = −mean(ln picked), a float; clip picked to at least ~1e-12 "
            "(or the smallest float) before the log.",
            "picked = p[np.arange(len(y)), y]\n"
            "return float(-np.mean(np.log(np.maximum(picked, 1e-12))))",
        ),
    },
    "zh": {
        "title": "由概率计算交叉熵",
        "comments": {
            ('L = −(1/N) Σ_i ln p[i, y_i]; p: (N, C) probabilities, y: '
             '(N,) labels -> a float'):
                'L = −(1/N) Σ_i ln p[i, y_i]；p: (N, C) 概率，y: (N,) 标签 -> 一个浮点数',
            "(N,): the probability of each sample's own class":
                '(N,)：每个样本的正确类别的概率',
            'never log 0':
                '绝不取 log 0',
        },
        "cross_entropy": """
一个小批量的交叉熵：L = −(1/N) Σ_i ln p[i, y_i]。

p：(N, C)，每行是 C 个类别上的概率分布（可能含有恰好为 0 的值）；
y：(N,)，取值在 range(C) 中的整数标签。返回 L，一个浮点数（对小批量取平均）。
即使 p[i, y_i] = 0 也必须得到有限数：ln 0 = −∞，所以取对数之前，要把它截断到不小于某个很小的正数。
""",
        "hints": (
            "只有网络给正确类别的概率起作用：它越小，损失越大。对小批量求平均，而且绝不能对 0 取对数。",
            "对每个 i 取出 picked = p[i, y_i]：形状 (N,)（用 np.arange(N) 和 y 做花式索引，每行取一个）。"
            "L = −mean(ln picked)，一个浮点数；取对数前把 picked 截断到不小于 1e-12 左右"
            "（或最小的正浮点数）。",
            "picked = p[np.arange(len(y)), y]\n"
            "return float(-np.mean(np.log(np.maximum(picked, 1e-12))))",
        ),
    },
}


def probabilities(rng: np.random.Generator, n: int, c: int, y: np.ndarray) -> np.ndarray:
    """Random rows summing to 1 with p[i, y_i] ≥ 0.01."""
    p = rng.dirichlet(np.ones(c), size=n)
    p[np.arange(n), y] += 0.02
    return p / p.sum(axis=1, keepdims=True)


def cases(rng: np.random.Generator) -> list[Case]:
    tiny_p = np.array([[0.7, 0.2, 0.05, 0.05], [0.1, 0.1, 0.5, 0.3], [0.25, 0.25, 0.25, 0.25]])
    tiny_y = np.array([0, 3, 1])
    found = [Case("cross_entropy", "tiny", (tiny_p, tiny_y), printable=True, rtol=1e-4)]
    for label, n, c, dtype in (("random, N = 6, C = 5", 6, 5, np.float64), ("N = 1", 1, 4, np.float64),
                               ("float32", 7, 3, np.float32)):
        y = labels(rng, n, c)
        found.append(Case("cross_entropy", label, (probabilities(rng, n, c, y).astype(dtype), y),
                          rtol=1e-4))
    y = labels(rng, 5, 4)
    p = probabilities(rng, 5, 4, y)
    zeros_elsewhere = p.copy()
    for i, label in enumerate(y):
        zeros_elsewhere[i, (label + 1) % 4] = 0.0
    zeros_elsewhere /= zeros_elsewhere.sum(axis=1, keepdims=True)
    found.append(Case("cross_entropy", "p = 0 for wrong classes", (zeros_elsewhere, y), rtol=1e-4,
                      stable=True, warnings_ok=True, printable=True))
    at_labels = p.copy()
    at_labels[[0, 2], y[[0, 2]]] = 0.0
    at_labels /= at_labels.sum(axis=1, keepdims=True)
    found.append(Case("cross_entropy", "p[i, y_i] = 0", (at_labels, y), finite_only=True, stable=True,
                      warnings_ok=True, printable=True))
    for case in found:
        case.names = ("p", "y")
        case.constants = {"N": len(case.args[1]), "C": case.args[0].shape[1]}
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    y = labels(rng, 20000, 10)
    return Case(function, "timing", (probabilities(rng, 20000, 10, y), y))


def overflow_why() -> str:
    return _("ln 0 = −∞ (and 0 · ln 0 = nan): take the log of the picked probabilities only, "
             "clipped to a tiny positive number, e.g. np.maximum(picked, 1e-12)")


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    p, y = args
    with np.errstate(divide="ignore"):
        columns = -np.mean(np.log(p[:, y]))
    return [Mistake("wrong_axis", _("p[:, y] takes the columns y of every row, an (N, N) array: "
                                    "p[np.arange(N), y] picks one entry per row"), {"L": columns})]
