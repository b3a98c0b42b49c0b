"""Exercise `relu`: the rectified linear unit, forward and backward (chapter 1, docs/math.md §3)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, substitutions, tuple_of
from barenet.exercises.catalogue.common import away_from_zero
from barenet.i18n import _

ID = "relu"
CHAPTER = 1
READ = ("3",)


def relu_forward(z):
    # a = max(z, 0), element by element; z: (N, n) -> a: (N, n)
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    # grad_z = grad_a ⊙ [z > 0]; z, grad_a: (N, n) -> grad_z: (N, n)
    return grad_a * (z > 0)


FUNCTIONS = (Function("relu_forward", relu_forward, tuple_of("a")),
             Function("relu_backward", relu_backward, tuple_of("grad_z")))
SOLUTION = (relu_forward, relu_backward)

TEXTS = {
    "en": {
        "title": "ReLU, forward and backward",
        "relu_forward": """
ReLU, element by element: a = max(z, 0).

z: (N, n) float array, the pre-activations of a batch (rows are samples).
Returns a: (N, n), a new array (z itself stays as it was).
""",
        "relu_backward": """
The gradient through ReLU: grad_z = grad_a ⊙ [z > 0].

[z > 0] is 1 where z > 0 and 0 elsewhere (ReLU's derivative; at z = 0 exactly it is a
convention, and the checker never asks there).
z: (N, n), the pre-activations the forward pass received; grad_a: (N, n) = ∂L/∂a.
Returns grad_z: (N, n) = ∂L/∂z, a new array.
""",
        "hints": (
            "ReLU lets positive numbers through and sets negative ones to 0. Backward, a unit that "
            "let its input through passes the gradient on unchanged; a unit that blocked it passes 0.",
            "a = max(z, 0) element by element, shape (N, n) like z. grad_z = grad_a ⊙ [z > 0]: the "
            "mask [z > 0] is computed from z (not from grad_a), and all three arrays are (N, n).",
            "relu_forward: one call of np.maximum with z and 0 (not np.max, which reduces an axis).\n"
            "relu_backward: multiply grad_a by the boolean mask (z > 0); no loop, no in-place write.",
        ),
    },
    "zh": {
        "title": "ReLU 的前向与反向",
        "comments": {
            'a = max(z, 0), element by element; z: (N, n) -> a: (N, n)':
                'a = max(z, 0)，逐元素；z: (N, n) -> a: (N, n)',
        },
        "relu_forward": """
逐元素计算 ReLU：a = max(z, 0)。

z：形状 (N, n) 的浮点数组，一个小批量的带权输入（每行一个样本）。
返回 a：形状 (N, n) 的新数组（不要改动 z 本身）。
""",
        "relu_backward": """
梯度反向穿过 ReLU：grad_z = grad_a ⊙ [z > 0]。

[z > 0] 在 z > 0 处为 1，其余为 0，这就是 ReLU 的导数（z 恰好等于 0 时取什么值只是约定，
检查程序不会考这个点）。
z：(N, n)，前向传播时收到的带权输入；grad_a：(N, n)，即 ∂L/∂a。
返回 grad_z：(N, n)，即 ∂L/∂z，一个新数组。
""",
        "hints": (
            "ReLU 让正数原样通过，把负数变成 0。反向时，放行了输入的单元把梯度原样往回传，"
            "挡住了输入的单元传回 0。",
            "a = max(z, 0) 逐元素计算，形状和 z 一样是 (N, n)。grad_z = grad_a ⊙ [z > 0]："
            "掩码 [z > 0] 由 z 算出（不是由 grad_a），三个数组都是 (N, n)。",
            "relu_forward：调用一次 np.maximum，参数是 z 和 0（不是 np.max，那是沿某个轴求最大值）。\n"
            "relu_backward：grad_a 乘以布尔掩码 (z > 0)；不用循环，也不要原地修改。",
        ),
    },
}


def cases(rng: np.random.Generator) -> list[Case]:
    z = np.array([[1.5, -2.0, 0.5], [-0.25, 3.0, -1.0]])
    g = np.array([[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]])
    found = []
    shapes = [("tiny", z, g, True), ("random, N = 6, n = 5", away_from_zero(rng, (6, 5)),
                                     rng.normal(size=(6, 5)), False),
              ("N = 1", away_from_zero(rng, (1, 7)), rng.normal(size=(1, 7)), False),
              ("|z| up to 1000", away_from_zero(rng, (4, 3), 400.0), rng.normal(size=(4, 3)), False),
              ("float32", away_from_zero(rng, (5, 4)).astype(np.float32),
               rng.normal(size=(5, 4)).astype(np.float32), False)]
    for label, zs, _gs, printable in shapes:
        found.append(Case("relu_forward", label, (zs,), printable=printable, names=("z",)))
    for label, zs, gs, printable in shapes:
        found.append(Case("relu_backward", label, (zs, gs), printable=printable, names=("z", "grad_a")))
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    z = away_from_zero(rng, (20000, 8))
    args = (z,) if function == "relu_forward" else (z, rng.normal(size=z.shape))
    return Case(function, "timing", args)


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    if case.function == "relu_forward":
        (z,) = args
        return [
            Mistake("shape", _("np.max(z, 0) is the largest value along axis 0 (a reduction); "
                                    "ReLU is the element-by-element np.maximum(z, 0)"),
                    {"a": np.max(z, 0)}),
            Mistake("wrong_value", _("that is ReLU's derivative [z > 0]; the forward pass is max(z, 0)"),
                    {"a": (z > 0).astype(float)}),
            Mistake("wrong_value", _("that is min(z, 0); ReLU keeps the positive part: max(z, 0)"),
                    {"a": np.minimum(z, 0)}),
        ]
    z, grad_a = args
    return [
        Mistake("missing_derivative", _("the mask is missing: grad_z = grad_a ⊙ [z > 0], not grad_a"),
                {"grad_z": grad_a}),
        Mistake("missing_derivative", _("grad_a is missing: the chain rule multiplies ReLU's derivative "
                                        "[z > 0] by the gradient that arrives, grad_a"),
                {"grad_z": (z > 0).astype(float)}),
        Mistake("wrong_input", _("the mask must come from z, the input of the forward pass: "
                                 "[z > 0], not [grad_a > 0]"),
                {"grad_z": np.maximum(grad_a, 0)}),
        Mistake("wrong_input", _("the mask must come from z: grad_z = grad_a ⊙ [z > 0], not "
                                 "[grad_a > 0]"),
                {"grad_z": grad_a * (grad_a > 0) * (z > 0)}),
        Mistake("wrong_input", _("the mask must come from z and multiply grad_a: grad_z = grad_a ⊙ "
                                 "[z > 0] (the two arguments are swapped)"), {"grad_z": z * (grad_a > 0)}),
        Mistake("wrong_value", _("the mask is inverted: the gradient flows where z > 0, not where "
                                 "z < 0"), {"grad_z": grad_a * (z < 0)}),
        *substitutions("grad_z", lambda g, u: g * (u > 0), "grad_z = grad_a ⊙ [z > 0]",
                       {"g": "grad_a", "u": "z"}, {"z": z, "grad_a": grad_a}),
    ]
