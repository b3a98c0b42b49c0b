# expect: pass
# why: .dot methods throughout
def dense_forward(x, W, b):
    return x.dot(W) + b


def dense_backward(x, W, grad_z):
    return grad_z.dot(W.T), x.T.dot(grad_z), grad_z.sum(0)
