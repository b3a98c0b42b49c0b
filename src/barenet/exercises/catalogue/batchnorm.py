"""Exercise `batchnorm`: batch normalisation in training mode, forward and backward (chapter 7, §13)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, substitutions, tuple_of
from barenet.i18n import _

ID = "batchnorm"
CHAPTER = 7
READ = ("13",)


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    # μ, σ² over the batch (axis 0, biased), x̂ = (x − μ)/√(σ² + ε), y = γ x̂ + β; x: (N, D) -> (N, D)
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    # grad_x = (γ/s)(g − mean(g) − x̂ mean(g x̂)), grad_γ = Σ_n g x̂, grad_β = Σ_n g; s = √(σ² + ε)
    s = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) / s
    g = grad_y
    grad_x = gamma / s * (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0))
    return grad_x, (g * x_hat).sum(axis=0), g.sum(axis=0)


FUNCTIONS = (Function("batchnorm_forward", batchnorm_forward, tuple_of("y")),
             Function("batchnorm_backward", batchnorm_backward, tuple_of("grad_x", "grad_gamma",
                                                                          "grad_beta")))
SOLUTION = (batchnorm_forward, batchnorm_backward)

TEXTS = {
    "en": {
        "title": "Batch normalisation, forward and backward",
        "batchnorm_forward": """
Batch normalisation in training mode, each feature (column) by its batch:

    μ = (1/N) Σ_n x_n,  σ² = (1/N) Σ_n (x_n − μ)²  (the biased variance),  s = √(σ² + ε)
    x̂ = (x − μ) / s,    y = γ x̂ + β

x: (N, D); gamma, beta: (D,). Returns y: (N, D).
""",
        "batchnorm_backward": """
The gradients of batch normalisation (training mode), given g = grad_y = ∂L/∂y: (N, D):

    grad_x     = (γ / s) (g − mean_n(g) − x̂ mean_n(g x̂))     (N, D)
    grad_gamma = Σ_n g x̂                                       (D,)
    grad_beta  = Σ_n g                                         (D,)

x: (N, D); gamma: (D,). μ and σ² depend on every x_n: the two means in grad_x are the
gradient flowing through them. Returns (grad_x, grad_gamma, grad_beta).
""",
        "hints": (
            "Forward: centre and scale each column by its own batch statistics, then let γ and β "
            "choose the scale and offset. Backward: μ and σ² are functions of the whole batch, so "
            "every x_n moves every x̂_m: the gradient loses its mean and its component along x̂.",
            "μ = x.mean(axis=0), σ² = x.var(axis=0): (D,). x̂ = (x − μ)/√(σ² + ε): (N, D). "
            "grad_gamma = Σ over axis 0 of g ⊙ x̂, grad_beta = Σ over axis 0 of g: (D,). "
            "grad_x = γ/s · (g − g.mean(0) − x̂ · (g x̂).mean(0)): (N, D).",
            "forward: mu = x.mean(0); var = x.var(0); x_hat = (x - mu) / np.sqrt(var + eps); "
            "return gamma * x_hat + beta\n"
            "backward: s = np.sqrt(x.var(0) + eps); x_hat = (x - x.mean(0)) / s\n"
            "grad_x = gamma / s * (g - g.mean(0) - x_hat * (g * x_hat).mean(0))\n"
            "return grad_x, (g * x_hat).sum(0), g.sum(0)",
        ),
    },
    "zh": {
        "title": "批量规范化的前向与反向",
        "comments": {
            ('μ, σ² over the batch (axis 0, biased), x̂ = (x − μ)/√(σ² + '
             'ε), y = γ x̂ + β; x: (N, D) -> (N, D)'):
                ('μ、σ² 对小批量里的样本计算（axis 0，有偏方差），x̂ = (x − μ)/√(σ² + ε)，y = γ x̂ + β；x:'
                 ' (N, D) -> (N, D)'),
        },
        "batchnorm_forward": """
训练模式下的批量规范化：每个特征（列）用它在这个小批量上的均值和方差来标准化：

    μ = (1/N) Σ_n x_n，σ² = (1/N) Σ_n (x_n − μ)²（有偏方差），s = √(σ² + ε)
    x̂ = (x − μ) / s，   y = γ x̂ + β

