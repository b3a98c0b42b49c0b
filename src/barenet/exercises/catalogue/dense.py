"""Exercise `dense`: the affine layer z = x W + b, forward and backward (chapter 4, docs/math.md §1–2)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, tuple_of
from barenet.i18n import _

ID = "dense"
CHAPTER = 4
READ = ("1", "2")


def dense_forward(x, W, b):
    # z = x W + b; x: (N, n_in), W: (n_in, n_out), b: (n_out,) -> z: (N, n_out)
    return x @ W + b  # b broadcasts over the N rows


def dense_backward(x, W, grad_z):
    # δ = grad_z: (N, n_out) -> grad_x = δ Wᵀ (N, n_in), grad_W = xᵀ δ (n_in, n_out),
    #                          grad_b = Σ_n δ_n (n_out,)
    grad_x = grad_z @ W.T
    grad_W = x.T @ grad_z
    grad_b = grad_z.sum(axis=0)
    return grad_x, grad_W, grad_b


FUNCTIONS = (Function("dense_forward", dense_forward, tuple_of("z")),
             Function("dense_backward", dense_backward, tuple_of("grad_x", "grad_W", "grad_b")))
SOLUTION = (dense_forward, dense_backward)

TEXTS = {
    "en": {
        "title": "The dense layer, forward and backward",
        "dense_forward": """
The affine map of a dense (fully connected) layer: z = x W + b.

x: (N, n_in), a batch with one sample per row; W: (n_in, n_out); b: (n_out,).
Returns z: (N, n_out); b is added to every row.
""",
        "dense_backward": """
The gradients of a dense layer, given δ = grad_z = ∂L/∂z:

    grad_x = δ Wᵀ          (N, n_in)      passed on to the layer below
    grad_W = xᵀ δ          (n_in, n_out)  summed over the batch
    grad_b = Σ_n δ_n       (n_out,)       the sum of δ's rows

x: (N, n_in); W: (n_in, n_out); grad_z: (N, n_out). The loss already divided by N, so
these sums need no 1/N of their own. Returns the tuple (grad_x, grad_W, grad_b).
""",
        "hints": (
            "Each gradient has the shape of what it is the gradient of: grad_W looks like W, grad_b "
            "like b, grad_x like x. Write the shapes down and there is one way to multiply them.",
            "z = x W + b: (N, n_in)(n_in, n_out) + (n_out,). grad_W = xᵀ δ: (n_in, N)(N, n_out); "
            "grad_x = δ Wᵀ: (N, n_out)(n_out, n_in); grad_b = Σ over the batch (axis 0) of δ.",
            "dense_forward: return x @ W + b.\n"
            "dense_backward: grad_x = grad_z @ W.T; grad_W = x.T @ grad_z; "
            "grad_b = grad_z.sum(axis=0); return grad_x, grad_W, grad_b",
        ),
    },
    "zh": {
        "title": "全连接层的前向与反向",
        "comments": {
            'b broadcasts over the N rows':
                'b 沿 N 行广播',
        },
        "dense_forward": """
全连接层（斋藤书中的 Affine 层）的计算：z = x W + b。

x：(N, n_in)，一个小批量，每行一个样本；W：(n_in, n_out)；b：(n_out,)。
返回 z：(N, n_out)；b 加到每一行上。
""",
        "dense_backward": """
已知 δ = grad_z = ∂L/∂z，求全连接层的梯度：

    grad_x = δ Wᵀ          (N, n_in)      传给前面一层
    grad_W = xᵀ δ          (n_in, n_out)  对小批量里的样本求和
    grad_b = Σ_n δ_n       (n_out,)       δ 各行之和

