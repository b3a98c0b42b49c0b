"""Losses: a number that says how wrong a batch of outputs is, and its gradient.

Every loss averages over the batch (N rows) and sums over the output units (K columns):

    MSE                  L = 1/(2N) Σ_n ‖a_n − y_n‖²              ∂L/∂a = (a − y) / N
    CrossEntropy         L = −1/N Σ_n Σ_k y_nk log p_nk           ∂L/∂p = −y / (N p)
    SoftmaxCrossEntropy  L = −1/N Σ_n Σ_k y_nk log softmax(z)_nk  ∂L/∂z = (p − y) / N
    BinaryCrossEntropy   L = −1/N Σ_n Σ_k [y log σ(z) + (1−y) log(1−σ(z))]
                                                                  ∂L/∂z = (σ(z) − y) / N

The last two are fused: they take the raw scores z (logits) of the last Dense layer and include
the output nonlinearity. For softmax with cross-entropy, and for the sigmoid with binary
cross-entropy, the chain rule through the nonlinearity collapses to "prediction minus target"
(`docs/math.md` derives it), so the fused gradient is exact, cheaper, and never divides by a
probability that rounded to 0. Their values use log-sum-exp (`log_softmax`, softplus), so no
logarithm of 0 is ever taken.

Protocol, the same as the layers': `forward(output, target) -> float`, then `backward()` returns
∂L/∂output with the shape and dtype of `output`. Targets are integer class labels of shape (N,)
or arrays of the output's shape (one-hot rows, or {0, 1} for binary cross-entropy).
"""

from __future__ import annotations

import numpy as np

from barenet.nn.activations import sigmoid
from barenet.nn.labels import labels_from_outputs


