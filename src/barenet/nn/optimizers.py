"""Optimisers: how each parameter θ moves given its gradient g = ∂L/∂θ, simplest first.

t = 1, 2, … counts the steps; every rule acts on one parameter array at a time, with its own
state (velocity, moment estimates) of the same shape.

    SGD        θ ← θ − η g
    Momentum   v ← μ v + g,               θ ← θ − η v                 (heavy ball)
    Nesterov   v ← μ v + g,               θ ← θ − η (g + μ v)         (look-ahead form)
    RMSprop    s ← ρ s + (1 − ρ) g²,      θ ← θ − η g / (√s + ε)
    Adam       m ← β₁ m + (1 − β₁) g,     v ← β₂ v + (1 − β₂) g²
               m̂ = m / (1 − β₁ᵗ),         v̂ = v / (1 − β₂ᵗ)           (bias correction)
               θ ← θ − η m̂ / (√v̂ + ε)

SGD is Momentum with μ = 0; Adam is RMSprop with momentum on the gradient and bias correction.

    optimizer.step(model.parameters())     # [(θ, g), …]: every θ updated in place

L2 weight decay λ adds λθ to the gradient of every weight matrix (θ with two dimensions; biases
are not decayed): g ← g + λθ, the gradient of the penalty (λ/2) ‖W‖². AdamW decouples it
instead: θ ← θ − η λ θ, outside Adam's scaling.

Max-norm (Srivastava et al. 2014), after the rule: every unit's incoming weights w_j (column j
of a W of shape (n_in, n_out)) are scaled back onto the ball ‖w_j‖₂ ≤ c when they leave it:
w_j ← w_j · min(1, c / ‖w_j‖₂).

These are the rules as the formulas write them. `fit` runs the same rules on all parameters at
once, in place, in cache-sized blocks and on two threads: `barenet.nn.fast`, tested against these.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: (θ, g) pairs: a parameter array and its gradient, of one shape (`Sequential.parameters()`).
Parameters = list[tuple[np.ndarray, np.ndarray]]


def clip_column_norms(W: np.ndarray, c: float) -> None:
    """Max-norm, in place: w_j ← w_j · min(1, c / ‖w_j‖₂) for every column w_j of W (n_in, n_out).

    Column j holds the weights into unit j; a column already inside the ball is multiplied by 1.
    """
    norms = np.sqrt(np.einsum("ij,ij->j", W, W))  # ‖w_j‖₂, (n_out,)
    W *= np.minimum(1.0, c / np.maximum(norms, np.finfo(W.dtype).tiny))


class Optimizer:
    """Base: learning rate η (`lr`, set by a schedule), weight decay λ, max-norm c, step count t.

    A rule names its state in `moments` (Adam: "m", "v"), one list of arrays per name, shaped
    like the parameters (`self.m[i]` belongs to the i-th parameter), and writes `update`.
    """

    moments: tuple[str, ...] = ()

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
        self.shapes: list[tuple[int, ...]] = []  # the parameters' shapes: set by the first step
        for name in self.moments:
            setattr(self, name, [])

    def step(self, params: Parameters) -> None:
        """One update of every parameter θ from its gradient g, in place: decay, rule, max-norm."""
        self.start(params)
        self.t += 1  # t ← t + 1
        for i, (theta, g) in enumerate(params):
            if self.weight_decay and theta.ndim >= 2:
                g = self.decay(theta, g)  # g ← g + λθ (L2; AdamW: θ ← θ − ηλθ)
            self.update(i, theta, g)
            if self.max_norm is not None and theta.ndim >= 2:
                clip_column_norms(theta, self.max_norm)  # w_j ← w_j · min(1, c / ‖w_j‖)

    def start(self, params: Parameters) -> None:
        """Zero state for these parameters at the first step; after that, check they are the same."""
        shapes = [theta.shape for theta, _ in params]
        if not self.shapes:
            self.shapes = shapes
            for name in self.moments:  # m = v = 0 at t = 0
                setattr(self, name, [np.zeros_like(theta) for theta, _ in params])
        if self.shapes != shapes:
            raise ValueError(f"this optimiser's state is for {len(self.shapes)} parameters of shapes "
                             f"{self.shapes}, the network has {shapes}; use a fresh optimiser")

    def decay(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        """L2 weight decay: g + λθ, the gradient of (λ/2) ‖W‖² added to the loss's."""
        return g + self.weight_decay * theta

    def update(self, i: int, theta: np.ndarray, g: np.ndarray) -> None:
        """The rule: move the i-th parameter θ in place, given its gradient g."""
        raise NotImplementedError

    def config(self) -> dict[str, Any]:
        """The constructor's arguments (max_norm only when set)."""
        extra = {} if self.max_norm is None else {"max_norm": self.max_norm}
        return {"lr": self.lr, "weight_decay": self.weight_decay, **extra}

    # Checkpoints: {"t": steps, "buffers": [{"m": array, "v": array}, …]}, one dict per parameter.
    def state_dict(self) -> dict[str, Any]:
        """t and copies of the state, one dict per parameter (optimizer.0.m beside 0.W on disk)."""
        buffers = [{name: getattr(self, name)[i].copy() for name in self.moments}
                   for i in range(len(self.shapes))] if self.moments else []
        return {"t": self.t, "buffers": buffers}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue from `state_dict()`'s result."""
        self.t = int(state["t"])
        buffers = [b for b in state["buffers"] if b]  # SGD has none (older files: empty dicts)
        for name in self.moments:
            setattr(self, name, [np.array(b[name]) for b in buffers])
        self.shapes = [tuple(np.shape(b[self.moments[0]])) for b in buffers] if self.moments else []

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Plain gradient descent: θ ← θ − η g."""

    def update(self, i, theta, g):
        theta -= self.lr * g  # θ ← θ − η g


class Momentum(Optimizer):
    """Gradient descent with momentum μ: v ← μ v + g, θ ← θ − η v.

    Nesterov's variant evaluates the step at the look-ahead point; in the form that needs no
    second gradient evaluation (Sutskever et al. 2013, as in PyTorch): θ ← θ − η (g + μ v).
    """

    moments = ("velocity",)

    def __init__(self, lr: float, momentum: float = 0.9, nesterov: bool = False,
                 weight_decay: float = 0.0, max_norm: float | None = None) -> None:
        super().__init__(lr, weight_decay, max_norm)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def update(self, i, theta, g):
        mu = self.momentum
        v = self.velocity[i] = mu * self.velocity[i] + g  # v ← μ v + g
        if self.nesterov:
            theta -= self.lr * (g + mu * v)  # θ ← θ − η (g + μ v)
        else:
            theta -= self.lr * v  # θ ← θ − η v

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

    moments = ("square_avg",)

    def __init__(self, lr: float = 1e-3, rho: float = 0.9, eps: float = 1e-7,
                 weight_decay: float = 0.0, max_norm: float | None = None) -> None:
        super().__init__(lr, weight_decay, max_norm)
        self.rho, self.eps = float(rho), float(eps)

    def update(self, i, theta, g):
        rho = self.rho
        s = self.square_avg[i] = rho * self.square_avg[i] + (1 - rho) * g**2  # s ← ρ s + (1 − ρ) g²
        theta -= self.lr * g / (np.sqrt(s) + self.eps)  # θ ← θ − η g / (√s + ε)

    def config(self):
        return {**super().config(), "rho": self.rho, "eps": self.eps}


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): momentum on g, RMSprop's scaling, both bias-corrected.

    m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
    θ ← θ − η m̂ / (√v̂ + ε)
    m and v start at 0, so early on they underestimate; dividing by 1 − βᵗ corrects that.
    """

    moments = ("m", "v")

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.0, max_norm: float | None = None) -> None:
        super().__init__(lr, weight_decay, max_norm)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def update(self, i, theta, g):
        b1, b2, t = self.beta1, self.beta2, self.t
        m = self.m[i] = b1 * self.m[i] + (1 - b1) * g  # m ← β₁ m + (1 − β₁) g
        v = self.v[i] = b2 * self.v[i] + (1 - b2) * g**2  # v ← β₂ v + (1 − β₂) g²
        m_hat = m / (1 - b1**t)  # m̂ = m / (1 − β₁ᵗ)
        v_hat = v / (1 - b2**t)  # v̂ = v / (1 − β₂ᵗ)
        theta -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)  # θ ← θ − η m̂ / (√v̂ + ε)

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

    def decay(self, theta, g):
        """Decoupled decay: θ ← θ − η λ θ, in place; the gradient goes on unchanged."""
        theta -= self.lr * self.weight_decay * theta
        return g


#: Optimisers by the name the command line and model files use.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "rmsprop": RMSprop,
    "adam": Adam,
    "adamw": AdamW,
}
