# expect: sign
# why: the other convention, v = mu v + lr g, w = w - v: w is right but the returned v is -v
def momentum_step(w, g, v, lr, mu):
    v = mu * v + lr * g
    w = w - v
    return w, v
