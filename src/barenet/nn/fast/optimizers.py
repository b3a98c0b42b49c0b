"""The optimisers of `barenet.nn.optimizers`, fused: every parameter at once, in place, in blocks.

`FusedOptimizer(optimizer, flat)` steps the flat θ of `FlatParameters` with the rule of a textbook
optimiser (its hyperparameters, lr, t and state: the state becomes views of flat vectors, so
`optimizer.state_dict()` still works). Three things make it fast without changing the rule:
- cache blocks: θ is cut into blocks of ≤ BLOCK elements, never across two parameters, and all
  the rule's passes over a block run while it sits in the CPU's cache (for 784-512-512-10 this
  halves Adam's step against whole-vector passes); `out=` into one scratch block, no allocation;
- threads: the blocks are shared among `threads` threads (NumPy releases the GIL inside a ufunc),
  so the elementwise step can run on every core, as PyTorch's fused Adam does (it pays only when
  the cores are free: see docs/design.md);
- `flush_subnormals` zeroes the state's subnormal numbers every FLUSH_EVERY steps (without it
  an MNIST epoch slowed by ~30 % over 5 epochs of Adam).
Adam folds its bias corrections into two scalars (η_t, ε_t, see `adam`): the same update as
m̂ / (√v̂ + ε), two passes fewer, equal to the textbook's to float rounding. SGD, momentum and
weight decay do the textbook's operations in its order: bit-identical. (RMSprop computes
η (g / (√s + ε)) where the textbook writes (η g) / (√s + ε): equal to rounding.)
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from barenet.nn.fast.flat import FlatParameters
from barenet.nn.optimizers import (
    SGD,
    Adam,
    AdamW,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
    clip_column_norms,
)

#: Elements per cache block: 64 Ki float32 = 256 KiB per array, five arrays fit a 2 MiB L2 cache.
BLOCK = 1 << 16

#: Steps between two flushes of the state's subnormal numbers (see `flush_subnormals`).
FLUSH_EVERY = 16


def flush_subnormals(a: np.ndarray) -> None:
    """Set to 0, in place, the entries of `a` smaller in magnitude than the smallest normal float.

    A moment buffer (m, v, the velocity) decays geometrically, m ← β₁ m with β₁ = 0.9, for every
    parameter whose gradient stays 0 — weights from pixels that are never inked, dead ReLU units
    — and sinks through the subnormal range (below 1.2·10⁻³⁸ in float32), where an x86 CPU
    takes ~100× longer per operation. NumPy cannot switch on the CPU's flush-to-zero mode, so the
    optimiser does it every `FLUSH_EVERY` steps: numbers 10³⁰ times smaller than any update.
    """
    a *= np.abs(a) >= np.finfo(a.dtype).tiny


def sgd(opt, theta, g, tmp):
    theta -= np.multiply(opt.lr, g, out=tmp)  # θ ← θ − η g


def momentum(opt, theta, g, tmp, v):
    mu = opt.momentum
    v *= mu
    v += g  # v ← μ v + g
    if opt.nesterov:
        np.multiply(mu, v, out=tmp)
        np.add(g, tmp, out=tmp)
        theta -= np.multiply(opt.lr, tmp, out=tmp)  # θ ← θ − η (g + μ v)
    else:
        theta -= np.multiply(opt.lr, v, out=tmp)  # θ ← θ − η v


def rmsprop(opt, theta, g, tmp, s):
    rho = opt.rho
    s *= rho
    s += np.multiply(1 - rho, np.square(g, out=tmp), out=tmp)  # s ← ρ s + (1 − ρ) g²
    np.sqrt(s, out=tmp)
    tmp += opt.eps
    theta -= np.multiply(opt.lr, np.divide(g, tmp, out=tmp), out=tmp)  # θ ← θ − η g / (√s + ε)


def adam(opt, theta, g, tmp, m, v):
    """θ ← θ − η_t m / (√v + ε_t), η_t = η √(1 − β₂ᵗ) / (1 − β₁ᵗ), ε_t = ε √(1 − β₂ᵗ): m̂ / (√v̂ + ε)
    with the fraction's top and bottom multiplied by √(1 − β₂ᵗ)."""
    b1, b2 = opt.beta1, opt.beta2
    correction = math.sqrt(1 - b2**opt.t)
    m *= b1
    m += np.multiply(1 - b1, g, out=tmp)  # m ← β₁ m + (1 − β₁) g
    v *= b2
    v += np.multiply(1 - b2, np.square(g, out=tmp), out=tmp)  # v ← β₂ v + (1 − β₂) g²
    np.sqrt(v, out=tmp)
    tmp += opt.eps * correction
    theta -= np.multiply(opt.lr * correction / (1 - b1**opt.t), np.divide(m, tmp, out=tmp), out=tmp)


