"""One parameter vector θ for the whole network, one gradient vector ∇θ beside it.

    θ  = [W₁ (row by row), b₁, W₂, b₂, …]        (P,)   every parameter of every layer, in order
    ∇θ = [dW₁, db₁, dW₂, db₂, …]                 (P,)   each gradient at its parameter's place

`FlatParameters.bind(model)` copies the layers' parameters into θ and makes each layer's `W`, `b`,
`dW`, `db` a named view of its slice, reshaped to the parameter's shape: a layer that writes `dW`
in place writes ∇θ, and an optimiser that updates θ updates every layer at once, with a few
operations on long arrays instead of a few per parameter. The values are the layers' own: a
layer's array assigned later (`layer.W = …`) is simply gathered again by the next `bind`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np


class FlatParameters:
    """θ and ∇θ (P,) of one dtype, cut into pieces of given shapes.

    shapes:   the pieces' shapes, e.g. (784, 512), (512,), … in θ's order
    slices:   where each lies in θ (and in ∇θ): θ[slices[i]] holds piece i, row-major
    views:    piece i of θ in its shape (a view: writing it writes θ); grad_views: of ∇θ
    """

    def __init__(self, shapes: list[tuple[int, ...]], dtype: np.dtype | type = np.float32) -> None:
        """Zero vectors θ, ∇θ for pieces of these shapes."""
        self.shapes = [tuple(int(n) for n in shape) for shape in shapes]
        ends = np.cumsum([0] + [math.prod(shape) for shape in self.shapes])
        self.slices = [slice(int(a), int(b)) for a, b in itertools.pairwise(ends)]
        self.theta = np.zeros(int(ends[-1]), dtype=dtype)
        self.grad = np.zeros(int(ends[-1]), dtype=dtype)
        self.views = self.pieces(self.theta)
        self.grad_views = self.pieces(self.grad)

    def pieces(self, vector: np.ndarray) -> list[np.ndarray]:
        """Views of a (P,) vector laid out like θ, piece i in shape i."""
        return [vector[s].reshape(shape) for s, shape in zip(self.slices, self.shapes, strict=True)]

    def gather(self, arrays: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        """A (P,) vector holding copies of `arrays` (one per piece) and its views, piece by piece."""
        vector = np.empty_like(self.theta)
        views = self.pieces(vector)
        for view, array in zip(views, arrays, strict=True):
            view[...] = array
        return vector, views

    @classmethod
    def bind(cls, model) -> FlatParameters:
        """θ from `model`'s parameters; every layer's W, b, dW, db becomes a view of θ or ∇θ."""
        owners = [(layer, name) for layer in model.layers for name in layer.param_names]
        flat = cls([getattr(layer, name).shape for layer, name in owners], dtype=model.dtype)
        for (layer, name), view, grad_view in zip(owners, flat.views, flat.grad_views, strict=True):
            view[...] = getattr(layer, name)
            setattr(layer, name, view)
            setattr(layer, "d" + name, grad_view)
        return flat

    @property
    def size(self) -> int:
        """P, the number of parameters."""
        return self.theta.size

    def __repr__(self) -> str:
        return f"FlatParameters({self.size:,} {self.theta.dtype} in {len(self.shapes)} pieces)"
