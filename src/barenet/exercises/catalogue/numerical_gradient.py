"""Exercise `numerical_gradient`: central differences of f at x, any shape (chapter 3, docs/math.md §10)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, tuple_of
from barenet.i18n import _

ID = "numerical_gradient"
CHAPTER = 3
READ = ("10",)


def numerical_gradient(f, x, eps=1e-5):
    # grad[i] = (f(x + ε e_i) − f(x − ε e_i)) / (2ε) for every index i of x (any shape)
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        kept = x[i]
        x[i] = kept + eps
        up = f(x)
        x[i] = kept - eps
        down = f(x)
        x[i] = kept  # x as it was
        grad[i] = (up - down) / (2 * eps)
    return grad


FUNCTIONS = (Function("numerical_gradient", numerical_gradient, tuple_of("grad"), restores=(1,),
                      timing=False),)
SOLUTION = (numerical_gradient,)

TEXTS = {
    "en": {
        "title": "The numerical gradient by central differences",
        "numerical_gradient": """
The gradient of f at x by central differences, one entry of x at a time:

    grad[i] = (f(x + ε e_i) − f(x − ε e_i)) / (2ε)

f: a function of an array (the shape of x) returning a float; x: a float array of any shape
(1-D, 2-D, …); eps: ε. Returns grad, an array of x's shape. The error is O(ε²); the one-sided
(f(x + ε e_i) − f(x)) / ε is only O(ε). You may change x while you work (x[i] += eps), but
leave it as you found it.
""",
        "hints": (
            "Nudge one entry of x up by ε, then down by ε, and see how much f changes: that change "
            "over 2ε is the slope along that entry. Do it for every entry; put x back each time.",
            "For each index i of x (np.ndindex(x.shape) walks all of them, whatever the shape): "
            "up = f(x with x[i] + ε), down = f(x with x[i] − ε), grad[i] = (up − down)/(2ε). "
            "grad has x's shape; restore x[i] after each pair.",
            "grad = np.zeros_like(x, dtype=float)\nfor i in np.ndindex(x.shape):\n"
            "    kept = x[i]; x[i] = kept + eps; up = f(x)\n"
            "    x[i] = kept - eps; down = f(x); x[i] = kept\n"
            "    grad[i] = (up - down) / (2 * eps)\nreturn grad",
        ),
    },
    "zh": {
        "title": "用中心差分求数值梯度",
        "comments": {
            ('grad[i] = (f(x + ε e_i) − f(x − ε e_i)) / (2ε) for every '
             'index i of x (any shape)'):
                ('对 x 的每个下标 i（任意形状）：grad[i] = (f(x + ε e_i) − f(x − ε e_i)) / '
                 '(2ε)'),
            'x as it was':
                '把 x 恢复原样',
        },
        "numerical_gradient": """
用中心差分求 f 在 x 处的梯度，每次只动 x 的一个元素：

    grad[i] = (f(x + ε e_i) − f(x − ε e_i)) / (2ε)