x：(N, n_in)；W：(n_in, n_out)；grad_z：(N, n_out)。损失里已经除过 N 了，
这里求和之后不用再除以 N。返回元组 (grad_x, grad_W, grad_b)。
""",
        "hints": (
            "每个梯度的形状都和它对应的量相同：grad_W 和 W 一样，grad_b 和 b 一样，grad_x 和 x 一样。"
            "把形状写下来，矩阵乘法就只有一种写法能对上。",
            "z = x W + b：(N, n_in)(n_in, n_out) + (n_out,)。grad_W = xᵀ δ：(n_in, N)(N, n_out)；"
            "grad_x = δ Wᵀ：(N, n_out)(n_out, n_in)；grad_b = δ 对样本（axis 0）求和。",
            "dense_forward：return x @ W + b\n"
            "dense_backward：grad_x = grad_z @ W.T; grad_W = x.T @ grad_z; "
            "grad_b = grad_z.sum(axis=0); return grad_x, grad_W, grad_b",
        ),
    },
}

NAMES = {"dense_forward": ("x", "W", "b"), "dense_backward": ("x", "W", "grad_z")}


def arrays(rng: np.random.Generator, n: int, n_in: int, n_out: int, dtype=np.float64):
    x, W = rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out))
    b, g = rng.normal(size=n_out), rng.normal(size=(n, n_out))
    return tuple(a.astype(dtype) for a in (x, W, b, g))


def cases(rng: np.random.Generator) -> list[Case]:
    tiny = (np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 2.0]]),
            np.array([[0.1, -0.2, 0.3, 0.0], [0.4, 0.5, -0.6, 0.1], [-0.7, 0.8, 0.9, 0.2]]),
            np.array([0.5, -0.5, 0.0, 1.0]), np.array([[1.0, -1.0, 0.5, 2.0], [0.0, 2.0, -0.5, 1.0]]))
    sets = [("tiny", tiny, True), ("random, N = 5, n_in = 4, n_out = 3", arrays(rng, 5, 4, 3), False),
            ("N = 1", arrays(rng, 1, 6, 2), False),
            ("float32", arrays(rng, 7, 3, 5, np.float32), False)]
    found = []
    for function in ("dense_forward", "dense_backward"):
        for label, (x, W, b, g), printable in sets:
            args = (x, W, b) if function == "dense_forward" else (x, W, g)
            found.append(Case(function, label, args, printable=printable, names=NAMES[function],
                              constants={"N": x.shape[0], "n_in": x.shape[1], "n_out": W.shape[1]}))
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    x, W, b, g = arrays(rng, 5000, 20, 10)
    return Case(function, "timing", (x, W, b) if function == "dense_forward" else (x, W, g))


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    if case.function == "dense_forward":
        x, W, _b = args
        return [Mistake("wrong_value", _("b is missing: z = x W + b"), {"z": x @ W})]
    x, W, g = args
    n = len(x)
    return [
        Mistake("wrong_axis", _("grad_b sums δ over the batch, axis 0, giving one value per output "
                                "unit (n_out,); summing over axis 1 gives one per sample"),
                {"grad_b": g.sum(axis=1)}),
        Mistake("wrong_axis", _("grad_b sums δ over the batch, axis 0, giving one value per output "
                                "unit (n_out,); summing over axis 1 gives one per sample"),
                {"grad_b": np.zeros(n)}, by_shape=True),
        Mistake("wrong_axis", _("grad_b sums δ over the batch only (axis 0), one value per output unit"),
                {"grad_b": np.asarray(g.sum())}),
        Mistake("scale", _("grad_b is the sum of δ's rows, not their mean: the loss already divided "
                           "by N"), {"grad_b": g.mean(axis=0)}),
        Mistake("scale", _("grad_W = xᵀ δ is a sum over the batch; the loss already divided by N, "
                           "so no 1/N here"), {"grad_W": x.T @ g / n}),
        Mistake("transposed", _("grad_W must have W's shape (n_in, n_out): xᵀ δ, not δᵀ x"),
                {"grad_W": g.T @ x}),
        Mistake("transposed", _("grad_x must have x's shape (N, n_in): δ Wᵀ, not W δᵀ"),
                {"grad_x": W @ g.T}),
    ]
