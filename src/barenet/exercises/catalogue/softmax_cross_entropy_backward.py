"""Exercise `softmax_cross_entropy_backward`: ∂L/∂z = (softmax(z) − onehot(y)) / N (chapter 2, §5)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, substitutions, tuple_of
from barenet.exercises.catalogue.common import extreme_rows, labels, onehot, softmax64
from barenet.i18n import _

ID = "softmax_cross_entropy_backward"
CHAPTER = 2
READ = ("5",)


def softmax_cross_entropy_backward(z, y):
    # ∂L/∂z = (p − Y) / N, p = softmax(z) row by row, Y the one-hot rows of y; z: (N, C) -> (N, C)
    p = np.exp(z - np.max(z, axis=1, keepdims=True))  # every exponent ≤ 0
    p /= np.sum(p, axis=1, keepdims=True)  # p is our own array: dividing in place is safe
    p[np.arange(len(y)), y] -= 1.0  # p − Y
    return p / len(y)


FUNCTIONS = (Function("softmax_cross_entropy_backward", softmax_cross_entropy_backward,
                      tuple_of("grad_z")),)
SOLUTION = (softmax_cross_entropy_backward,)

TEXTS = {
    "en": {
        "title": "Softmax with cross-entropy: the gradient p − y",
        "softmax_cross_entropy_backward": """
The gradient of L = −(1/N) Σ_i ln softmax(z)[i, y_i] with respect to the scores z:

    ∂L/∂z = (p − Y) / N,     p = softmax(z) row by row,  Y[i, k] = 1 if k = y_i else 0

z: (N, C) scores (logits); y: (N,) integer labels. Returns grad_z: (N, C).
Finite, without warnings, for any finite z (|z| up to 1000): compute p stably.
""",
        "hints": (
            "Softmax followed by cross-entropy has the simplest gradient of all: the predicted "
            "probabilities minus the one-hot truth, divided by the batch size (the loss is a mean).",
            "p = softmax(z), (N, C), with each row shifted by its maximum first. Y = onehot(y), (N, C). "
            "grad_z = (p − Y) / N, (N, C). Subtracting Y is subtracting 1 at [i, y_i] of each row.",
            "p = np.exp(z - z.max(axis=1, keepdims=True)); p = p / p.sum(axis=1, keepdims=True)\n"
            "grad = p.copy(); grad[np.arange(len(y)), y] -= 1; return grad / len(y)",
        ),
    },
    "zh": {
        "title": "softmax 加交叉熵的梯度 p − y",
        "comments": {
            ('∂L/∂z = (p − Y) / N, p = softmax(z) row by row, Y the one-'
             'hot rows of y; z: (N, C) -> (N, C)'):
                ('∂L/∂z = (p − Y) / N，p = 逐行的 softmax(z)，Y 是 y 的独热编码；z: (N, C)'
                 ' -> (N, C)'),
            'every exponent ≤ 0':
                '所有指数都 ≤ 0',
            'p is our own array: dividing in place is safe':
                'p 是我们自己新建的数组，原地相除是安全的',
        },
        "softmax_cross_entropy_backward": """
L = −(1/N) Σ_i ln softmax(z)[i, y_i] 对得分 z 的梯度：

    ∂L/∂z = (p − Y) / N，    p = 逐行的 softmax(z)，k = y_i 时 Y[i, k] = 1，否则为 0

z：(N, C) 的得分（logits）；y：(N,) 整数标签。返回 grad_z：(N, C)。
对任何有限的 z（|z| 可达 1000）都必须是有限数，而且没有警告：p 要用稳定的方法算。
""",
        "hints": (
            "softmax 后面接交叉熵，梯度形式最简单：预测的概率减去独热编码的真实标签，再除以批量大小"
            "（损失是平均值）。",
            "p = softmax(z)，(N, C)，先把每行减去本行的最大值。Y = onehot(y)，(N, C)。"
            "grad_z = (p − Y) / N，(N, C)。减去 Y 就是在每行的 [i, y_i] 处减 1。",
            "p = np.exp(z - z.max(axis=1, keepdims=True))\np = p / p.sum(axis=1, keepdims=True)\n"
            "grad = p.copy()\ngrad[np.arange(len(y)), y] -= 1\nreturn grad / len(y)",
        ),
    },
}


def cases(rng: np.random.Generator) -> list[Case]:
    found = [Case("softmax_cross_entropy_backward", "tiny",
                  (np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]]), np.array([2, 0])), printable=True)]
    for label, n, c, dtype in (("random, N = 6, C = 4", 6, 4, np.float64), ("N = 1", 1, 5, np.float64),
                               ("float32", 5, 3, np.float32)):
        found.append(Case("softmax_cross_entropy_backward", label,
                          (rng.normal(0, 3, (n, c)).astype(dtype), labels(rng, n, c))))
    for dtype in (np.float64, np.float32):
        z = extreme_rows(rng, 5, dtype)
        found.append(Case("softmax_cross_entropy_backward", f"|z| up to 1000 ({np.dtype(dtype).name})",
                          (z, labels(rng, len(z), 5)), stable=True, printable=True))
    for case in found:
        case.names = ("z", "y")
        case.constants = {"N": len(case.args[1]), "C": case.args[0].shape[1]}
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    return Case(function, "timing", (rng.normal(0, 3, (20000, 10)), labels(rng, 20000, 10)))


def recognise(case: Case, args: tuple, part: str, received) -> tuple[str, str] | None:
    """p = N·grad + Y whose columns sum to 1 where its rows should: softmax over the batch."""
    z, y = args
    r = np.asarray(received, dtype=np.float64)
    if r.shape != z.shape or len(z) < 2 or not np.all(np.isfinite(r)):
        return None
    for p in (r * len(y) + onehot(y, z.shape[1]), r + onehot(y, z.shape[1])):
        over_batch = np.allclose(p.sum(axis=0), 1.0) or np.isclose(p.sum(), 1.0)
        if over_batch and not np.allclose(p.sum(axis=1), 1.0):
            return "wrong_axis", _("softmax normalises each row (axis=1), the scores of one sample")
    return None


def overflow_why() -> str:
    return _("exp(1000) = inf and inf/inf = nan: compute p with each row shifted by its own maximum "
             "(every exponent ≤ 0)")


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    z, y = args
    n, c = z.shape
    Y = onehot(y, c)
    return [
        Mistake("wrong_input", _("the gradient is p − Y with p = softmax(z), the probabilities: "
                                 "z − Y uses the scores themselves"), {"grad_z": (z - Y) / n}),
        Mistake("wrong_axis", _("softmax normalises each row (axis=1), the scores of one sample"),
                {"grad_z": (softmax64(z, axis=0) - Y) / n}),
        Mistake("wrong_value", _("Y is the one-hot matrix of y: subtract 1 only at [i, y_i], one entry "
                                 "per row"), {"grad_z": (softmax64(z) - 1) / n}),
        Mistake("wrong_value", _("the gradient is p − Y: the one-hot Y of the labels is not subtracted"),
                {"grad_z": softmax64(z) / n}),
        *substitutions("grad_z", lambda p, t: (p - t) / n, "grad_z = (softmax(z) − Y) / N",
                       {"p": "softmax(z)", "t": "Y"},
                       {"z": z, "softmax(z)": softmax64(z), "Y": Y, "softmax(Y)": softmax64(Y)}),
    ]
