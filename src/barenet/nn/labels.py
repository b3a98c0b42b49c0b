"""Labels from outputs: the one place that turns a row of network outputs into a class number.

    K > 1 outputs:  label = argmax_k output_k      (scores, probabilities or one-hot rows alike)
    K = 1 output:   label = [output > threshold]    (0.5 for a probability, 0 for a logit)
"""

from __future__ import annotations

import numpy as np


def labels_from_outputs(outputs: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """The class of each row: (N, K) outputs -> (N,) integer labels; (N,) labels pass through.

    `threshold` matters only for a single output unit: 0.5 for a sigmoid's probability (or a
    {0, 1} target), 0.0 for its raw score (σ(z) > 0.5 exactly when z > 0).
    """
    outputs = np.asarray(outputs)
    if outputs.ndim == 1:
        return outputs
    if outputs.shape[1] == 1:
        return (outputs[:, 0] > threshold).astype(np.int64)  # label = [output > threshold]
    return outputs.argmax(axis=1)  # label = argmax_k output_k
