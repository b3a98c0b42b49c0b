"""The trainers `speed.py` compares, each run in a worker process of its own.

A trainer builds one network on the float32 MNIST arrays and then answers three calls:

    epoch()      one training epoch: every sample once, in a fresh random order
    predict(x)   the predicted class of each row of x (the 10,000 test images)
    (the worker times them; `speed.py` interleaves the workers and takes medians)

    trainer          what it runs
    barenet          `barenet.experiment.config.build` + `barenet.nn.fit`, as `barenet train` calls them
                     (the fast path, `barenet.nn.fast`)
    barenet textbook the same with `fit(..., fast=False)`: the textbook engine, step as written
    barenet+dropout  the same with dropout 0.2 after each hidden layer (the CLI's default)
    aug affine       barenet+dropout trained on freshly augmented images every epoch (the affine
    aug aff+elastic  strengths of `TrainingConfig`, plus its elastic ones), made in one background
    aug aff+el sync  thread while the epoch trains; the epoch's time includes waiting for the next
                     epoch's images ("sync": each epoch's images made before it trains, by one
                     thread per core, as `barenet train` does: on 2 cores the background thread
                     slows training)
    gemm floor       only the matrix products of an epoch, NumPy float32, into preallocated
                     arrays: forward x·W per layer, backward xᵀ·δ per layer and δ·Wᵀ for every
                     layer but the first. No bias, no activation, no loss, no optimiser, no
                     shuffling (contiguous batches); inference: x·W per layer, 4096 rows at a time
    torch            PyTorch, a tight loop over a tensor permuted once per epoch (no DataLoader)
    torch fused      the same with the optimiser's `fused=True` kernel
    torch DataLoader PyTorch as a typical user writes it: TensorDataset + DataLoader(shuffle=True)
    sklearn          scikit-learn's MLPClassifier, one `partial_fit` (one shuffled epoch) per call

The networks: N1 = 784-100-10, SGD lr 0.1, batch 100; N2 = 784-512-512-10, Adam lr 1e-3, batch 128;
ReLU hidden units, softmax + cross-entropy, no weight decay, no momentum, in every trainer.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np


@dataclass(frozen=True)
class Network:
    name: str
    hidden: tuple[int, ...]
    optimizer: str  # "sgd" or "adam"
    lr: float
    batch_size: int

    @property
    def sizes(self) -> list[int]:
        return [784, *self.hidden, 10]

    def describe(self) -> str:
        opt = "SGD" if self.optimizer == "sgd" else "Adam"
        return f"{'-'.join(map(str, self.sizes))}, {opt} lr {self.lr:g}, batch {self.batch_size}"

    def epoch_flops(self, n: int) -> float:
        """Floating-point operations of the matrix products of one epoch over n samples.

        A product (B, k)·(k, m) costs 2·B·k·m. Per layer: forward x·W, backward xᵀ·δ, and δ·Wᵀ
        for every layer but the first (nothing below it needs the gradient).
        """
        per_sample = sum(2 * a * b * (2 if i == 0 else 3)
                         for i, (a, b) in enumerate(pairwise(self.sizes)))
        return float(per_sample) * n

    def forward_flops(self, n: int) -> float:
        return float(sum(2 * a * b for a, b in pairwise(self.sizes))) * n


NETWORKS = {
    "N1": Network("N1", (100,), "sgd", 0.1, 100),
    "N2": Network("N2", (512, 512), "adam", 1e-3, 128),
}


class Trainer:
    def __init__(self, net: Network, x: np.ndarray, y: np.ndarray, seed: int) -> None:
        raise NotImplementedError

    def epoch(self) -> None:
        raise NotImplementedError

    def predict(self, x: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError


class Barenet(Trainer):
    dropout = 0.0

    def __init__(self, net, x, y, seed):
        from barenet.experiment.config import TrainingConfig, build

        self.config = TrainingConfig(
            hidden=list(net.hidden), activation=["relu"], output="softmax", loss="cross_entropy",
            dropout=self.dropout, optimizer=net.optimizer, lr=net.lr, schedule="constant",
            batch_size=net.batch_size, sampling="shuffle", seed=seed, val_size=0,
        )
        self.model, self.loss, self.optimizer, self.schedule = build(self.config, x.shape[1], 10)
        self.x, self.y = x, y
        self.history = None

    def epoch(self):
        from barenet.nn import fit

        done = len(self.history.records) if self.history else 0
        self.history = fit(self.model, self.loss, self.optimizer, self.x, self.y, epochs=done + 1,
                           batch_size=self.config.batch_size, seed=self.config.seed,
                           schedule=self.schedule, sampling="shuffle", history=self.history)

    def predict(self, x):
        return self.model.predict(x)

    def profile(self, steps: int = 200) -> dict[str, float]:
        """Seconds per step of each part of fit's fast step, timed one by one (`speed.py --profile`).

        The calls `barenet.nn.fast.FastStep` makes, in its order, on batches gathered as fit does.
        """
        import time

        from barenet.nn.fast import FastStep, layers

        model, loss, x, y = self.model, self.loss, self.x, self.y
        step = FastStep(model, loss, self.optimizer)
        bs = self.config.batch_size
        order = np.random.default_rng(1).permutation(len(x))
        buffer = np.empty((bs, x.shape[1]), dtype=x.dtype)
        parts: dict[str, float] = {}
        clock = time.perf_counter

        def timed(name, f, *args, **kwargs):
            t = clock()
            out = f(*args, **kwargs)
            parts[name] = parts.get(name, 0.0) + clock() - t
            return out

        for b in range(steps):
            index = order[b * bs : (b + 1) * bs]
            xb = timed("gather batch", np.take, x, index, axis=0, out=buffer, mode="clip")
            yb = y[index]
            a = timed("forward", layers.forward, model.layers, xb)
            _, g, _ = timed("loss", layers.softmax_cross_entropy, loss, a, yb)
            timed("backward", layers.backward, model.layers, g, step.grad_views)
            timed(f"optimizer ({type(self.optimizer).__name__})", step.fused.step)
        step.close()
        return {k: v / steps for k, v in parts.items()}


class BarenetTextbook(Barenet):
    """`fit(..., fast=False)`: the textbook engine's four lines per step, the fast path's oracle."""

    def epoch(self):
        from barenet.nn import fit

        done = len(self.history.records) if self.history else 0
        self.history = fit(self.model, self.loss, self.optimizer, self.x, self.y, epochs=done + 1,
                           batch_size=self.config.batch_size, seed=self.config.seed,
                           schedule=self.schedule, sampling="shuffle", history=self.history,
                           fast=False)


class BarenetDropout(Barenet):
    dropout = 0.2


class BarenetAugmented(BarenetDropout):
    kinds = ("affine",)
    prefetch = True

    def __init__(self, net, x, y, seed):
        from barenet.data.augment import EpochAugmenter

        super().__init__(net, x, y, seed)
        strengths = self.config.replace(augment=list(self.kinds)).augmentation()
        self.augmenter = EpochAugmenter(x, strengths, seed, prefetch=self.prefetch)

    def epoch(self):
        from barenet.nn import fit

        done = len(self.history.records) if self.history else 0
        self.history = fit(self.model, self.loss, self.optimizer, self.x, self.y, epochs=done + 1,
                           batch_size=self.config.batch_size, seed=self.config.seed,
                           schedule=self.schedule, sampling="shuffle", history=self.history,
                           epoch_inputs=self.augmenter)
        self.augmenter.wait()  # the next epoch's images, made while this one trained, are ready


class BarenetElastic(BarenetAugmented):
    kinds = ("affine", "elastic")


class BarenetElasticSync(BarenetElastic):
    prefetch = False


class BarenetBatchNorm(Barenet):
    """barenet with a BatchNorm after every hidden Dense layer (before its ReLU): BN's cost."""

    def __init__(self, net, x, y, seed):
        from barenet.nn import BatchNorm, Dense, Sequential

        super().__init__(net, x, y, seed)
        layers = []
        for layer in self.model.layers:
            layers.append(layer)
            if isinstance(layer, Dense) and layer is not self.model.layers[-1]:
                layers.append(BatchNorm(layer.n_out))
        self.model = Sequential(layers, output_activation="softmax")


