# expect: pass
# why: clips z to [-60, 60] before exp (exp(60) fits float32; sigma(-60) ~ 9e-27 is zero to any tolerance)
import numpy as np


def sigmoid_forward(z):
    z = np.clip(z, -60, 60)        # 防止溢出
    return 1 / (1 + np.exp(-z))


def sigmoid_backward(z, grad_a):
    y = sigmoid_forward(z)
    return grad_a * (1.0 - y) * y
