"""Exercise `minibatches`: one epoch's index batches, a permutation cut in order (chapter 5, §11)."""

from __future__ import annotations

import numpy as np

from barenet.exercises.cases import Case, Function
from barenet.i18n import _

ID = "minibatches"
CHAPTER = 5
READ = ("11",)


def minibatches(n, batch_size, rng):
    # one epoch: a permutation of range(n) from rng, cut in order; the last batch may be smaller
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


FUNCTIONS = (Function("minibatches", minibatches, timing=False),)
SOLUTION = (minibatches,)

TEXTS = {
    "en": {
        "title": "One epoch of shuffled mini-batches",
        "minibatches": """
The index batches of one epoch: a random permutation of range(n), cut in order into
batches of batch_size; the last batch is smaller when batch_size does not divide n.

n: the number of samples; batch_size: samples per batch; rng: a numpy.random.Generator.
Returns a list of 1-D integer arrays (any iterable of them is fine) that together hold every
index 0 … n−1 exactly once. Draw the order with rng.permutation(n), so that the same seed gives
the same batches (barenet's own).
""",
        "hints": (
            "Shuffle the indices once per epoch, then take them batch_size at a time. Every sample "
            "is seen exactly once per epoch, the last few in a smaller batch.",
            "order = rng.permutation(n): (n,) integers. Batch j is order[j·B : (j+1)·B] for "
            "j = 0 … ⌈n/B⌉ − 1 (B = batch_size); the last slice simply stops at n.",
            "order = rng.permutation(n)\n"
            "return [order[start:start + batch_size] for start in range(0, n, batch_size)]",
        ),
    },
    "zh": {
        "title": "打乱后切出一轮的小批量",
        "comments": {
            ('one epoch: a permutation of range(n) from rng, cut in order;'
             ' the last batch may be smaller'):
                '一轮：用 rng 生成 range(n) 的排列，按顺序切开；最后一个小批量可以小一些',
        },
        "minibatches": """
一轮（epoch）的小批量下标：把 range(n) 随机排列，再按顺序每 batch_size 个切成一个小批量；
batch_size 不能整除 n 时，最后一个小批量小一些。

n：样本数；batch_size：批量大小，即每个小批量的样本数；rng：一个 numpy.random.Generator。
返回由一维整数数组组成的列表（任何可迭代对象都行），合起来恰好包含 0 … n−1 每个下标各一次。
用 rng.permutation(n) 生成顺序，这样同一个种子就得到同样的小批量（和 barenet 自己的一样）。
""",
        "hints": (
            "每轮把下标打乱一次，然后每次取 batch_size 个。每个样本每轮恰好出现一次，"
            "最后剩下的几个组成一个小一点的小批量。",
            "order = rng.permutation(n)：形状 (n,) 的整数数组。第 j 个小批量是 order[j·B : (j+1)·B]，"
            "j = 0 … ⌈n/B⌉ − 1（B = batch_size）；切片越过 n 时会自动截断，最后一个小批量自然就小一些。",
            "order = rng.permutation(n)\n"
            "return [order[start:start + batch_size] for start in range(0, n, batch_size)]",
        ),
    },
}


def cases(rng: np.random.Generator) -> list[Case]:
    found = []
    for label, n, size, printable in (("n = 10, batch_size = 3", 10, 3, True),
                                      ("n = 12, batch_size = 4", 12, 4, False),
                                      ("n = 100, batch_size = 32", 100, 32, False),
                                      ("n = 5, batch_size = 8", 5, 8, False),
                                      ("n = 1, batch_size = 1", 1, 1, False),
                                      ("n = 9, batch_size = 9", 9, 9, False)):
        seed = int(rng.integers(0, 2**31))
        found.append(Case("minibatches", label, (n, size, np.random.default_rng(seed)),
                          printable=printable, names=("n", "batch_size", "rng")))
    return found


def shown(batches: list) -> str:
    text = "[" + ", ".join(np.array2string(np.asarray(b), separator=",") for b in batches[:4])
    return text + (", …]" if len(batches) > 4 else "]")


def as_batches(answer) -> list[np.ndarray] | str:
    """The answer as a list of 1-D integer arrays, or what is wrong with it."""
    if answer is None or isinstance(answer, (int, float, str)):
        return _("minibatches returned {kind}: it must return a list (or any iterable) of index "
                 "arrays").format(kind=type(answer).__name__)
    try:
        batches = [np.asarray(batch) for batch in answer]
    except Exception as exc:  # not iterable, or ragged
        return _("minibatches must return a list of index arrays ({error})").format(error=exc)
    for batch in batches:
        if batch.ndim != 1 or (batch.size and batch.dtype.kind not in "iu"):
            return _("each batch must be a 1-D array of integer indices; one is {dtype} of shape "
                     "{shape}").format(dtype=batch.dtype, shape=batch.shape)
    return batches


def judge(case: Case, answer, expected) -> tuple[str, str, str] | None:
    """None when the batches are the expected ones; else (tag, why, detail)."""
    n, size = case.args[0], case.args[1]
    batches = as_batches(answer)
    if isinstance(batches, str):
        return "shape", "", batches
    if len(batches) == len(expected) and all(np.array_equal(b, e) for b, e in zip(batches, expected,
                                                                                   strict=True)):
        return None
    detail = _("expected {expected}, received {received}").format(expected=shown(expected),
                                                                   received=shown(batches))
    indices = np.concatenate(batches) if batches else np.zeros(0, dtype=int)
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        return "wrong_value", _("indices go from 0 to n − 1"), detail
    if indices.size != np.unique(indices).size:
        return "repeated_samples", _("in one epoch every sample appears exactly once: a permutation "
                                     "(rng.permutation), not draws with replacement"), detail
    runs = [b for b in batches if len(b) > 1]
    in_runs = bool(runs) and all(np.all(np.diff(b) == 1) for b in runs)  # [3, 4, 5], [0, 1, 2], …
    if n > 1 and (np.array_equal(indices, np.arange(indices.size)) or (in_runs and size > 1)):
        return "not_shuffled", _("the batches come in the stored order: shuffle with rng.permutation(n) "
                                 "before cutting, or every epoch sees the same batches"), detail
    full = n - n % size
    if n % size and indices.size == full and all(len(b) == size for b in batches):
        return "dropped_last", _("the last {rest} samples are never seen: keep the last, smaller batch "
                                 "(range(0, n, batch_size))").format(rest=n % size), detail
    if indices.size == n and [len(b) for b in batches] == [len(e) for e in expected]:
        return "wrong_value", _("the right batch sizes, but not the order of rng.permutation(n) "
                                "(np.random.* ignores rng, and rng.choice gives another order)"), detail
    return "wrong_value", _("batches of batch_size in order, every index once, the last one smaller"), detail
