"""Exercise `adam`: one step of Adam with its bias correction (chapter 7, docs/math.md §8)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, tuple_of
from barenet.i18n import _

ID = "adam"
CHAPTER = 7
READ = ("8",)


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    # m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
    # w ← w − η m̂ / (√v̂ + ε);  t counts from 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w, m, v


FUNCTIONS = (Function("adam_step", adam_step, tuple_of("w", "m", "v"), may_change=(0, 2, 3),
                      deltas={"w": 0}),)
SOLUTION = (adam_step,)

TEXTS = {
    "en": {
        "title": "Adam, one step, with bias correction",
        "adam_step": """
One step of Adam (t counts the steps from 1):

    m ← β₁ m + (1 − β₁) g            running mean of the gradients
    v ← β₂ v + (1 − β₂) g²           running mean of their squares
    m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)     bias correction: m and v start at 0
    w ← w − η m̂ / (√v̂ + ε)

w, g, m, v: arrays of the same shape; t: the step number (1, 2, …); lr: η. Returns
(w, m, v), the new values. You may update w, m, v in place if you return them; g must not
change. Where ε goes (outside or inside the root, before or after the correction) is not
checked.
""",
        "hints": (
            "Adam keeps a running mean of the gradient and of its square, and steps by their ratio: "
            "about η per step whatever the gradient's size. Both means start at 0, so early on they "
            "are too small; dividing by 1 − βᵗ corrects that.",
            "m, v: same shape as w. m̂ = m/(1 − β₁**t), v̂ = v/(1 − β₂**t) with the t given (first "
            "step: t = 1, so m̂ = g, v̂ = g²). step = η m̂/(√v̂ + ε), elementwise; w − step.",
            "m = beta1 * m + (1 - beta1) * g\nv = beta2 * v + (1 - beta2) * g**2\n"
            "m_hat = m / (1 - beta1**t); v_hat = v / (1 - beta2**t)\n"
            "w = w - lr * m_hat / (np.sqrt(v_hat) + eps)\nreturn w, m, v",
        ),
    },
    "zh": {
        "title": "Adam 的一步更新（含偏差修正）",
        "comments": {
            'w ← w − η m̂ / (√v̂ + ε);  t counts from 1':
                'w ← w − η m̂ / (√v̂ + ε)；t 从 1 开始数',
        },
        "adam_step": """
Adam 的一步（t 从 1 开始计数）：

    m ← β₁ m + (1 − β₁) g            梯度的滑动平均
    v ← β₂ v + (1 − β₂) g²           梯度平方的滑动平均
    m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)     偏差修正：m 和 v 都从 0 开始
    w ← w − η m̂ / (√v̂ + ε)

w、g、m、v：形状相同的数组；t：当前是第几步（1、2……）；lr：η。返回 (w, m, v)，即更新后的值。
可以原地更新 w、m、v，只要把它们返回；g 不能改动。ε 放在哪里（根号外或根号内，修正之前
或之后）不检查。
""",
        "hints": (
            "Adam 记录梯度和梯度平方的滑动平均，按两者之比迈步：不管梯度多大，每一步的步长都大约是 η。"
            "两个平均值都从 0 开始，所以刚开始时偏小；除以 1 − βᵗ 正是为了修正这一点。",
            "m、v 和 w 形状相同。m̂ = m/(1 − β₁**t)，v̂ = v/(1 − β₂**t)，t 用传进来的值（第一步"
            "t = 1，所以 m̂ = g，v̂ = g²）。step = η m̂/(√v̂ + ε)，逐元素计算；w − step。",
            "m = beta1 * m + (1 - beta1) * g\nv = beta2 * v + (1 - beta2) * g**2\n"
            "m_hat = m / (1 - beta1**t)\nv_hat = v / (1 - beta2**t)\n"
            "w = w - lr * m_hat / (np.sqrt(v_hat) + eps)\nreturn w, m, v",
        ),
    },
}


def gradient(rng: np.random.Generator, shape) -> np.ndarray:
    """Gradients with |g| ≥ 0.3, so that ε ≪ √v̂ and its placement does not matter."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.3, 2.0, size=shape)


def state(rng: np.random.Generator, shape, t: int):
    """m, v as t steps of gradients like `gradient` would leave them (v ≥ 0.09 · (1 − β₂ᵗ))."""
    if t == 1:
        return np.zeros(shape), np.zeros(shape)
    m = rng.normal(0, 0.5, shape) * (1 - 0.9 ** (t - 1))
    v = rng.uniform(0.09, 2.0, shape) * (1 - 0.999 ** (t - 1))
    return m, v


