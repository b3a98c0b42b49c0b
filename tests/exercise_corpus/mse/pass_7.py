# expect: pass
# why: array methods: squared row sums, .mean(), halved
def mse(y_hat, y):
    return 0.5 * ((y_hat - y) ** 2).sum(axis=1).mean()


def mse_backward(y_hat, y):
    return (y_hat - y) * (1.0 / y_hat.shape[0])
