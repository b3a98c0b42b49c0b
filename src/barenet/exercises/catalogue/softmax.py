"""Exercise `softmax`: row-wise probabilities from scores, finite for any finite input (chapter 1)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, tuple_of
from barenet.exercises.catalogue.common import extreme_rows, softmax64
from barenet.i18n import _

ID = "softmax"
CHAPTER = 1
READ = ("4", "9")


def softmax(z):
    # p_ij = exp(z_ij − m_i) / Σ_k exp(z_ik − m_i), m_i = max_k z_ik; z: (N, C) -> p: (N, C)
    shifted = z - np.max(z, axis=1, keepdims=True)  # (N, C): every exponent ≤ 0
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)  # (N, C) / (N, 1)


FUNCTIONS = (Function("softmax", softmax, tuple_of("p")),)
SOLUTION = (softmax,)

TEXTS = {
    "en": {
        "title": "Softmax, row by row and stable",
        "softmax": """
Softmax of each row: p_ij = exp(z_ij) / Σ_k exp(z_ik).

z: (N, C) scores (logits), one row per sample. Returns p: (N, C), each row positive and
summing to 1. It must be finite, without warnings, for any finite z (|z| up to 1000, float32
and float64): exp(1000) overflows. Subtracting the row's maximum m_i from its scores changes
nothing in p (it cancels) and keeps every exponent ≤ 0.
""",
        "hints": (
            "Exponentiate the scores and divide each row by its own sum. To stay finite, shift each "
            "row by its maximum first: the shift cancels between the numerator and the denominator.",
            "m = max over each row, shape (N, 1); e = exp(z − m), (N, C), every entry in (0, 1]; "
            "p = e / (sum of e over each row, (N, 1)). Rows are samples: reduce over axis=1.",
            "Three lines: shifted = z - z.max(axis=1, keepdims=True); e = np.exp(shifted); "
            "return e / e.sum(axis=1, keepdims=True). keepdims keeps (N, 1) so it broadcasts over C.",
        ),
    },
    "zh": {
        "title": "逐行计算、数值稳定的 softmax",
        "comments": {
            '(N, C): every exponent ≤ 0':
                '(N, C)：所有指数都 ≤ 0',
        },
        "softmax": """
对每一行做 softmax：p_ij = exp(z_ij) / Σ_k exp(z_ik)。

z：(N, C) 的得分（logits），每行一个样本。返回 p：(N, C)，每行都是正数且和为 1。
对任何有限的 z（|z| 可达 1000，float32 和 float64 都要考虑）结果都必须是有限数，而且不能有警告：
exp(1000) 会溢出。每行先减去本行的最大值 m_i，p 不变（分子分母中的 e^(−m_i) 约掉了），所有指数就都 ≤ 0。
""",
        "hints": (
            "对得分取指数，再让每一行除以它自己的和。为了不溢出，先把每行减去本行的最大值："
            "这个平移在分子和分母之间约掉了。",
            "m = 每行的最大值，形状 (N, 1)；e = exp(z − m)，(N, C)，每个元素都在 (0, 1] 之间；"
            "p = e / (e 每行的和，(N, 1))。一行是一个样本：沿 axis=1 求和、求最大值。",
            "三行就够：\nshifted = z - z.max(axis=1, keepdims=True)\ne = np.exp(shifted)\n"
            "return e / e.sum(axis=1, keepdims=True)\nkeepdims 保留 (N, 1) 的形状，才能沿 C 广播。",
        ),
    },
}


def cases(rng: np.random.Generator) -> list[Case]:
    tiny = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]])
    found = [Case("softmax", "tiny", (tiny,), printable=True, names=("z",)),
             Case("softmax", "random, N = 5, C = 4", (rng.normal(0, 3, (5, 4)),), names=("z",)),
             Case("softmax", "N = 1", (rng.normal(0, 3, (1, 6)),), names=("z",)),
             Case("softmax", "float32", (rng.normal(0, 3, (6, 5)).astype(np.float32),), names=("z",))]
    for dtype in (np.float64, np.float32):
        found.append(Case("softmax", f"|z| up to 1000 ({np.dtype(dtype).name})",
                          (extreme_rows(rng, 5, dtype),), stable=True, printable=True, names=("z",)))
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    return Case(function, "timing", (rng.normal(0, 3, (20000, 10)),))


def recognise(case: Case, args: tuple, part: str, received) -> tuple[str, str] | None:
    """Columns that sum to 1 where rows should: normalised over the batch, however it was shifted."""
    r = np.asarray(received, dtype=np.float64)
    if r.ndim == 2 and r.shape == args[0].shape and r.shape[0] > 1 and np.all(np.isfinite(r)) \
            and (np.allclose(r.sum(axis=0), 1.0) or np.isclose(r.sum(), 1.0)) \
            and not np.allclose(r.sum(axis=1), 1.0):
        return "wrong_axis", _("each row is a sample: normalise over axis=1 (the classes), not over "
                               "axis=0 (the batch)")
    return None


def overflow_why() -> str:
    return _("exp of a large score overflows (exp(1000) = inf, and inf/inf = nan): subtract each "
             "row's own maximum first, z − max(z, axis=1, keepdims=True); the batch's maximum is not "
             "enough when one row is far below another")


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    (z,) = args
    e = np.exp(z - np.max(z))
    shifted = np.exp(z - np.max(z, axis=1, keepdims=True))
    p, r = softmax64(z), np.asarray(received["p"], dtype=np.float64)
    rows = np.ones((len(p), 1))
    if r.shape == p.shape:  # is each row r_i = c_i p_i, a wrong normaliser?
        rows = np.sum(r * p, axis=1, keepdims=True) / np.sum(p * p, axis=1, keepdims=True)
    return [
        Mistake("wrong_axis", _("each row must sum to 1 on its own: divide by the row's sum "
                                "(axis=1, keepdims=True), not by a sum over the batch"),
                {"p": rows * p} if not np.allclose(rows, 1) else {}),
        Mistake("wrong_axis", _("each row is a sample: normalise over axis=1 (the classes), not over "
                                "axis=0 (the batch)"), {"p": softmax64(z, axis=0)}),
        Mistake("wrong_axis", _("each row is a sample: normalise over axis=1 (the classes), not over "
                                "axis=0 (the batch)"),
                {"p": shifted / shifted.sum(axis=0, keepdims=True)}),
        Mistake("wrong_axis", _("each row must sum to 1 on its own: divide by the row's sum "
                                "(axis=1, keepdims=True), not by a sum over the batch"),
                {"p": e / np.sum(e)}),
        Mistake("wrong_axis", _("shift each row by its own maximum, max over axis=1: the maximum of "
                                "each column (axis=0) changes the row's probabilities"),
                {"p": (lambda q: q / q.sum(axis=1, keepdims=True))(np.exp(z - np.max(z, axis=0)))}),
        Mistake("wrong_value", _("the exponentials are not normalised: divide each row by its sum"),
                {"p": np.exp(z - np.max(z, axis=1, keepdims=True))}),
        Mistake("wrong_value", _("that is log p (the log-softmax); softmax is exp(z − m) / Σ exp(z − m)"),
                {"p": np.log(softmax64(z))}),
    ]
