"""Exercise `sgd_momentum`: one step of classical momentum, v ← μv − ηg, w ← w + v (chapter 7, §8)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, tuple_of
from barenet.i18n import _

ID = "sgd_momentum"
CHAPTER = 7
READ = ("8",)


def momentum_step(w, g, v, lr, mu):
    # v ← μ v − η g,  w ← w + v; w, g, v: the same shape
    v = mu * v - lr * g
    w = w + v
    return w, v


FUNCTIONS = (Function("momentum_step", momentum_step, tuple_of("w", "v"), may_change=(0, 2),
                      deltas={"w": 0}),)
SOLUTION = (momentum_step,)

TEXTS = {
    "en": {
        "title": "SGD with momentum, one step",
        "momentum_step": """
One step of classical momentum:

    v ← μ v − η g        the velocity: a decaying sum of past steps
    w ← w + v

w: parameters, g: their gradient, v: the velocity, all arrays of the same shape (any shape);
lr: η; mu: μ. Returns (w, v), the new values. You may update w and v in place (as an
optimiser does) if you return them; g must not change. (docs/math.md §8 writes the same rule
with v scaled by −1/η: v ← μ v + g, w ← w − η v; this exercise uses the form above.)
""",
        "hints": (
            "The velocity remembers the previous steps: each step keeps a fraction μ of the old "
            "velocity and adds the new push −η g; then the parameters move by the velocity.",
            "v_new = μ v − η g (same shape as w); w_new = w + v_new (the new velocity, not the "
            "old one). Return both, in the order (w, v).",
            "v = mu * v - lr * g\nw = w + v\nreturn w, v",
        ),
    },
    "zh": {
        "title": "动量法的一步更新",
        "comments": {
            'v ← μ v − η g,  w ← w + v; w, g, v: the same shape':
                'v ← μ v − η g，w ← w + v；w、g、v 形状相同',
        },
        "momentum_step": """
经典动量法的一步：

    v ← μ v − η g        速度：过去各步梯度的衰减累加
    w ← w + v

w：参数，g：它的梯度，v：速度，三者是形状相同的数组（任意形状）；lr：η；mu：μ。
返回 (w, v)，即更新后的值。可以像优化器那样原地更新 w 和 v，只要把它们返回；g 不能改动。
（docs/zh-CN/math.md 第 8 节写的是同一个规则，只是那里的 v 是这里的 −1/η 倍：v ← μ v + g，
w ← w − η v；本练习用上面的写法。）
""",
        "hints": (
            "速度记住了前几步：每一步保留旧速度的 μ 倍，再加上新的推力 −η g；然后参数沿速度移动。",
            "v_new = μ v − η g（形状同 w）；w_new = w + v_new（用新速度，不是旧的）。"
            "按 (w, v) 的顺序返回两者。",
            "v = mu * v - lr * g\nw = w + v\nreturn w, v",
        ),
    },
}


def cases(rng: np.random.Generator) -> list[Case]:
    tiny = (np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[0.1, -0.4], [2.0, 0.0]]),
            np.array([[0.05, 0.0], [-0.1, 0.2]]), 0.1, 0.9)
    sets = [("tiny", tiny, True),
            ("random, shape (3, 4)", (rng.normal(size=(3, 4)), rng.normal(size=(3, 4)),
                                      rng.normal(0, 0.1, (3, 4)), 0.05, 0.9), False),
            ("a vector, v = 0", (rng.normal(size=5), rng.normal(size=5), np.zeros(5), 0.2, 0.5), False),
            ("float32", (*(a.astype(np.float32) for a in (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)),
                                                          rng.normal(0, 0.1, (2, 3)))), 0.1, 0.8),
             False)]
    return [Case("momentum_step", label, args, printable=printable, names=("w", "g", "v", "lr", "mu"),
                 constants={"η": args[3], "μ": args[4]}) for label, args, printable in sets]


def timing_case(function: str, rng: np.random.Generator) -> Case:
    shape = (5000, 20)
    return Case(function, "timing", (rng.normal(size=shape), rng.normal(size=shape),
                                     rng.normal(size=shape), 0.1, 0.9))


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    w, g, v, lr, mu = args
    v_new = mu * v - lr * g
    return [
        Mistake("sign", _("w moves by the velocity: w ← w + v with v ← μ v − η g (w − v climbs the "
                          "gradient)"), {"w": w - v_new}),
        Mistake("sign", _("v ← μ v − η g: the gradient is subtracted"),
                {"w": w - (mu * v + lr * g), "v": mu * v + lr * g}),
        Mistake("sign", _("v ← μ v − η g: the gradient is subtracted"),
                {"w": w + mu * v + lr * g, "v": mu * v + lr * g}),
        Mistake("wrong_value", _("return (w, v) in this order"), {"w": v_new, "v": w + v_new}),
        Mistake("wrong_value", _("w moves by the new velocity: v first, then w ← w + v"),
                {"w": w + v}),
        Mistake("scale", _("the learning rate η multiplies g: v ← μ v − η g"),
                {"w": w + mu * v - g, "v": mu * v - g}),
        Mistake("wrong_value", _("that is the rule of docs/math.md §8 (v ← μ v + g, w ← w − η v), whose v "
                                 "is −1/η times this exercise's: use v ← μ v − η g, w ← w + v"),
                {"w": w - lr * (mu * v + g), "v": mu * v + g}),
    ]
