# expect: pass
# why: right, but prints every row of z on every call (debugging left in)
import numpy as np


def relu_forward(z):
    for row in z:
        print("z:", row)
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    print("grad_a shape", grad_a.shape)
    return grad_a * (z > 0)
