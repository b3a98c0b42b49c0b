# expect: sign
# why: v right, but w = w - v: the step climbs the loss (gradient ascent)
def momentum_step(w, g, v, lr, mu):
    v = mu * v - lr * g
    w = w - v
    return w, v
