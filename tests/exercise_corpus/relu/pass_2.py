# expect: pass
# why: a Python loop over the samples (slow but right)
import numpy as np


def relu_forward(z):
    a = np.zeros_like(z)
    for i in range(z.shape[0]):
        a[i] = np.maximum(z[i], 0.0)
    return a


def relu_backward(z, grad_a):
    grad_z = np.zeros_like(grad_a)
    for i in range(z.shape[0]):          # 一个样本一个样本地算
        grad_z[i] = grad_a[i] * (z[i] > 0)
    return grad_z
