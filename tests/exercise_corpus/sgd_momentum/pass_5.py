# expect: pass
# why: the new velocity and the new weights in the return line
def momentum_step(w, g, v, lr, mu):
    v = mu * v - lr * g
    return w + v, v
