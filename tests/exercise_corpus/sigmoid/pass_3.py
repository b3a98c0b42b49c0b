# expect: pass
# why: through logaddexp: sigma(z) = exp(-log(1 + e^-z)); sigma' = exp(-softplus(z) - softplus(-z))
import numpy as np


def sigmoid_forward(z):
    return np.exp(-np.logaddexp(0.0, -z))


def sigmoid_backward(z, grad_a):
    return grad_a * np.exp(-np.logaddexp(0.0, -z) - np.logaddexp(0.0, z))
