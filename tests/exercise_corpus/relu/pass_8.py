# expect: pass
# why: right, with a test block under if __name__ == "__main__" that waits for the keyboard
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)


if __name__ == "__main__":
    z = np.random.randn(3, 4)
    print(relu_forward(z))
    input("按回车键继续……")
