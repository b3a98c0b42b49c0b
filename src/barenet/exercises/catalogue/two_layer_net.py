"""Exercise `two_layer_net`: the loss and every gradient of x → Dense → ReLU → Dense → softmax
cross-entropy (chapter 4, docs/math.md §2, §5)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function, Mistake, Outputs, substitutions
from barenet.exercises.catalogue.common import labels, onehot, softmax64
from barenet.i18n import _

ID = "two_layer_net"
CHAPTER = 4
READ = ("2", "5")
KEYS = ("W2", "b2", "W1", "b1")  # checked from the top down: a mistake shows where it starts


def loss_and_gradients(params, x, y):
    # forward: z1 = x W1 + b1 (N, H), h = max(z1, 0), z2 = h W2 + b2 (N, C), L = mean of −ln p[i, y_i]
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = len(y)
    z1 = x @ W1 + b1
    h = np.maximum(z1, 0)
    z2 = h @ W2 + b2
    shifted = z2 - np.max(z2, axis=1, keepdims=True)  # log-sum-exp: every exponent ≤ 0
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = float(-np.mean(log_p[np.arange(n), y]))
    # backward: δ2 = (p − Y)/N, then the dense layer's rules, the ReLU mask between them
    d2 = np.exp(log_p)
    d2[np.arange(n), y] -= 1
    d2 /= n
    d1 = (d2 @ W2.T) * (z1 > 0)  # (N, H)
    grads = {"W2": h.T @ d2, "b2": d2.sum(axis=0), "W1": x.T @ d1, "b1": d1.sum(axis=0)}
    return loss, grads


FUNCTIONS = (Function("loss_and_gradients", loss_and_gradients,
                      Outputs((("loss", "float"), ("grads", "dict")), dict_part="grads", dict_keys=KEYS)),)
SOLUTION = (loss_and_gradients,)

TEXTS = {
    "en": {
        "title": "A two-layer network: the loss and all its gradients",
        "loss_and_gradients": """
The loss of a two-layer network on a batch, and the gradient of every parameter:

    z1 = x W1 + b1,  h = max(z1, 0),  z2 = h W2 + b2,  L = −(1/N) Σ_i ln softmax(z2)[i, y_i]

params: a dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,); x: (N, D); y: (N,) integer
labels. Returns (loss, grads): loss a float, grads a dict with the same keys and shapes as
params. Backward: δ2 = (softmax(z2) − Y)/N; dW2 = hᵀ δ2, db2 = Σ_n δ2; δ1 = (δ2 W2ᵀ) ⊙ [z1 > 0];
dW1 = xᵀ δ1, db1 = Σ_n δ1. Do not change params; be finite for large scores.
""",
        "hints": (
            "Run the forward pass keeping z1, h and the probabilities, then walk back: the fused "
            "softmax cross-entropy gives δ2 at once, each dense layer gives its weights' gradient and "
            "the δ of the layer below, and ReLU's mask lets through only what was positive.",
            "δ2 = (p − Y)/N: (N, C). dW2 = hᵀ δ2: (H, C); db2 = δ2 summed over axis 0: (C,). "
            "δ1 = (δ2 W2ᵀ) ⊙ [z1 > 0]: (N, H). dW1 = xᵀ δ1: (D, H); db1: (H,). loss = −mean of "
            "ln p[i, y_i], with log-softmax computed after subtracting each row's maximum.",
            "z1 = x @ W1 + b1; h = np.maximum(z1, 0); z2 = h @ W2 + b2\n"
            "s = z2 - z2.max(axis=1, keepdims=True)\n"
            "log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))\n"
            "loss = -log_p[np.arange(N), y].mean()\n"
            "d2 = np.exp(log_p); d2[np.arange(N), y] -= 1; d2 /= N\n"
            "d1 = (d2 @ W2.T) * (z1 > 0)\n"
            "grads = {'W2': h.T @ d2, 'b2': d2.sum(0), 'W1': x.T @ d1, 'b1': d1.sum(0)}",
        ),
    },
    "zh": {
        "title": "两层网络的损失和全部梯度",
        "comments": {
            ('forward: z1 = x W1 + b1 (N, H), h = max(z1, 0), z2 = h W2 + '
             'b2 (N, C), L = mean of −ln p[i, y_i]'):
                ('前向：z1 = x W1 + b1 (N, H)，h = max(z1, 0)，z2 = h W2 + b2 (N, '
                 'C)，L = −ln p[i, y_i] 的平均'),
            'log-sum-exp: every exponent ≤ 0':
                'log-sum-exp：所有指数都 ≤ 0',
            ("backward: δ2 = (p − Y)/N, then the dense layer's rules, the "
             'ReLU mask between them'):
                '反向：δ2 = (p − Y)/N，然后套用全连接层的规则，中间乘上 ReLU 的掩码',
        },
        "loss_and_gradients": """