#: The fused rule of each optimiser class. A class of the user's own (even a subclass of one of
#: these, which may change the rule) has none: `fit` then steps it as it is written.
RULES = {SGD: sgd, Momentum: momentum, Nesterov: momentum, RMSprop: rmsprop, Adam: adam,
         AdamW: adam}


def rule_for(optimizer: Optimizer):
    """The fused rule for this optimiser's class, or None."""
    return RULES.get(type(optimizer))


class FusedOptimizer:
    """`optimizer`'s rule on the flat θ, ∇θ of `flat`, block by block, on `threads` threads."""

    def __init__(self, optimizer: Optimizer, flat: FlatParameters, threads: int = 2) -> None:
        self.opt, self.flat, self.rule = optimizer, flat, rule_for(optimizer)
        optimizer.start(list(zip(flat.views, flat.grad_views, strict=True)))  # zero state, or check
        self.state = []
        for name in optimizer.moments:  # flat vectors; the optimiser's arrays become their views
            vector, views = flat.gather(getattr(optimizer, name))
            setattr(optimizer, name, views)
            self.state.append(vector)
        blocks = [(slice(start, min(start + BLOCK, s.stop)), len(shape) >= 2)
                  for s, shape in zip(flat.slices, flat.shapes, strict=True)
                  for start in range(s.start, s.stop, BLOCK)]
        self.threads = max(1, min(threads, len(blocks)))
        self.shares = [blocks[k :: self.threads] for k in range(self.threads)]
        self.scratch = [np.empty(min(BLOCK, flat.size), flat.theta.dtype) for _ in self.shares]
        self.pool = ThreadPoolExecutor(self.threads - 1) if self.threads > 1 else None

    def step(self) -> None:
        """One update of θ from ∇θ, in place: weight decay, the rule, max-norm; as `optimizer.step`."""
        opt = self.opt
        opt.t += 1
        if self.pool is None:
            self.run(0)
        else:
            others = [self.pool.submit(self.run, k) for k in range(1, self.threads)]
            self.run(0)
            for job in others:
                job.result()
        if opt.max_norm is not None:
            for view in self.flat.views:
                if view.ndim >= 2:
                    clip_column_norms(view, opt.max_norm)
        if opt.t % FLUSH_EVERY == 0:
            for vector in self.state:
                flush_subnormals(vector)

    def run(self, k: int) -> None:
        """Thread k's share of the blocks: decay and rule, all passes while a block is in cache."""
        opt, theta, grad, state = self.opt, self.flat.theta, self.flat.grad, self.state
        for block, is_weight in self.shares[k]:
            t, g = theta[block], grad[block]
            tmp = self.scratch[k][: t.size]
            if opt.weight_decay and is_weight:
                if isinstance(opt, AdamW):
                    t -= np.multiply(opt.lr * opt.weight_decay, t, out=tmp)  # θ ← θ − η λ θ
                else:
                    g += np.multiply(opt.weight_decay, t, out=tmp)  # g ← g + λθ
            self.rule(opt, t, g, tmp, *(s[block] for s in state))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
