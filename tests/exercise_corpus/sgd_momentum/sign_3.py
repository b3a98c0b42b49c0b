# expect: sign
# why: v = mu v + lr g, w = w + v: the gradient pushes uphill
def momentum_step(w, g, v, lr, mu):
    v = mu * v + lr * g
    w = w + v
    return w, v
