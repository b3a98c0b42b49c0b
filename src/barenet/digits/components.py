"""Connected components of a boolean mask, in vectorised NumPy (no SciPy, no per-pixel loop).

Used to tell a digit's strokes from specks of dirt elsewhere on the page: a speck is a small
component far from the big ones, and dropping it keeps the digit's bounding box honest.

Algorithm (label propagation with pointer jumping): every ink pixel starts labelled with its own
flat index; each round, a pixel takes the smallest label among itself and its 8 neighbours, then
follows its label to the pixel it names and takes *that* pixel's label ("pointer jumping", as in
union-find path compression). Labels only travel through ink, so every label is the index of a
pixel of the same component and the loop ends with each component labelled by its smallest
index. Jumping makes long strokes converge in far fewer rounds than their length. Each round is
a handful of whole-array operations; callers keep the mask small (about 128×128).
"""

from __future__ import annotations

import numpy as np


def label_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """Label the 8-connected components of `mask`.

    mask: (H, W) bool. Returns labels: (H, W) int32, 0 on background and 1..n on the n
    components (numbered in raster order of their first pixel), and n.
    """
    h, w = mask.shape
    background = h * w  # larger than every pixel index, so min() never picks it
    labels = np.where(mask, np.arange(h * w).reshape(h, w), background)  # (H, W)
    padded = np.full((h + 2, w + 2), background, dtype=labels.dtype)
    while True:
        padded[1:-1, 1:-1] = labels
        smallest = labels
        for dy in range(3):
            for dx in range(3):
                smallest = np.minimum(smallest, padded[dy : dy + h, dx : dx + w])
        smallest = np.where(mask, smallest, background)
        flat = np.append(smallest.ravel(), background)  # index `background` maps to itself
        for _ in range(2):  # pointer jumping: follow each label to the label it points at
            smallest = flat[smallest]
            flat = np.append(smallest.ravel(), background)
        if np.array_equal(smallest, labels):
            break
        labels = smallest
    roots, dense = np.unique(labels, return_inverse=True)  # background sorts last
    dense = dense.reshape(h, w).astype(np.int32) + 1
    n = len(roots) - (1 if roots[-1] == background else 0)
    dense[~mask] = 0
    return dense, n
