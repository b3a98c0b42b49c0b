# expect: pass
# why: a Python loop with math.log and max(p, tiny)
import math


def cross_entropy(p, y):
    total = 0.0
    for i in range(len(y)):
        total += -math.log(max(float(p[i, int(y[i])]), 1e-15))
    return total / len(y)