x：(N, D)；gamma、beta：(D,)。返回 y：(N, D)。
""",
        "batchnorm_backward": """
已知 g = grad_y = ∂L/∂y：(N, D)，求批量规范化（训练模式）的梯度：

    grad_x     = (γ / s) (g − mean_n(g) − x̂ mean_n(g x̂))     (N, D)
    grad_gamma = Σ_n g x̂                                       (D,)
    grad_beta  = Σ_n g                                         (D,)

x：(N, D)；gamma：(D,)。μ 和 σ² 都依赖于每一个 x_n：grad_x 里的两个平均值就是经过它们
传回来的梯度。返回 (grad_x, grad_gamma, grad_beta)。
""",
        "hints": (
            "前向：每一列用它自己在这个小批量上的统计量做中心化和缩放，再由 γ 和 β 决定想要的尺度和偏移。"
            "反向：μ 和 σ² 是整个小批量的函数，每个 x_n 都会影响每个 x̂_m：梯度要减掉它的均值，"
            "再减掉它沿 x̂ 方向的分量。",
            "μ = x.mean(axis=0)，σ² = x.var(axis=0)：(D,)。x̂ = (x − μ)/√(σ² + ε)：(N, D)。"
            "grad_gamma = g ⊙ x̂ 沿 axis 0 求和，grad_beta = g 沿 axis 0 求和：(D,)。"
            "grad_x = γ/s · (g − g.mean(0) − x̂ · (g x̂).mean(0))：(N, D)。",
            "前向：mu = x.mean(0); var = x.var(0); x_hat = (x - mu) / np.sqrt(var + eps); "
            "return gamma * x_hat + beta\n"
            "反向：s = np.sqrt(x.var(0) + eps); x_hat = (x - x.mean(0)) / s\n"
            "grad_x = gamma / s * (g - g.mean(0) - x_hat * (g * x_hat).mean(0))\n"
            "return grad_x, (g * x_hat).sum(0), g.sum(0)",
        ),
    },
}


def arrays(rng: np.random.Generator, n: int, d: int, dtype=np.float64):
    """x with features of std ≥ 10 (so ε's placement, inside or outside the root, does not show)."""
    x = rng.normal(0, 1, (n, d)) * rng.uniform(10, 40, d) + rng.normal(0, 20, d)
    return tuple(a.astype(dtype) for a in (x, rng.uniform(0.5, 2, d) * rng.choice([-1, 1], d),
                                           rng.normal(size=d), rng.normal(size=(n, d))))


def cases(rng: np.random.Generator) -> list[Case]:
    tiny = (np.array([[10.0, -20.0, 5.0], [30.0, 50.0, -15.0], [-40.0, 0.0, 25.0], [20.0, 10.0, 5.0]]),
            np.array([1.0, 2.0, -0.5]), np.array([0.0, 1.0, -1.0]),
            np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -0.5], [1.0, 1.0, 1.0], [-2.0, 0.5, 0.0]]))
    sets = [("tiny", tiny, True), ("random, N = 8, D = 5", arrays(rng, 8, 5), False),
            ("N = 2", arrays(rng, 2, 3), False), ("float32", arrays(rng, 6, 4, np.float32), False)]
    found = []
    for function in ("batchnorm_forward", "batchnorm_backward"):
        for label, (x, gamma, beta, g), printable in sets:
            args, names = ((x, gamma, beta), ("x", "gamma", "beta")) if function == "batchnorm_forward" \
                else ((x, gamma, g), ("x", "gamma", "grad_y"))
            size = np.abs(gamma) * (np.max(np.abs(g)) if function == "batchnorm_backward" else 1.0)
            # rtol, floor 1e-5: ε outside the root, (x − μ)/(σ + ε), is 1e-6 off when σ ≥ 10; the
            # mistakes are off by far more (N − 1 for N: 3 % at N = 16)
            found.append(Case(function, label, args, printable=printable, names=names, rtol=1e-5,
                              floor=1e-5, constants={"N": x.shape[0], "D": x.shape[1]},
                              scale=float(np.max(size / np.sqrt(x.var(axis=0) + 1e-5)))
                              if function == "batchnorm_backward" else float(np.max(np.abs(gamma)))))
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    x, gamma, beta, g = arrays(rng, 5000, 20)
    return Case(function, "timing", (x, gamma, beta) if function == "batchnorm_forward" else (x, gamma, g))


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    if case.function == "batchnorm_forward":
        x, gamma, beta = args
        rows = (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + 1e-5)
        unbiased = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + 1e-5)
        return [
            Mistake("wrong_axis", _("each feature is normalised by its batch: mean and variance over "
                                    "axis 0 (the samples), not axis 1"), {"y": gamma * rows + beta}),
            Mistake("wrong_axis", _("each feature is normalised by its batch: mean and variance over "
                                    "axis 0 (the samples), not over the whole array"),
                    {"y": gamma * (x - x.mean()) / np.sqrt(x.var() + 1e-5) + beta}),
            Mistake("wrong_value", _("training mode uses the biased variance, divided by N (x.var(axis=0)), "
                                     "not N − 1"), {"y": gamma * unbiased + beta}),
            Mistake("wrong_value", _("y = γ x̂ + β: the scale γ and the shift β are missing"),
                    {"y": expected / 1.0 * 0 + (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)}),
        ]
    x, gamma, g = args
    s = np.sqrt(x.var(axis=0) + 1e-5)
    x_hat = (x - x.mean(axis=0)) / s
    why = _("μ and σ² depend on every x_n: grad_x = (γ/s)(g − mean(g) − x̂ mean(g x̂)); (γ/s) g alone "
            "treats them as constants")
    at_wrong = _("x̂ = (x − μ)/s belongs there, the normalised input, not x or x − μ")
    swapped = []
    for q in (x, x - x.mean(axis=0)):  # x̂'s place taken by x or x − μ, in one term or both
        for first, second in ((q, q), (q, x_hat), (x_hat, q)):
            swapped.append(Mistake("wrong_input", at_wrong, {
                "grad_x": gamma / s * (g - g.mean(axis=0) - first * (g * second).mean(axis=0))}))
        swapped.append(Mistake("wrong_input", at_wrong, {"grad_gamma": (g * q).sum(axis=0)}))
    return [
        *swapped,
        Mistake("missing_derivative", _("γ is missing from grad_x: y = γ x̂ + β, so ∂L/∂x̂ = γ ⊙ grad_y"),
                {"grad_x": (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / s}),
        Mistake("batch_statistics_ignored", why, {"grad_x": gamma / s * g}),
        Mistake("wrong_axis", _("the means in grad_x are over the batch, axis 0, like μ and σ²"),
                {"grad_x": gamma / s * (g - g.mean(axis=1, keepdims=True)
                                        - x_hat * (g * x_hat).mean(axis=1, keepdims=True))}),
        Mistake("batch_statistics_ignored", why, {"grad_x": gamma / s * (g - g.mean(axis=0))}),
        Mistake("batch_statistics_ignored", why,
                {"grad_x": gamma / s * (g - x_hat * (g * x_hat).mean(axis=0))}),
        Mistake("wrong_axis", _("grad_gamma and grad_beta sum over the batch, axis 0: one value per "
                                "feature"),
                {"grad_gamma": np.zeros(len(x)), "grad_beta": np.zeros(len(x))}, by_shape=True),
        Mistake("missing_derivative", _("grad_gamma = Σ_n g x̂: γ multiplies x̂, so its gradient carries x̂"),
                {"grad_gamma": g.sum(axis=0)}),
        *substituted(x, gamma, g),
    ]


def substituted(x, gamma, g) -> list[Mistake]:
    """The backward formulas with x, x − μ or grad_y where x̂ (or grad_y) belongs: wrong_input."""
    s = np.sqrt(x.var(axis=0) + 1e-5)
    pool = {"x": x, "x̂": (x - x.mean(axis=0)) / s, "x − μ": x - x.mean(axis=0), "grad_y": g}

    def grad_x(d, h1, h2):
        return gamma / s * (d - d.mean(axis=0) - h1 * (d * h2).mean(axis=0))

    return [*substitutions("grad_x", grad_x, "grad_x = (γ/s)(grad_y − mean(grad_y) − x̂ mean(grad_y x̂))",
                           {"d": "grad_y", "h1": "x̂", "h2": "x̂"}, pool),
            *substitutions("grad_gamma", lambda d, h: (d * h).sum(axis=0), "grad_gamma = Σ_n grad_y x̂",
                           {"d": "grad_y", "h": "x̂"}, pool)]
