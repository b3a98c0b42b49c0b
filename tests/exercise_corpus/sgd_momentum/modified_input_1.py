# expect: modified_input
# why: g *= lr scales the caller's gradient in place (g must never change)
def momentum_step(w, g, v, lr, mu):
    g *= lr
    v = mu * v - g
    w = w + v
    return w, v
