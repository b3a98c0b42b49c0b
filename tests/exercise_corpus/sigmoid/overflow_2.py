# expect: overflow
# why: exp(z) / (1 + exp(z)): inf / inf = nan for z = +1000
import numpy as np


def sigmoid_forward(z):
    return np.exp(z) / (1 + np.exp(z))   # 利用np.exp直接对矩阵运算


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1 - s)
