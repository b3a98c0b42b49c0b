# expect: pass
# why: w and v updated in place and returned (as optimiser classes do); g untouched
def momentum_step(w, g, v, lr, mu):
    v *= mu
    v -= lr * g
    w += v
    return w, v
