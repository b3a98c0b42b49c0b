# expect: pass
# why: v = v * mu makes a new array, then -= works on that new array (the caller's v untouched)
def momentum_step(w, g, v, lr, mu):
    v = v * mu
    v -= lr * g
    return w + v, v