f：一个以数组（形状同 x）为参数、返回浮点数的函数；x：任意形状的浮点数组（一维、二维……）；
eps：即 ε。返回 grad，形状和 x 一样。误差是 O(ε²)；前向差分 (f(x + ε e_i) − f(x)) / ε
的误差是 O(ε)。计算过程中可以改动 x（x[i] += eps），但结束时要把它恢复原样。
""",
        "hints": (
            "把 x 的一个元素加 ε，再减 ε，看 f 变了多少：变化量除以 2ε 就是沿这个元素方向的斜率。"
            "对每个元素都这样做，每次做完都把 x 还原。",
            "对 x 的每个下标 i（np.ndindex(x.shape) 能遍历任意形状的所有下标）："
            "up = f(把 x[i] 加上 ε 的 x)，down = f(把 x[i] 减去 ε 的 x)，grad[i] = (up − down)/(2ε)。"
            "grad 的形状和 x 相同；每算完一对就把 x[i] 恢复。",
            "grad = np.zeros_like(x, dtype=float)\nfor i in np.ndindex(x.shape):\n"
            "    kept = x[i]; x[i] = kept + eps; up = f(x)\n"
            "    x[i] = kept - eps; down = f(x); x[i] = kept\n"
            "    grad[i] = (up - down) / (2 * eps)\nreturn grad",
        ),
    },
}


def curved(a: np.ndarray, c: np.ndarray):
    """f(x) = Σ sin(a ⊙ x) + ½ Σ c ⊙ x² + (Σ x)² / 10, and its exact gradient (f.curvature(x):
    the diagonal of its Hessian, −a² sin(a x) + c + 1/5)."""

    def f(x):
        return float(np.sum(np.sin(a * x)) + 0.5 * np.sum(c * x * x) + np.sum(x) ** 2 / 10)

    f.__doc__ = "f(x) = Σ sin(a ⊙ x) + ½ Σ c ⊙ x² + (Σ x)² / 10"
    f.curvature = lambda x: -a * a * np.sin(a * x) + c + 0.2

    def gradient(x):
        return a * np.cos(a * x) + c * x + np.sum(x) / 5

    return f, gradient


def cases(rng: np.random.Generator) -> list[Case]:
    found = []
    shapes = [("tiny, x of shape (3,)", (3,), True, True), ("x of shape (2, 3)", (2, 3), False, True),
              ("x of shape (4,), default eps", (4,), False, False), ("x of shape (1,)", (1,), False, True)]
    for label, shape, printable, give_eps in shapes:
        a, c = rng.uniform(0.5, 2.0, shape), rng.uniform(0.5, 2.0, shape)
        x = np.round(rng.uniform(-1, 1, shape), 2) if printable else rng.uniform(-1, 1, shape)
        f, gradient = curved(a, c)
        args = (f, x, 1e-5) if give_eps else (f, x)
        found.append(Case("numerical_gradient", label, args, printable=printable, expected=gradient(x),
                          rtol=1e-6, floor=1e-7, names=("f", "x", "eps"), constants={"ε": 1e-5}))
    return found


def recognise(case: Case, args: tuple, part: str, received) -> tuple[str, str] | None:
    """A one-sided difference with any ε: received − exact ≈ k · f″ (a forward one, k = ε/2 > 0, or a
    backward one, k < 0), with |k| ≤ 0.1."""
    f, x = args[0], args[1]
    r = np.asarray(received, dtype=np.float64)
    if r.shape != x.shape or x.size < 2 or not np.all(np.isfinite(r)) or not hasattr(f, "curvature"):
        return None
    off, curvature = r - np.asarray(case.expected), f.curvature(x)
    k = float(np.sum(off * curvature) / np.sum(curvature * curvature))
    fits = np.allclose(off, k * curvature, rtol=0.02, atol=1e-3 * abs(k) * float(np.max(np.abs(curvature))))
    if 1e-9 < abs(k) <= 0.1 and fits:
        return "forward_difference", _("(f(x + ε) − f(x)) / ε is off by about ε f″/2, O(ε); the central "
                                       "difference (f(x + ε) − f(x − ε)) / (2ε) is off by ε² f‴/6, O(ε²)")
    return None


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    f, x = args[0], args[1].copy()
    eps = args[2] if len(args) > 2 else 1e-5
    base = f(x)
    forward, backward = np.zeros_like(x), np.zeros_like(x)
    for i in np.ndindex(x.shape):
        kept = x[i]
        x[i] = kept + eps
        forward[i] = (f(x) - base) / eps
        x[i] = kept - eps
        backward[i] = (base - f(x)) / eps
        x[i] = kept
    why = _("(f(x + ε) − f(x)) / ε is off by about ε f″/2, O(ε); the central difference "
            "(f(x + ε) − f(x − ε)) / (2ε) is off by ε² f‴/6, O(ε²)")
    return [Mistake("forward_difference", why, {"grad": forward}, rtol=1e-8),
            Mistake("forward_difference", why, {"grad": backward}, rtol=1e-8)]
