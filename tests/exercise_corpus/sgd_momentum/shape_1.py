# expect: shape
# why: returns only w, the velocity forgotten
def momentum_step(w, g, v, lr, mu):
    v = mu * v - lr * g
    w = w + v
    return w