class GemmFloor(Trainer):
    """The matrix products of one epoch and nothing else: the physical limit for this network."""

    def __init__(self, net, x, y, seed):
        rng = np.random.default_rng(seed)
        sizes, b = net.sizes, net.batch_size
        self.x, self.batch = x, b
        self.W = [(rng.standard_normal((i, o)) * np.sqrt(2 / i)).astype(np.float32)
                  for i, o in pairwise(sizes)]
        self.dW = [np.empty_like(w) for w in self.W]
        self.buffers = {}  # batch rows -> (activations, deltas), preallocated

    def arrays(self, rows):
        if rows not in self.buffers:
            rng = np.random.default_rng(rows)
            a = [np.empty((rows, w.shape[1]), np.float32) for w in self.W]
            d = [rng.standard_normal((rows, w.shape[1])).astype(np.float32) * np.float32(0.01)
                 for w in self.W]
            g = [np.empty((rows, w.shape[0]), np.float32) for w in self.W]
            self.buffers[rows] = a, d, g
        return self.buffers[rows]

    def epoch(self):
        W, dW, x, n = self.W, self.dW, self.x, len(self.x)
        for start in range(0, n, self.batch):
            xb = x[start : start + self.batch]  # a view: the floor pays for no gather
            a, d, g = self.arrays(len(xb))
            inputs = [xb, *a[:-1]]
            for layer in range(len(W)):
                np.matmul(inputs[layer], W[layer], out=a[layer])  # z = x·W
            for layer in range(len(W) - 1, -1, -1):
                np.matmul(inputs[layer].T, d[layer], out=dW[layer])  # dW = xᵀ·δ
                if layer:
                    np.matmul(d[layer], W[layer].T, out=g[layer])  # dx = δ·Wᵀ

    def predict(self, x):
        for start in range(0, len(x), 4096):  # barenet's chunks: a little faster than one product
            a = x[start : start + 4096]
            for w in self.W:
                a = a @ w
        return None  # the floor has no accuracy


