# expect: pass
# why: new arrays, v = mu v - lr g, w = w + v
def momentum_step(w, g, v, lr, mu):
    v = mu * v - lr * g
    w = w + v
    return w, v
