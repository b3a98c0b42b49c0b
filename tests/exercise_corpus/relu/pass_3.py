# expect: pass
# why: in place, but on copies (the 斋藤 mask style without touching the arguments)
import numpy as np


def relu_forward(z):
    out = z.copy()
    mask = (out <= 0)   # 小于等于0的位置
    out[mask] = 0
    return out


def relu_backward(z, grad_a):
    dout = grad_a.copy()
    dout[z <= 0] = 0
    return dout