class Torch(Trainer):
    fused = False

    def __init__(self, net, x, y, seed):
        import torch

        torch.manual_seed(seed)
        self.torch = torch
        layers = []
        for i, (a, b) in enumerate(pairwise(net.sizes)):
            layers.append(torch.nn.Linear(a, b))
            if i < len(net.sizes) - 2:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        extra = {"fused": True} if self.fused else {}
        if net.optimizer == "sgd":
            self.opt = torch.optim.SGD(self.model.parameters(), lr=net.lr, **extra)
        else:
            self.opt = torch.optim.Adam(self.model.parameters(), lr=net.lr, **extra)
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)
        self.batch = net.batch_size
        self.generator = torch.Generator().manual_seed(seed)

    def step(self, xb, yb):
        self.opt.zero_grad(set_to_none=True)
        loss = self.torch.nn.functional.cross_entropy(self.model(xb), yb)
        loss.backward()
        self.opt.step()

    def epoch(self):
        order = self.torch.randperm(len(self.x), generator=self.generator)
        x, y = self.x[order], self.y[order]  # permuted once: every batch is a contiguous slice
        for start in range(0, len(x), self.batch):
            self.step(x[start : start + self.batch], y[start : start + self.batch])

    def predict(self, x):
        with self.torch.no_grad():
            return self.model(self.torch.from_numpy(x)).argmax(1).numpy()


class TorchFused(Torch):
    fused = True


class TorchDataLoader(Torch):
    def __init__(self, net, x, y, seed):
        super().__init__(net, x, y, seed)
        from torch.utils.data import DataLoader, TensorDataset

        self.loader = DataLoader(TensorDataset(self.x, self.y), batch_size=self.batch, shuffle=True,
                                 generator=self.generator)

    def epoch(self):
        for xb, yb in self.loader:
            self.step(xb, yb)


class Sklearn(Trainer):
    def __init__(self, net, x, y, seed):
        import warnings

        from sklearn.neural_network import MLPClassifier

        warnings.simplefilter("ignore")  # partial_fit's notes about convergence
        self.model = MLPClassifier(
            hidden_layer_sizes=net.hidden, activation="relu", solver=net.optimizer,
            learning_rate_init=net.lr, learning_rate="constant", momentum=0.0,
            nesterovs_momentum=False, alpha=0.0, batch_size=net.batch_size, shuffle=True,
            random_state=seed,
        )
        self.x, self.y = x, y

    def epoch(self):
        self.model.partial_fit(self.x, self.y, classes=np.arange(10))

    def predict(self, x):
        return self.model.predict(x)


#: name -> (class, the module it needs beyond NumPy and barenet, or None)
TRAINERS: dict[str, tuple[type[Trainer], str | None]] = {
    "barenet": (Barenet, None),
    "barenet textbook": (BarenetTextbook, None),
    "barenet+dropout": (BarenetDropout, None),
    "aug affine": (BarenetAugmented, None),
    "aug aff+elastic": (BarenetElastic, None),
    "aug aff+el sync": (BarenetElasticSync, None),
    "barenet+batchnorm": (BarenetBatchNorm, None),
    "gemm floor": (GemmFloor, None),
    "torch": (Torch, "torch"),
    "torch fused": (TorchFused, "torch"),
    "torch DataLoader": (TorchDataLoader, "torch"),
    "sklearn": (Sklearn, "sklearn"),
}
