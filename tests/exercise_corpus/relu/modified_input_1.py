# expect: modified_input
# why: z[z<0]=0 on the argument itself, then returns it
import numpy as np


def relu_forward(z):
    z[z < 0] = 0   # 把负数置零
    return z


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
