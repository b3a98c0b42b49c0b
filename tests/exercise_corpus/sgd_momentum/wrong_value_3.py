# expect: wrong_value
# why: the velocity forgets its past: v = -lr g (mu never used)
def momentum_step(w, g, v, lr, mu):
    v = -lr * g
    w = w + v
    return w, v
