"""Exercise `sigmoid`: the logistic function, stable for any finite z, and its backward (chapter 1)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, substitutions, tuple_of
from barenet.exercises.catalogue.common import extreme_rows
from barenet.i18n import _

ID = "sigmoid"
CHAPTER = 1
READ = ("3", "9")


def sigmoid_forward(z):
    # σ(z) = 1 / (1 + e^(−z)), computed with e = e^(−|z|) ∈ (0, 1]: no exponent is ever positive
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))  # (N, n)


def sigmoid_backward(z, grad_a):
    # grad_z = grad_a ⊙ σ(z)(1 − σ(z)); z, grad_a: (N, n) -> grad_z: (N, n)
    a = sigmoid_forward(z)
    return grad_a * a * (1 - a)


FUNCTIONS = (Function("sigmoid_forward", sigmoid_forward, tuple_of("a")),
             Function("sigmoid_backward", sigmoid_backward, tuple_of("grad_z")))
SOLUTION = (sigmoid_forward, sigmoid_backward)

TEXTS = {
    "en": {
        "title": "The sigmoid, stable, and its derivative",
        "sigmoid_forward": """
The sigmoid, element by element: a = σ(z) = 1 / (1 + e^(−z)).

z: (N, n), float32 or float64. Returns a: (N, n), every value in [0, 1].
It must be finite and raise no warning for any finite z: e^(−z) overflows for z = −1000
(and for z < −88 in float32). Use e = e^(−|z|): σ(z) = 1/(1 + e) for z ≥ 0, e/(1 + e) for z < 0.
""",
        "sigmoid_backward": """
The gradient through the sigmoid: grad_z = grad_a ⊙ σ′(z), with σ′(z) = σ(z) (1 − σ(z)).

z: (N, n), the pre-activations the forward pass received; grad_a: (N, n) = ∂L/∂a.
Returns grad_z: (N, n) = ∂L/∂z. Finite, without warnings, for any finite z.
""",
        "hints": (
            "σ squeezes any number into (0, 1). Its derivative is a function of its own value: "
            "σ′ = σ(1 − σ). The only danger is exp of a large positive number: choose, for each "
            "sign of z, the form of σ whose exponent is negative.",
            "e = exp(−|z|), (N, n), in (0, 1]. a = 1/(1 + e) where z ≥ 0 and e/(1 + e) where z < 0 "
            "(multiply 1/(1 + e^(−z)) by e^z/e^z to see it). grad_z = grad_a · a · (1 − a), "
            "with a = σ(z) (from z, not z itself), all (N, n).",
            "sigmoid_forward: e = np.exp(-np.abs(z)); return np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n"
            "sigmoid_backward: a = sigmoid_forward(z); return grad_a * a * (1 - a)",
        ),
    },
    "zh": {
        "title": "数值稳定的 sigmoid 及其导数",
        "comments": {
            ('σ(z) = 1 / (1 + e^(−z)), computed with e = e^(−|z|) ∈ (0, '
             '1]: no exponent is ever positive'):
                'σ(z) = 1 / (1 + e^(−z))，用 e = e^(−|z|) ∈ (0, 1] 来算：指数永远不为正',
        },
        "sigmoid_forward": """
逐元素计算 sigmoid：a = σ(z) = 1 / (1 + e^(−z))。

z：(N, n)，float32 或 float64。返回 a：(N, n)，每个值都在 [0, 1] 之间。
对任何有限的 z 都必须得到有限数，而且不能有警告：z = −1000 时 e^(−z) 会溢出（float32 里
z < −88 就溢出了）。用 e = e^(−|z|)：z ≥ 0 时 σ(z) = 1/(1 + e)，z < 0 时 σ(z) = e/(1 + e)。
""",
        "sigmoid_backward": """
梯度反向穿过 sigmoid：grad_z = grad_a ⊙ σ′(z)，其中 σ′(z) = σ(z) (1 − σ(z))。