def target_matrix(target: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Targets as an (N, K) array of the output's dtype: integer labels become one-hot rows.

    With a single output unit (K = 1) integer labels {0, 1} become a column: (N,) -> (N, 1).
    """
    target = np.asarray(target)
    if target.shape == output.shape:
        return target.astype(output.dtype, copy=False)
    n, k = output.shape
    if target.shape != (n,):
        raise ValueError(f"targets of shape {target.shape} do not fit outputs of shape {output.shape}")
    return target.reshape(n, 1).astype(output.dtype) if k == 1 else np.eye(k, dtype=output.dtype)[target]


class Loss:
    """Base class. `threshold` is where a single output unit switches from class 0 to class 1."""

    threshold = 0.5

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def labels(self, output: np.ndarray) -> np.ndarray:
        """The predicted class of each row of `output`, for accuracy."""
        return labels_from_outputs(output, self.threshold)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Quadratic cost L = 1/(2N) Σ_n ‖a_n − y_n‖²; ∂L/∂a = (a − y) / N. The ½ cancels the 2."""

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        self.diff = output - target_matrix(target, output)  # a − y, (N, K)
        n = output.shape[0]
        return float(np.vdot(self.diff, self.diff)) / (2 * n)

    def backward(self) -> np.ndarray:
        return self.diff / self.diff.dtype.type(self.diff.shape[0])


class CrossEntropy(Loss):
    """Cross-entropy on probabilities: L = −1/N Σ y log p; ∂L/∂p = −y / (N p).

    For a network whose last layer is `Softmax`. p is clipped to [tiny, 1] first, so log(0) and
    division by 0 never happen (a probability that underflowed to 0 counts as the smallest float).
    """

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        tiny = np.finfo(output.dtype).tiny
        self.p = np.clip(output, tiny, 1)
        self.y = target_matrix(target, output)
        n = output.shape[0]
        return -float(np.vdot(self.y, np.log(self.p))) / n

    def backward(self) -> np.ndarray:
        n = self.p.shape[0]
        return -self.y / (self.p * self.p.dtype.type(n))


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log p_k = z_k − m − log Σ_j e^(z_j − m), m = max_j z_j (log-sum-exp), row-wise: (N, K) -> (N, K).

    Every exponent z_j − m is ≤ 0, and the sum is ≥ 1 (its largest term is e⁰), so neither exp
    overflows nor log meets 0.
    """
    shifted = z - z.max(axis=1, keepdims=True)  # z − m, m = max_j z_j
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log p = z − m − log Σ e^(z−m)


def smoothed_targets(target: np.ndarray, output: np.ndarray, eps: float) -> np.ndarray:
    """y' = (1 − ε) y + ε / K as (N, K) rows of the output's dtype; ε = 0 gives the one-hot y."""
    k, target = output.shape[1], np.asarray(target)
    y = np.eye(k, dtype=output.dtype)[target] if target.ndim == 1 else target_matrix(target, output)
    return y * (1 - eps) + eps / k if eps else y  # y' = (1 − ε) y + ε / K


class SoftmaxCrossEntropy(Loss):
    """Softmax and cross-entropy fused, from logits z (N, K).

    L = −1/N Σ_n Σ_k y_nk log p_nk, with log p = log_softmax(z); ∂L/∂z = (p − y) / N exactly,
    since ∂L/∂z_j = Σ_k (−y_k / p_k) · p_k (δ_kj − p_j) = p_j Σ_k y_k − y_j = p_j − y_j.

    label_smoothing ε (Szegedy et al. 2016): the target of each row becomes
        y' = (1 − ε) y + ε / K              (most of the mass on the true class, ε spread evenly)
    so L = −1/N Σ_n Σ_k y'_nk log p_nk and ∂L/∂z = (p − y') / N; ε = 0 is the plain loss.
    """

    def __init__(self, label_smoothing: float = 0.0) -> None:
        if not 0 <= label_smoothing < 1:
            raise ValueError(f"label smoothing must be in [0, 1), got {label_smoothing}")
        self.label_smoothing = float(label_smoothing)

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        self.y = smoothed_targets(target, output, self.label_smoothing)  # y' = one-hot y, smoothed
        log_p = log_softmax(output)  # log p = log softmax(z), (N, K), never log 0
        self.p = np.exp(log_p)  # p = softmax(z)
        return -float(np.vdot(self.y, log_p)) / len(output)  # L = −1/N Σ y log p

    def backward(self) -> np.ndarray:
        """∂L/∂z = (p − y') / N, (N, K), with y' the (smoothed) one-hot targets."""
        return (self.p - self.y) / len(self.p)  # ∂L/∂z = (p − y) / N

    def __repr__(self) -> str:
        smoothing = f"label_smoothing={self.label_smoothing}" if self.label_smoothing else ""
        return f"{type(self).__name__}({smoothing})"


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)): never overflows."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


class BinaryCrossEntropy(Loss):
    """Sigmoid and binary cross-entropy fused, from logits z (N, K), each unit its own yes/no.

    With log σ(z) = −softplus(−z) and log(1 − σ(z)) = −softplus(z):
        L = 1/N Σ_n Σ_k [softplus(z) − y z]        (the same expression, rearranged)
        ∂L/∂z = (σ(z) − y) / N                      (softplus' = σ)
    Integer labels become one-hot rows (K > 1) or a column (K = 1).
    """

    threshold = 0.0  # σ(z) > 0.5 exactly when z > 0

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        self.z = output
        self.y = target_matrix(target, output)
        n = output.shape[0]
        return float((softplus(output) - self.y * output).sum()) / n

    def backward(self) -> np.ndarray:
        n = self.z.shape[0]
        grad = sigmoid(self.z) - self.y
        grad /= grad.dtype.type(n)
        return grad


#: Losses by the name the command line and model files use.
LOSSES: dict[str, type[Loss]] = {
    "mse": MSE,
    "cross_entropy": CrossEntropy,
    "softmax_cross_entropy": SoftmaxCrossEntropy,
    "binary_cross_entropy": BinaryCrossEntropy,
}
