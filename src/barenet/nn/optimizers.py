"""Optimisers: how the parameters θ move given their gradient g = ∇θ, simplest first.

The network keeps all its parameters in one vector θ and all their gradients in one vector g
(`FlatParameters`, see parameters.py), so an optimiser applies its rule to two long arrays, and
its state (velocity, moment estimates) is a vector as long as θ. t = 1, 2, … counts the steps.

    SGD        θ ← θ − η g
    Momentum   v ← μ v + g,               θ ← θ − η v                 (heavy ball)
    Nesterov   v ← μ v + g,               θ ← θ − η (g + μ v)         (look-ahead form)
    RMSprop    s ← ρ s + (1 − ρ) g²,      θ ← θ − η g / (√s + ε)
    Adam       m ← β₁ m + (1 − β₁) g,     v ← β₂ v + (1 − β₂) g²
               m̂ = m / (1 − β₁ᵗ),         v̂ = v / (1 − β₂ᵗ)           (bias correction)
               θ ← θ − η m̂ / (√v̂ + ε)

SGD is Momentum with μ = 0; Adam is RMSprop with momentum on the gradient and bias correction.

L2 weight decay λ adds λθ to the gradient of every weight matrix (the slices `weights` of θ;
biases are not decayed): g ← g + λθ, the gradient of the penalty (λ/2) ‖W‖². It is added to ∇θ
in place, before the rule. AdamW decouples it instead: θ ← θ − η λ θ, outside Adam's scaling.

Max-norm (Srivastava et al. 2014), after the rule: every unit's incoming weights w_j (column j
of a W of shape (n_in, n_out)) are scaled back onto the ball ‖w_j‖₂ ≤ c when they leave it:
w_j ← w_j · min(1, c / ‖w_j‖₂).

Each rule is written for one piece of θ, g and the state, with NumPy's in-place operations
(`out=` into one scratch buffer `tmp`) and the formula above each group of lines; two helpers
keep it fast without changing a number:
- `cache_blocks` hands the rule pieces of BLOCK elements, so that all its passes over a piece run
  in the CPU's cache (for 784-512-512-10 this halves Adam's step against whole-vector passes);
- `flush_subnormals` zeroes the state's subnormal numbers every FLUSH_EVERY steps (without it
  an MNIST epoch slowed by ~30 % over 5 epochs of Adam).
Memory: the state and `tmp` (BLOCK elements) are allocated at the first step. A step after that
allocates no array memory, except that every FLUSH_EVERY-th step's flush makes two temporaries
as long as θ (|a| and the mask).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from barenet.nn.parameters import FlatParameters

#: Elements per cache block: 64 Ki float32 = 256 KiB per array, five arrays fit a 2 MiB L2 cache.
BLOCK = 1 << 16

#: Steps between two flushes of the state's subnormal numbers (see `flush_subnormals`).
FLUSH_EVERY = 16


def cache_blocks(*arrays: np.ndarray) -> Iterator[tuple[np.ndarray, ...]]:
    """Matching pieces of BLOCK elements of 1-D arrays of one length (views, in order)."""
    for start in range(0, arrays[0].size, BLOCK):
        yield tuple(a[start : start + BLOCK] for a in arrays)


def flush_subnormals(a: np.ndarray) -> None:
    """Set to 0, in place, the entries of `a` smaller in magnitude than the smallest normal float.

    A moment buffer (m, v, the velocity) decays geometrically, m ← β₁ m with β₁ = 0.9, for every
    parameter whose gradient stays 0 — weights from pixels that are never inked, dead ReLU units
    — and sinks through the subnormal range (below 1.2·10⁻³⁸ in float32), where an x86 CPU
    takes ~100× longer per operation. NumPy cannot switch on the CPU's flush-to-zero mode, so the
    optimiser does it every `FLUSH_EVERY` steps: three passes over the state, and numbers 10³⁰
    times smaller than any update that matters. Measured on MNIST 784-512-512-10 with Adam:
    1.6 % of m was subnormal after 3 epochs, and the epoch time grew by ~30 % over 5 epochs.
    """
    a *= np.abs(a) >= np.finfo(a.dtype).tiny


def clip_column_norms(W: np.ndarray, c: float) -> None:
    """Max-norm, in place: w_j ← w_j · min(1, c / ‖w_j‖₂) for every column w_j of W (n_in, n_out).

    Column j holds the weights into unit j; a column already inside the ball is multiplied by 1.
    """
    norms = np.sqrt(np.einsum("ij,ij->j", W, W))  # ‖w_j‖₂, (n_out,)
    W *= np.minimum(1.0, c / np.maximum(norms, np.finfo(W.dtype).tiny))


class Optimizer:
    """Base: learning rate η (`lr`, set by a schedule), weight decay λ, step count t, flat state.

    step(params) updates params.theta (P,) in place from params.grad (P,). A subclass names its
    state in `init_state` and writes its update in `rule`, for one cache block at a time.
    """

    def __init__(self, lr: float, weight_decay: float = 0.0, max_norm: float | None = None) -> None:
        if not lr > 0:
            raise ValueError(f"the learning rate must be positive, got {lr}")
        if weight_decay < 0:
            raise ValueError(f"weight decay must be ≥ 0, got {weight_decay}")
        if max_norm is not None and not max_norm > 0:
            raise ValueError(f"max-norm must be positive (or None for none), got {max_norm}")
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.max_norm = None if max_norm is None else float(max_norm)
        self.t = 0  # steps taken
        self.state: dict[str, np.ndarray] = {}  # name -> (P,) buffer, e.g. Adam's "m" and "v"
        self.shapes: list[tuple[int, ...]] = []  # the parameters' shapes: set by the first step
        self.tmp = np.empty(0)  # scratch for one block

    def step(self, params: FlatParameters) -> None:
        """One update of θ from g = ∇θ, in place: weight decay, the rule, then max-norm."""
        theta, grad = params.theta, params.grad
        if not self.shapes:
            self.state, self.shapes = self.init_state(theta), list(params.shapes)
        if self.shapes != params.shapes:
            raise ValueError(f"this optimiser's state is for {len(self.shapes)} parameters of shapes "
                             f"{self.shapes}, the network has {params.shapes}; use a fresh optimiser")
        if self.tmp.size != min(theta.size, BLOCK) or self.tmp.dtype != theta.dtype:
            self.tmp = np.empty(min(theta.size, BLOCK), dtype=theta.dtype)
        self.t += 1
        if self.weight_decay:
            self.decay(params)
        self.begin_step()
        names = list(self.state)
        for theta_part, g, *state in cache_blocks(theta, grad, *self.state.values()):
            self.rule(theta_part, g, **dict(zip(names, state, strict=True)), tmp=self.tmp[: g.size])
        if self.max_norm is not None:
            for W in params.weight_views():
                clip_column_norms(W, self.max_norm)
        if self.t % FLUSH_EVERY == 0:
            for buffer in self.state.values():
                flush_subnormals(buffer)

    def decay(self, params: FlatParameters) -> None:
        """L2 weight decay: g ← g + λθ on the weight matrices, the gradient of (λ/2) ‖W‖²."""
        for weights in params.weights:
            for g, w in cache_blocks(params.grad[weights], params.theta[weights]):
                g += np.multiply(self.weight_decay, w, out=self.tmp[: g.size])  # g ← g + λθ

    def init_state(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """The state buffers this rule keeps, each shaped like θ (P,): none by default."""
        return {}

    def begin_step(self) -> None:
        """Compute what every block of this step shares (Adam: the bias corrections)."""

    def rule(self, theta: np.ndarray, g: np.ndarray, *, tmp: np.ndarray, **state: np.ndarray) -> None:
        """Update one block of θ in place from the same block of g and of each state buffer.

        theta, g, tmp and every state buffer: (n,) pieces, n ≤ BLOCK, at the same place of θ.
        """
        raise NotImplementedError

    def config(self) -> dict[str, Any]:
        """The constructor's arguments (max_norm only when set)."""
        extra = {} if self.max_norm is None else {"max_norm": self.max_norm}
        return {"lr": self.lr, "weight_decay": self.weight_decay, **extra}

    # Checkpoints: per parameter, as they have always been stored; one vector in memory.
    def state_dict(self) -> dict[str, Any]:
        """{"t": steps, "buffers": [{name: array}, …]}: copies, one dict per parameter, in θ's order.

        Each buffer is cut at its parameter's place and shaped like it (optimizer.0.m beside 0.W
        in a checkpoint); `load_state_dict` joins them back into one vector.
        """
        buffers, start = [], 0
        for shape in self.shapes if self.state else []:
            end = start + math.prod(shape)
            buffers.append({name: v[start:end].reshape(shape).copy() for name, v in self.state.items()})
            start = end
        return {"t": self.t, "buffers": buffers}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue from `state_dict()`'s result: t, and the buffers joined into (P,) vectors."""
        self.t = int(state["t"])
        buffers = [b for b in state["buffers"] if b]  # SGD has none (older files: empty dicts)
        names = list(buffers[0]) if buffers else []
        self.state = {name: np.concatenate([np.asarray(b[name]).reshape(-1) for b in buffers])
                      for name in names}
        self.shapes = [tuple(np.shape(b[names[0]])) for b in buffers]

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Plain gradient descent: θ ← θ − η g."""

    def rule(self, theta, g, *, tmp):
        """One block: θ ← θ − η g."""
        theta -= np.multiply(float(self.lr), g, out=tmp)  # θ ← θ − η g


class Momentum(Optimizer):
    """Gradient descent with momentum μ: v ← μ v + g, θ ← θ − η v.

    Nesterov's variant evaluates the step at the look-ahead point; in the form that needs no
    second gradient evaluation (Sutskever et al. 2013, as in PyTorch): θ ← θ − η (g + μ v).
    """

    def __init__(self, lr: float, momentum: float = 0.9, nesterov: bool = False,
                 weight_decay: float = 0.0, max_norm: float | None = None) -> None:
        super().__init__(lr, weight_decay, max_norm)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def init_state(self, theta):
        return {"velocity": np.zeros_like(theta)}

    def rule(self, theta, g, *, velocity, tmp):
        """One block: v ← μ v + g, then θ ← θ − η v (Nesterov: θ ← θ − η (g + μ v))."""
        mu, lr, v = self.momentum, float(self.lr), velocity
        v *= mu
        v += g  # v ← μ v + g
        if self.nesterov:
            np.multiply(mu, v, out=tmp)
            tmp += g
            theta -= np.multiply(lr, tmp, out=tmp)  # θ ← θ − η (g + μ v)
        else:
            theta -= np.multiply(lr, v, out=tmp)  # θ ← θ − η v

    def config(self):
        return {**super().config(), "momentum": self.momentum, "nesterov": self.nesterov}


class Nesterov(Momentum):
    """Momentum with Nesterov's look-ahead, by its own name: v ← μ v + g, θ ← θ − η (g + μ v)."""

    def __init__(self, lr: float, momentum: float = 0.9, weight_decay: float = 0.0,
                 max_norm: float | None = None) -> None:
        super().__init__(lr, momentum, nesterov=True, weight_decay=weight_decay, max_norm=max_norm)

    def config(self):
        config = super().config()
        del config["nesterov"]
        return config