z：(N, n)，前向传播时收到的带权输入；grad_a：(N, n)，即 ∂L/∂a。
返回 grad_z：(N, n)，即 ∂L/∂z。对任何有限的 z 都必须是有限数，而且没有警告。
""",
        "hints": (
            "σ 把任意实数压进 (0, 1)。它的导数可以用它自己的值表示：σ′ = σ(1 − σ)。唯一的危险是"
            "对很大的正数取 exp：按 z 的正负分两种写法，保证指数不为正。",
            "e = exp(−|z|)，(N, n)，在 (0, 1] 之间。z ≥ 0 处 a = 1/(1 + e)，z < 0 处 a = e/(1 + e)"
            "（把 1/(1 + e^(−z)) 的分子分母同乘 e^z 就能看出来）。grad_z = grad_a · a · (1 − a)，"
            "这里 a = σ(z)（由 z 算出，不是 z 本身），都是 (N, n)。",
            "sigmoid_forward：e = np.exp(-np.abs(z)); return np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n"
            "sigmoid_backward：a = sigmoid_forward(z); return grad_a * a * (1 - a)",
        ),
    },
}


def cases(rng: np.random.Generator) -> list[Case]:
    z = np.array([[0.0, np.log(3.0), -2.0], [1.0, -1.0, 4.0]])
    g = np.array([[1.0, 0.5, -1.0], [2.0, 0.25, -0.5]])
    sets = [("tiny", z, g, True, False),
            ("random, N = 6, n = 4", rng.normal(0, 3, (6, 4)), rng.normal(size=(6, 4)), False, False),
            ("N = 1", rng.normal(0, 3, (1, 5)), rng.normal(size=(1, 5)), False, False),
            ("float32", rng.normal(0, 3, (5, 3)).astype(np.float32),
             rng.normal(size=(5, 3)).astype(np.float32), False, False),
            ("z from −35 to 35", np.linspace(-35, 35, 12).reshape(3, 4), rng.normal(size=(3, 4)),
             False, False)]
    for dtype in (np.float64, np.float32):
        zs = extreme_rows(rng, 4, dtype)
        sets.append((f"|z| up to 1000 ({np.dtype(dtype).name})", zs,
                     rng.normal(size=zs.shape).astype(dtype), True, True))
    found = []
    for label, zs, _gs, printable, stable in sets:
        found.append(Case("sigmoid_forward", label, (zs,), printable=printable, stable=stable,
                          names=("z",), scale=1.0))
    for label, zs, gs, printable, stable in sets:
        found.append(Case("sigmoid_backward", label, (zs, gs), printable=printable, stable=stable,
                          names=("z", "grad_a"), scale=float(np.max(np.abs(gs))) / 4))
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    z = rng.normal(0, 3, (20000, 8))
    return Case(function, "timing", (z,) if function == "sigmoid_forward" else (z, rng.normal(size=z.shape)))


def overflow_why() -> str:
    return _("e^(−z) overflows for very negative z (e^1000 = inf; in float32 already e^89): use "
             "e = e^(−|z|) and σ = 1/(1 + e) for z ≥ 0, e/(1 + e) for z < 0")


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    if case.function == "sigmoid_forward":
        (z,) = args
        return [Mistake("sign", _("σ(z) = 1/(1 + e^(−z)): the exponent's sign is flipped, which gives "
                                  "σ(−z) = 1 − σ(z)"), {"a": sigmoid_forward(-z)})]
    z, g = args
    a = sigmoid_forward(z)
    s = sigmoid_forward(a)
    return [
        Mistake("missing_derivative", _("σ′ is missing: grad_z = grad_a ⊙ σ(z)(1 − σ(z))"),
                {"grad_z": g}),
        Mistake("missing_derivative", _("grad_a is missing: the chain rule multiplies σ′(z) by the "
                                        "gradient that arrives"), {"grad_z": a * (1 - a)}),
        Mistake("missing_derivative", _("σ′ = σ(1 − σ) has two factors; one is missing"),
                {"grad_z": g * (1 - a)}),
        Mistake("missing_derivative", _("σ′ = σ(1 − σ) has two factors; one is missing"),
                {"grad_z": g * a}),
        Mistake("wrong_input", _("σ′ = a(1 − a) takes a = σ(z), not z: z(1 − z) is not the "
                                 "derivative"), {"grad_z": g * z * (1 - z)}),
        Mistake("wrong_input", _("σ′ is evaluated at z: σ(z)(1 − σ(z)), not σ(a)(1 − σ(a)) with "
                                 "a = σ(z)"), {"grad_z": g * s * (1 - s)}),
        *(Mistake("wrong_input", _("σ′ is evaluated at z, the forward pass's input, and multiplies "
                                   "grad_a: grad_z = grad_a ⊙ σ(z)(1 − σ(z))"), {"grad_z": value})
          for value in (g * sigmoid_forward(g) * (1 - sigmoid_forward(g)), g * g * (1 - g),
                        z * sigmoid_forward(g) * (1 - sigmoid_forward(g)))),
        *substitutions("grad_z", lambda g, s1, s2: g * s1 * (1 - s2), "grad_z = grad_a ⊙ σ(z) (1 − σ(z))",
                       {"g": "grad_a", "s1": "σ(z)", "s2": "σ(z)"}, {"z": z, "grad_a": g, "σ(z)": a}),
        *substitutions("grad_z", lambda g, u: g * sigmoid_forward(u) * (1 - sigmoid_forward(u)),
                       "grad_z = grad_a ⊙ σ′(z)", {"g": "grad_a", "u": "z"},
                       {"z": z, "grad_a": g, "σ(z)": a}),
    ]
