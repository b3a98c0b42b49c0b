# expect: pass
# why: right, and draws a plot at import (matplotlib, closed again)
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


fig, ax = plt.subplots()
ax.bar(range(3), softmax(np.array([[1.0, 2.0, 3.0]]))[0])
plt.close(fig)
