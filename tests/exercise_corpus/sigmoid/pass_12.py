# expect: pass
# why: sigma'(z) = sigma(z) sigma(-z), with scipy's expit
from scipy.special import expit


def sigmoid_forward(z):
    return expit(z)


def sigmoid_backward(z, grad_a):
    return grad_a * expit(z) * expit(-z)
