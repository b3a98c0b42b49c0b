# expect: wrong_value
# why: plain SGD on w; v computed but never used
def momentum_step(w, g, v, lr, mu):
    v = mu * v - lr * g
    w = w - lr * g
    return w, v
