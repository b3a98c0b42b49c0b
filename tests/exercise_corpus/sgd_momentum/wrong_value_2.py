# expect: wrong_value
# why: mu and lr swapped in the velocity (v = lr v - mu g)
def momentum_step(w, g, v, lr, mu):
    v = lr * v - mu * g
    w = w + v
    return w, v
