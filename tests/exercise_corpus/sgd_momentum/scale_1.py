# expect: scale
# why: the learning rate applied twice: w = w + lr * v
def momentum_step(w, g, v, lr, mu):
    v = mu * v - lr * g
    w = w + lr * v
    return w, v