class RMSprop(Optimizer):
    """Hinton's RMSprop: s ← ρ s + (1 − ρ) g², θ ← θ − η g / (√s + ε)."""

    def __init__(self, lr: float = 1e-3, rho: float = 0.9, eps: float = 1e-7,
                 weight_decay: float = 0.0, max_norm: float | None = None) -> None:
        super().__init__(lr, weight_decay, max_norm)
        self.rho, self.eps = float(rho), float(eps)

    def init_state(self, theta):
        return {"square_avg": np.zeros_like(theta)}

    def rule(self, theta, g, *, square_avg, tmp):
        """One block: s ← ρ s + (1 − ρ) g², then θ ← θ − η g / (√s + ε)."""
        rho, s = self.rho, square_avg
        # s ← ρ s + (1 − ρ) g²
        s *= rho
        s += np.multiply(1 - rho, np.square(g, out=tmp), out=tmp)
        # θ ← θ − η g / (√s + ε)
        np.sqrt(s, out=tmp)
        tmp += self.eps
        theta -= np.multiply(float(self.lr), np.divide(g, tmp, out=tmp), out=tmp)

    def config(self):
        return {**super().config(), "rho": self.rho, "eps": self.eps}


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), bias-corrected.

    m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   θ ← θ − η m̂ / (√v̂ + ε)
    with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ). The two corrections are folded into scalars,
    θ ← θ − η_t m / (√v + ε_t) with η_t = η √(1 − β₂ᵗ) / (1 − β₁ᵗ) and ε_t = ε √(1 − β₂ᵗ),
    which is the same update (multiply the fraction's top and bottom by √(1 − β₂ᵗ)) with two
    passes over memory fewer.
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.0, max_norm: float | None = None) -> None:
        super().__init__(lr, weight_decay, max_norm)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.lr_t = self.eps_t = 0.0  # this step's η_t and ε_t

    def init_state(self, theta):
        return {"m": np.zeros_like(theta), "v": np.zeros_like(theta)}

    def begin_step(self):
        """This step's η_t and ε_t, the bias corrections folded into two numbers."""
        correction = math.sqrt(1 - self.beta2**self.t)  # √(1 − β₂ᵗ)
        self.lr_t = float(self.lr) * correction / (1 - self.beta1**self.t)  # η_t = η √(1 − β₂ᵗ) / (1 − β₁ᵗ)
        self.eps_t = self.eps * correction  # ε_t = ε √(1 − β₂ᵗ)

    def rule(self, theta, g, *, m, v, tmp):
        """One block: the moments m, v, then θ ← θ − η_t m / (√v + ε_t) (see `begin_step`)."""
        b1, b2 = self.beta1, self.beta2
        # m ← β₁ m + (1 − β₁) g
        m *= b1
        m += np.multiply(1 - b1, g, out=tmp)
        # v ← β₂ v + (1 − β₂) g²
        v *= b2
        v += np.multiply(1 - b2, np.square(g, out=tmp), out=tmp)
        # θ ← θ − η_t m / (√v + ε_t)
        np.sqrt(v, out=tmp)
        tmp += self.eps_t
        theta -= np.multiply(self.lr_t, np.divide(m, tmp, out=tmp), out=tmp)

    def config(self):
        return {**super().config(), "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019), on the weight matrices:

    θ ← θ − η λ θ          (the decay, outside the gradient: every weight shrinks by ηλ of itself)
    then Adam's step from the gradient alone. With Adam's L2 decay instead, λθ enters g and is
    divided by √v̂ like the rest, so weights with large gradients are barely decayed; here every
    weight decays at the same rate. Biases are not decayed.
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.01, max_norm: float | None = None) -> None:
        super().__init__(lr, beta1, beta2, eps, weight_decay, max_norm)

    def decay(self, params: FlatParameters) -> None:
        """Decoupled decay: θ ← (1 − η λ) θ on the weight matrices, before the Adam step."""
        shrink = 1 - float(self.lr) * self.weight_decay
        for weights in params.weights:
            params.theta[weights] *= shrink  # θ ← θ − η λ θ


#: Optimisers by the name the command line and model files use.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "rmsprop": RMSprop,
    "adam": Adam,
    "adamw": AdamW,
}
