# expect: pass
# why: float32 arithmetic and relu'(0) = 1 (the convention at 0 is free)
import numpy as np


def relu_forward(z):
    z32 = z.astype(np.float32)
    return np.where(z32 > 0, z32, np.float32(0))


def relu_backward(z, grad_a):
    return (grad_a * (z >= 0)).astype(np.float32)
