# expect: exception
# why: input() left in the function to pause and look at the numbers (no keyboard in a check)
import numpy as np


def relu_forward(z):
    a = np.maximum(z, 0)
    print(a)
    input("看一下结果，按回车继续")
    return a


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
