# expect: exception
# why: uses a name from the lecture slides that this file never defines (NameError)
def momentum_step(w, g, v, lr, mu):
    v = momentum * v - lr * g
    w = w + v
    return w, v
