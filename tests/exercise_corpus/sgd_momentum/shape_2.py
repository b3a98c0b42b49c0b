# expect: shape
# why: updates in place and returns nothing (None), as a class's update() would
def momentum_step(w, g, v, lr, mu):
    v *= mu
    v -= lr * g
    w += v