一个两层网络在一个小批量上的损失，以及每个参数的梯度：

    z1 = x W1 + b1，h = max(z1, 0)，z2 = h W2 + b2，L = −(1/N) Σ_i ln softmax(z2)[i, y_i]

params：字典，含 W1 (D, H)、b1 (H,)、W2 (H, C)、b2 (C,)；x：(N, D)；y：(N,) 整数标签。
返回 (loss, grads)：loss 是浮点数，grads 是和 params 键名、形状都相同的字典。反向：
δ2 = (softmax(z2) − Y)/N；dW2 = hᵀ δ2，db2 = Σ_n δ2；δ1 = (δ2 W2ᵀ) ⊙ [z1 > 0]；
dW1 = xᵀ δ1，db1 = Σ_n δ1。不要改动 params；得分很大时也要得到有限数。
""",
        "hints": (
            "先做前向传播，记下 z1、h 和概率，再往回走：融合的 softmax 交叉熵直接给出 δ2，"
            "每个全连接层给出自己权重的梯度，以及传给前面一层的 δ；ReLU 的掩码只让前向时为正的部分通过。",
            "δ2 = (p − Y)/N：(N, C)。dW2 = hᵀ δ2：(H, C)；db2 = δ2 沿 axis 0 求和：(C,)。"
            "δ1 = (δ2 W2ᵀ) ⊙ [z1 > 0]：(N, H)。dW1 = xᵀ δ1：(D, H)；db1：(H,)。"
            "loss = −mean(ln p[i, y_i])，log-softmax 要在每行减去最大值之后再算。",
            "z1 = x @ W1 + b1; h = np.maximum(z1, 0); z2 = h @ W2 + b2\n"
            "s = z2 - z2.max(axis=1, keepdims=True)\n"
            "log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))\n"
            "loss = -log_p[np.arange(N), y].mean()\n"
            "d2 = np.exp(log_p); d2[np.arange(N), y] -= 1; d2 /= N\n"
            "d1 = (d2 @ W2.T) * (z1 > 0)\n"
            "grads = {'W2': h.T @ d2, 'b2': d2.sum(0), 'W1': x.T @ d1, 'b1': d1.sum(0)}",
        ),
    },
}


def network(rng: np.random.Generator, n: int, d: int, h: int, c: int, scale: float = 1.0,
            dtype=np.float64, gap: float | None = 0.01):
    """Parameters, x and y; drawn again until no hidden pre-activation lies within `gap` of ReLU's
    kink (None: as drawn), so that both sides of the mask are there and none is ambiguous."""
    for _attempt in range(1000):
        params = {"W1": rng.normal(0, 1 / np.sqrt(d), (d, h)), "b1": rng.normal(0, 0.5, h),
                  "W2": rng.normal(0, scale / np.sqrt(h), (h, c)), "b2": rng.normal(0, 0.5, c)}
        x = rng.normal(size=(n, d))
        if gap is None or np.min(np.abs(x @ params["W1"] + params["b1"])) >= gap:
            break
    return ({k: v.astype(dtype) for k, v in params.items()}, x.astype(dtype), labels(rng, n, c))


def cases(rng: np.random.Generator) -> list[Case]:
    found = []
    for label, sizes, scale, dtype, stable in (("tiny, N = 3, D = 4, H = 5, C = 3", (3, 4, 5, 3), 1.0,
                                                np.float64, False),
                                               ("random, N = 8, D = 6, H = 7, C = 4", (8, 6, 7, 4), 1.0,
                                                np.float64, False),
                                               ("N = 1", (1, 5, 6, 3), 1.0, np.float64, False),
                                               ("float32", (6, 4, 5, 3), 1.0, np.float32, False),
                                               ("scores up to ±1000", (5, 4, 6, 3), 800.0, np.float64,
                                                True)):
        params, x, y = network(rng, *sizes, scale=scale, dtype=dtype)
        found.append(Case("loss_and_gradients", label, (params, x, y), printable=label.startswith("tiny"),
                          stable=stable, names=("params", "x", "y"), constants={"N": sizes[0]},
                          finite_parts=("loss",) if stable else ()))
    return found


def timing_case(function: str, rng: np.random.Generator) -> Case:
    return Case(function, "timing", network(rng, 4000, 10, 10, 5, gap=None))  # loops show: small layers


def overflow_why() -> str:
    return _("softmax of large scores: exp(1000) = inf; subtract each row's maximum (log-sum-exp) "
             "before exponentiating")


def mistakes(case: Case, args: tuple, expected, received: dict) -> list[Mistake]:
    params, x, y = args
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    n = len(y)
    z1 = x @ W1 + b1
    h = np.maximum(z1, 0)
    d2 = (softmax64(h @ W2 + b2) - onehot(y, W2.shape[1])) / n
    no_mask = d2 @ W2.T
    p0 = softmax64(h @ W2 + b2, axis=0)
    axis0 = (p0 - onehot(y, W2.shape[1])) / n
    with np.errstate(divide="ignore"):
        loss0 = float(-np.mean(np.log(p0[np.arange(n), y])))
    bias_axis = _("a bias gradient sums δ over the batch (axis 0): one value per unit")
    return [
        Mistake("wrong_axis", _("softmax normalises each row (axis=1), the scores of one sample"),
                {"loss": loss0, "grads['W2']": h.T @ axis0}),
        Mistake("wrong_axis", bias_axis, {"grads['b2']": np.zeros(n), "grads['b1']": np.zeros(n)},
                by_shape=True),
        Mistake("missing_derivative", _("the ReLU mask is missing: δ1 = (δ2 W2ᵀ) ⊙ [z1 > 0]"),
                {"grads['W1']": x.T @ no_mask, "grads['b1']": no_mask.sum(axis=0)}),
        Mistake("wrong_input", _("the mask [z1 > 0] comes from the hidden layer's pre-activations z1"),
                {"grads['W1']": x.T @ (no_mask * (no_mask > 0)),
                 "grads['b1']": (no_mask * (no_mask > 0)).sum(axis=0)}),
        Mistake("wrong_input", _("dW2 = hᵀ δ2 takes h = max(z1, 0), the layer's input, not z1"),
                {"grads['W2']": z1.T @ d2}),
        Mistake("wrong_input", _("the mask [z1 > 0] comes from z1 = x W1 + b1, the bias included"),
                {"grads['W1']": x.T @ (no_mask * (x @ W1 > 0)),
                 "grads['b1']": (no_mask * (x @ W1 > 0)).sum(axis=0)}),
        Mistake("wrong_axis", _("a bias gradient sums δ over the batch (axis 0): one value per unit"),
                {"grads['b2']": d2.sum(axis=1), "grads['b1']": ((d2 @ W2.T) * (z1 > 0)).sum(axis=1)}),
        Mistake("wrong_axis", _("softmax normalises each row (axis=1), the scores of one sample"),
                {"grads['W2']": h.T @ axis0}),
        *hidden_substitutions(x, z1, h, d2, no_mask),
    ]


def hidden_substitutions(x, z1, h, d2, dh) -> list[Mistake]:
    """The hidden layer's gradients with z1, h, dh = δ2 W2ᵀ or x W1 where another belongs."""
    pool = {"h": h, "z1": z1, "δ2 W2ᵀ": dh}  # h first: h ⊙ [z1 > 0] = z1 ⊙ [z1 > 0]
    return [
        *substitutions("grads['W1']", lambda d, u: x.T @ (d * (u > 0)), "dW1 = xᵀ ((δ2 W2ᵀ) ⊙ [z1 > 0])",
                       {"d": "δ2 W2ᵀ", "u": "z1"}, pool),
        *substitutions("grads['b1']", lambda d, u: (d * (u > 0)).sum(axis=0),
                       "db1 = Σ_n (δ2 W2ᵀ) ⊙ [z1 > 0]", {"d": "δ2 W2ᵀ", "u": "z1"}, pool),
        *substitutions("grads['W2']", lambda a: a.T @ d2, "dW2 = hᵀ δ2", {"a": "h"}, pool),
    ]
