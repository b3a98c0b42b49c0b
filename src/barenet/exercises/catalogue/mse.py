"""Exercise `mse`: mean squared error and its gradient, L = 1/(2N) Σ ‖ŷ_i − y_i‖² (chapter 2, §5)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, a_float, tuple_of
from barenet.i18n import _

ID = "mse"
CHAPTER = 2
READ = ("5",)


def mse(y_hat, y):
    # L = 1/(2N) Σ_i ‖ŷ_i − y_i‖²; y_hat, y: (N, k) -> a float
    return float(np.sum((y_hat - y) ** 2) / (2 * len(y)))


def mse_backward(y_hat, y):
    # ∂L/∂ŷ = (ŷ − y) / N; y_hat, y: (N, k) -> (N, k)
    return (y_hat - y) / len(y)


FUNCTIONS = (Function("mse", mse, a_float("L")), Function("mse_backward", mse_backward,
                                                          tuple_of("grad_y_hat")))
SOLUTION = (mse, mse_backward)

TEXTS = {
    "en": {
        "title": "Mean squared error and its gradient",
        "mse": """
Mean squared error of a batch: L = 1/(2N) Σ_i ‖ŷ_i − y_i‖².

y_hat: (N, k), the network's outputs; y: (N, k), the targets. Returns L, a float: the squares
summed over the k outputs, averaged over the N samples, halved (the ½ cancels the 2 of the
derivative).
""",
        "mse_backward": """
The gradient of the mean squared error: ∂L/∂ŷ = (ŷ − y) / N.

y_hat, y: (N, k). Returns grad_y_hat: (N, k).
""",
        "hints": (
            "Square every difference, add them up, and average over the samples (not over the "
            "outputs too); the ½ is there so that the derivative of the square loses its 2.",
            "L = Σ over all N·k entries of (ŷ − y)², divided by 2N (N = len(y), not y.size). "
            "∂L/∂ŷ = (ŷ − y)/N, shape (N, k).",
            "mse: return float(np.sum((y_hat - y) ** 2) / (2 * len(y)))\n"
            "mse_backward: return (y_hat - y) / len(y)",
        ),
    },
    "zh": {
        "title": "均方误差及其梯度",
        "comments": {
            'L = 1/(2N) Σ_i ‖ŷ_i − y_i‖²; y_hat, y: (N, k) -> a float':
                'L = 1/(2N) Σ_i ‖ŷ_i − y_i‖²；y_hat, y: (N, k) -> 一个浮点数',
        },
        "mse": """
一个小批量的均方误差：L = 1/(2N) Σ_i ‖ŷ_i − y_i‖²。

y_hat：(N, k)，网络的输出；y：(N, k)，目标值。返回 L，一个浮点数：平方在 k 个输出上求和，
在 N 个样本上求平均，再乘 ½（求导时 ½ 正好抵掉平方带下来的 2）。
""",
        "mse_backward": """
均方误差的梯度：∂L/∂ŷ = (ŷ − y) / N。

y_hat、y：(N, k)。返回 grad_y_hat：(N, k)。
""",
        "hints": (
            "把每个差值平方后加起来，再对样本求平均（不要连输出的个数也平均掉）；"
            "乘 ½ 是为了让平方的导数不再带 2。",
            "L = 所有 N·k 个元素的 (ŷ − y)² 之和，除以 2N（N = len(y)，不是 y.size）。"
            "∂L/∂ŷ = (ŷ − y)/N，形状 (N, k)。",
            "mse：return float(np.sum((y_hat - y) ** 2) / (2 * len(y)))\n"
            "mse_backward：return (y_hat - y) / len(y)",
        ),
    },
}


def cases(rng: np.random.Generator) -> list[Case]:
    tiny = (np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]]), np.array([[0.0, 2.5], [1.0, -1.0], [2.0, 1.0]]))
    sets = [("tiny", tiny, True), ("random, N = 5, k = 3", (rng.normal(size=(5, 3)), rng.normal(size=(5, 3))),
                                  False),
            ("N = 1", (rng.normal(size=(1, 4)), rng.normal(size=(1, 4))), False),
            ("float32", (rng.normal(size=(6, 2)).astype(np.float32),
                         rng.normal(size=(6, 2)).astype(np.float32)), False)]
    return [Case(function, label, args, printable=printable, names=("y_hat", "y"),
                 constants={"N": args[0].shape[0], "k": args[0].shape[1]})
            for function in ("mse", "mse_backward") for label, args, printable in sets]


def timing_case(function: str, rng: np.random.Generator) -> Case:
    return Case(function, "timing", (rng.normal(size=(20000, 10)), rng.normal(size=(20000, 10))))


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    y_hat, y = args
    if case.function == "mse":
        return [Mistake("wrong_value", _("the differences must be squared before they are summed"),
                        {"L": float(np.sum(y_hat - y) / (2 * len(y)))}),
                Mistake("wrong_value", _("square each difference (ŷ − y)², not the absolute value"),
                        {"L": float(np.sum(np.abs(y_hat - y)) / (2 * len(y)))})]
    return [Mistake("wrong_value", _("∂L/∂ŷ = (ŷ − y)/N: the square's derivative is linear in ŷ − y"),
                    {"grad_y_hat": (y_hat - y) ** 2 / len(y)})]
