# expect: pass
# why: np.reciprocal(1 + exp(-z)) with the overflow silenced: exp(1000) = inf gives 1/inf = 0 exactly
import numpy as np


def sigmoid_forward(z):
    with np.errstate(over="ignore"):
        return np.reciprocal(1.0 + np.exp(-z))


def sigmoid_backward(z, grad_a):
    a = sigmoid_forward(z)
    return grad_a * a * (1.0 - a)
