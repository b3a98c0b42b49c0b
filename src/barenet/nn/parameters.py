"""One parameter vector θ for the whole network, one gradient vector ∇θ beside it.

    θ  = [W₁ (row by row), b₁, W₂, b₂, …]        (P,)   every parameter of every layer, in order
    ∇θ = [dW₁, db₁, dW₂, db₂, …]                 (P,)   each gradient at its parameter's place

Each layer's `W`, `b`, `dW`, `db` is a named view of a slice of θ or ∇θ, reshaped to the
parameter's shape: a layer that writes `dW` in place writes ∇θ, and an optimiser that updates θ
updates every layer at once, with a few operations on long arrays instead of a few per parameter.
`weights` names the slices that hold weight matrices (2-D), which weight decay and max-norm act on;
biases (1-D) are left alone.
"""

from __future__ import annotations

import numpy as np


class FlatParameters:
    """θ and ∇θ (P,) of one dtype, cut into named pieces of given shapes.

    names:    the pieces' names, e.g. "0.W", "0.b", "2.W", … in θ's order
    shapes:   their shapes, e.g. (784, 512), (512,), …
    slices:   where each lies in θ (and in ∇θ): θ[slices[i]] holds piece i, row-major
    views:    piece i of θ in its shape (a view: writing it writes θ); grad_views: of ∇θ
    weights:  the slices of the 2-D pieces (the weight matrices)
    """

    def __init__(self, named_shapes: list[tuple[str, tuple[int, ...]]],
                 dtype: np.dtype | type = np.float32, theta: np.ndarray | None = None,
                 grad: np.ndarray | None = None) -> None:
        """Zero vectors θ, ∇θ for pieces of these shapes (or the given 1-D θ, ∇θ of that length)."""
        self.names = [name for name, _ in named_shapes]
        self.shapes = [tuple(int(n) for n in shape) for _, shape in named_shapes]
        self.slices: list[slice] = []
        offset = 0
        for shape in self.shapes:
            size = int(np.prod(shape, dtype=np.int64))
            self.slices.append(slice(offset, offset + size))
            offset += size
        self.theta = np.zeros(offset, dtype=dtype) if theta is None else theta
        self.grad = np.zeros(offset, dtype=dtype) if grad is None else grad
        pieces = list(zip(self.slices, self.shapes, strict=True))
        self.views = [self.theta[s].reshape(shape) for s, shape in pieces]
        self.grad_views = [self.grad[s].reshape(shape) for s, shape in pieces]
        self.weights = [s for s, shape in pieces if len(shape) >= 2]

    @classmethod
    def wrap(cls, theta: np.ndarray, grad: np.ndarray) -> FlatParameters:
        """One array θ you already have, and its gradient, as FlatParameters (views, no copy).

        An optimiser stepping the result updates `theta` itself, in place:
            optimizer.step(FlatParameters.wrap(point, grad))      # point ← point − η grad (SGD)
        theta and grad: one shape and dtype, C-contiguous; a 2-D theta counts as a weight matrix.
        """
        if np.shape(theta) != np.shape(grad) or theta.dtype != grad.dtype:
            raise ValueError(f"θ {theta.shape} {theta.dtype} and its gradient {np.shape(grad)} "
                             f"{grad.dtype} must have one shape and dtype")
        if not (theta.flags.c_contiguous and grad.flags.c_contiguous):  # else reshape would copy
            raise ValueError("θ and its gradient must be C-contiguous arrays (an update of a copy "
                             "would go nowhere): pass np.ascontiguousarray(...) once, and keep that")
        return cls([("θ", theta.shape)], theta.dtype, theta.reshape(-1), grad.reshape(-1))

    def weight_views(self) -> list[np.ndarray]:
        """The weight matrices, each a view of θ in its shape (n_in, n_out)."""
        return [view for view in self.views if view.ndim >= 2]

    @property
    def size(self) -> int:
        """P, the number of parameters."""
        return self.theta.size

    def __repr__(self) -> str:
        return f"FlatParameters({self.size:,} {self.theta.dtype} in {len(self.names)} pieces)"
