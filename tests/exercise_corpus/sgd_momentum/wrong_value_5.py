# expect: wrong_value
# why: v = mu * (v - lr * g): the brackets put mu on the gradient term too
def momentum_step(w, g, v, lr, mu):
    v = mu * (v - lr * g)
    return w + v, v
