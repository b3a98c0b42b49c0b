# expect: wrong_value
# why: w takes the right step, but the old v is returned (the velocity never updated)
def momentum_step(w, g, v, lr, mu):
    w = w + mu * v - lr * g
    return w, v
