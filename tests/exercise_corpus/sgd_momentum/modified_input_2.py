# expect: modified_input
# why: g *= -lr, then v = mu v + g: the caller's gradient is rescaled in place
def momentum_step(w, g, v, lr, mu):
    g *= -lr
    v = mu * v + g
    w = w + v
    return w, v