def cases(rng: np.random.Generator) -> list[Case]:
    found = [Case("adam_step", "tiny, first step", (np.array([[1.0, -2.0], [0.5, 3.0]]),
                                                    np.array([[0.5, -1.0], [2.0, -0.3]]),
                                                    np.zeros((2, 2)), np.zeros((2, 2)), 1, 0.1),
                  printable=True)]
    for label, shape, t, lr, dtype in (("random, t = 2", (3, 4), 2, 0.01, np.float64),
                                       ("t = 10, default lr", (5,), 10, None, np.float64),
                                       ("t = 1000", (2, 3), 1000, 0.05, np.float64),
                                       ("float32, t = 3", (4, 2), 3, 0.1, np.float32)):
        m, v = state(rng, shape, t)
        arrays = tuple(a.astype(dtype) for a in (rng.normal(size=shape), gradient(rng, shape), m, v))
        found.append(Case("adam_step", label, (*arrays, t) if lr is None else (*arrays, t, lr)))
    for case in found:  # 1e-5: ε before the correction (Kingma & Ba's efficient form) is ε/√(1 − β₂ᵗ)
        case.rtol = 1e-5
        case.names = ("w", "g", "m", "v", "t", "lr")
        case.constants = {"η": case.args[5] if len(case.args) > 5 else 1e-3}
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    shape = (5000, 20)
    m, v = state(rng, shape, 5)
    return Case(function, "timing", (rng.normal(size=shape), gradient(rng, shape), m, v, 5, 0.01))


def step(w, g, m, v, t, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, correct_m=True, correct_v=True):
    """Adam with optional parts missing (for the mutants)."""
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m / (1 - b1**t) if correct_m else m
    v_hat = v / (1 - b2**t) if correct_v else v
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def recognise(case: Case, args: tuple, part: str, received) -> tuple[str, str] | None:
    """Every step inf or nan at t = 1 (|g| ≥ 0.3 everywhere): the bias correction divided by
    1 − β⁰ = 0 (t counted from 0). A nan here and there is another mistake (√ of a negative v)."""
    if args[4] == 1 and part == "w" and not np.any(np.isfinite(np.asarray(received, dtype=np.float64))):
        return "no_bias_correction", _("t counts from 1: at the first step 1 − β₁ᵗ = 1 − β₁, while "
                                       "1 − β₁⁰ = 0 divides by zero")
    return None


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    w, g, m, v, t = args[:5]
    lr = args[5] if len(args) > 5 else 1e-3
    why = _("m and v start at 0, so they are too small early on: m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), "
            "with t counted from 1; without them the step is off by (1 − β₁ᵗ)/√(1 − β₂ᵗ)")
    found = []
    for variant in ({"correct_m": False, "correct_v": False}, {"correct_m": False}, {"correct_v": False}):
        found.append(Mistake("no_bias_correction", why, dict(zip("wmv", step(w, g, m, v, t, lr, **variant),
                                                                 strict=True))))
    for shifted in (t + 1, t - 1):
        if shifted >= 1:
            wrong_t = step(w, g, m, v, shifted, lr)
            found.append(Mistake("no_bias_correction", why, {"w": wrong_t[0]}))
    right = step(w, g, m, v, t, lr)
    found.append(Mistake("wrong_value", _("return (w, m, v) in this order"),
                         {"w": right[0], "m": right[2], "v": right[1]}))
    m_new = 0.9 * m + 0.1 * g
    v_of_g = 0.999 * v + 0.001 * g  # the mean of g where g² belongs
    found += [
        Mistake("wrong_value", _("v is the running mean of g², the squared gradient"),
                {"w": w - lr * (m_new / (1 - 0.9**t)) / (np.sqrt(np.abs(v_of_g) / (1 - 0.999**t)) + 1e-8),
                 "v": v_of_g}),
        Mistake("wrong_value", _("β₁ (0.9) averages g into m, β₂ (0.999) averages g² into v: they are "
                                 "swapped"), dict(zip("wmv", step(w, g, m, v, t, lr, b1=0.999, b2=0.9),
                                                      strict=True))),
        Mistake("wrong_value", _("m ← β₁ m + (1 − β₁) g: the new gradient is weighted by 1 − β₁"),
                {"m": 0.9 * m + g}),
    ]
    return found
