"""`BarenetClassifier`: barenet's engine as a scikit-learn classifier.

    >>> from barenet.sklearn import BarenetClassifier
    >>> clf = BarenetClassifier(hidden=(64,), epochs=20, random_state=0).fit(X, y)
    >>> clf.predict(X[:5]), clf.predict_proba(X[:5]).shape, clf.score(X, y)

It follows `sklearn.neural_network.MLPClassifier` where the two meet (hidden sizes, activation,
optimizer, learning rate, batch size, epochs, early stopping on a held-out fraction, stopping
when the training loss stalls, `random_state`; `fit`, `partial_fit`, `predict`,
`predict_proba`, `score`; `classes_`, `n_features_in_`, `loss_curve_`, `n_iter_`), so it drops
into a `Pipeline`, `GridSearchCV` or `cross_val_score`. Under the hood it is the network
`barenet train` builds (`barenet.config.build`), trained by `barenet.nn.fit` in float32:

    x (N, n_features) float32 → Dense → activation → [Dropout] → … → Dense → softmax → p (N, K)
    loss: softmax cross-entropy on the classes' indices 0 … K−1 (`classes_` maps them back)

Binary problems use two softmax outputs (the same as one sigmoid output, and one code path).
`predict_proba` runs a float64 copy of the trained float32 network, so that a sample's
probabilities do not depend on which other samples share its batch (float32 matrix products
round differently for different batch shapes); training stays float32.

scikit-learn is an optional extra (`pip install 'barenet[sklearn]'`), imported only here.
Pickling follows scikit-learn's convention; `save(path)` writes a barenet model file
(safetensors), which `barenet predict`, `evaluate`, `info` and `export` read.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from barenet.config import TrainingConfig, build
from barenet.nn import Callback, History, Sequential, fit


class _StopWhenLossStalls(Callback):
    """Stop when the training loss has not fallen by `tol` for `patience` epochs (MLPClassifier's rule)."""

    def __init__(self, tol: float, patience: int) -> None:
        self.tol, self.patience = tol, patience
        self.best, self.stalled = math.inf, 0

    def on_epoch_end(self, epoch: int, record: dict[str, Any]) -> bool:
        loss = record["train_loss"]
        self.stalled = 0 if loss < self.best - self.tol else self.stalled + 1
        self.best = min(self.best, loss)
        return self.stalled >= self.patience


class BarenetClassifier(ClassifierMixin, BaseEstimator):
    """A fully connected network trained with barenet's engine, as a scikit-learn classifier.

    Parameters (MLPClassifier's name in brackets where it differs):
        hidden            sizes of the hidden layers [hidden_layer_sizes]
        activation        "relu", "leaky_relu", "tanh", "sigmoid" or "identity"
        dropout           dropout rate after each hidden layer (0 = none)
        optimizer         "adam", "sgd", "momentum", "nesterov" or "rmsprop" [solver]
        lr                learning rate η [learning_rate_init]
        weight_decay      L2 penalty λ on the weights [alpha]
        schedule          "constant", "cosine", "step" or "exponential" learning rate per epoch
        batch_size        examples per step; "auto" = min(200, n_samples), as MLPClassifier
        epochs            maximum number of epochs [max_iter]
        early_stopping    hold out `validation_fraction` (stratified) and stop when its loss has
                          not improved for `n_iter_no_change` epochs, keeping the best epoch
        tol               without early stopping: stop when the training loss has not fallen by
                          `tol` for `n_iter_no_change` epochs
        random_state      seed of the weights, the shuffling, dropout and the split
        n_threads         BLAS threads while fitting and predicting (None: leave as is). With
                          several workers (GridSearchCV n_jobs, Dask) set 1 per worker, so that
                          workers do not fight over the cores.

    Fitted attributes: classes_ (K,), n_features_in_, model_ (the `barenet.nn.Sequential`),
    history_ (`barenet.nn.History`), loss_curve_ (training loss per epoch), n_iter_ (epochs run),
    batch_size_ (the batch size used), best_validation_score_ (with early stopping).
    """

    def __init__(
        self,
        hidden: tuple[int, ...] = (100,),
        activation: str = "relu",
        dropout: float = 0.0,
        optimizer: str = "adam",
        lr: float = 1e-3,
        weight_decay: float = 0.0,
        schedule: str = "constant",
        batch_size: int | str = "auto",
        epochs: int = 200,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        tol: float = 1e-4,
        random_state: int | np.random.RandomState | None = None,
        n_threads: int | None = None,
    ) -> None:
        self.hidden = hidden
        self.activation = activation
        self.dropout = dropout
        self.optimizer = optimizer
        self.lr = lr
        self.weight_decay = weight_decay
        self.schedule = schedule
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.n_threads = n_threads

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, X: Any, y: Any) -> BarenetClassifier:
        """Train a fresh network on X: (n_samples, n_features), y: (n_samples,) labels of any type."""
        X, y = validate_data(self, X, y, dtype=np.float32, order="C")
        check_classification_targets(y)
        self.classes_ = unique_labels(y)
        self._start(X.shape[1])
        return self._train(X, self._indices(y), epochs=self.epochs, stop=True)

    def partial_fit(self, X: Any, y: Any, classes: Any = None) -> BarenetClassifier:
        """One epoch over (X, y); the first call needs `classes`, every class that will ever appear."""
        first = not hasattr(self, "classes_")
        X, y = validate_data(self, X, y, dtype=np.float32, order="C", reset=first)
        check_classification_targets(y)
        if first:
            if classes is None:
                raise ValueError("the first call to partial_fit needs classes=, every class that "
                                 "will ever appear (for example classes=np.unique(y_all))")
            self.classes_ = unique_labels(classes)
            self._start(X.shape[1])
        elif classes is not None and not np.array_equal(unique_labels(classes), self.classes_):
            raise ValueError(f"classes={list(classes)} differs from the first call's {list(self.classes_)}")
        unseen = np.setdiff1d(unique_labels(y), self.classes_)
        if unseen.size:
            raise ValueError(f"y holds classes {list(unseen)} that are not in classes_ "
                             f"{list(self.classes_)}; pass every class on the first call")
        return self._train(X, self._indices(y), epochs=self.n_iter_ + 1, stop=False)

    def _config(self, epochs: int, seed: int, batch_size: int = 200) -> TrainingConfig:
        """The `barenet train` settings of this network (no augmentation: fit sees X as given)."""
        return TrainingConfig(
            hidden=[int(h) for h in self.hidden], activation=[self.activation], dropout=float(self.dropout),
            optimizer=self.optimizer, lr=float(self.lr), weight_decay=float(self.weight_decay),
            schedule=self.schedule, epochs=max(int(epochs), 1), seed=seed, val_size=0,
            batch_size=batch_size, augment=[],
        )

    def _start(self, n_features: int) -> None:
        """A freshly initialised network for `n_features` inputs and len(classes_) outputs.

        Its seed (weights, shuffling, dropout, the early-stopping split) is drawn from random_state.
        """
        if len(self.classes_) < 2:
            raise ValueError(f"only one class ({self.classes_[0]!r}) in y: a classifier needs at "
                             "least two classes to learn to tell apart")
        self.seed_ = seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        config = self._config(self.epochs, seed)
        self.model_, self._loss, self._optimizer, self._schedule = build(config, n_features,
                                                                         len(self.classes_))
        self.history_ = History()
        self.n_iter_ = 0

    def _indices(self, y: np.ndarray) -> np.ndarray:
        """Labels → their index in classes_, the network's class numbers 0 … K−1."""
        return np.searchsorted(self.classes_, y).astype(np.int64)

    def _batch_size(self, n: int) -> int:
        return min(200, n) if self.batch_size == "auto" else int(self.batch_size)

    def _train(self, X: np.ndarray, y: np.ndarray, epochs: int, stop: bool) -> BarenetClassifier:
        validation, patience, callbacks = None, None, []
        if stop and self.early_stopping:
            X, x_val, y, y_val = train_test_split(X, y, test_size=self.validation_fraction,
                                                  stratify=y, random_state=self.seed_)
            validation, patience = (x_val, y_val), self.n_iter_no_change
        elif stop:
            callbacks.append(_StopWhenLossStalls(self.tol, self.n_iter_no_change))
        self.batch_size_ = self._batch_size(len(X))
        with self._threads():
            fit(self.model_, self._loss, self._optimizer, X, y, epochs=epochs,
                batch_size=self.batch_size_, seed=self.seed_, validation=validation,
                schedule=self._schedule if stop else None, early_stopping=patience,
                callbacks=callbacks, history=self.history_)
        self.loss_curve_ = self.history_.column("train_loss")
        self.n_iter_ = len(self.history_.records)
        if validation is not None:
            self.best_validation_score_ = max(self.history_.column("val_accuracy"))
        self._inference = self.model_.astype(np.float64)
        return self

    # -- using ----------------------------------------------------------------------------------
    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities (n_samples, K), columns in the order of classes_."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        with self._threads():
            return self._inference.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each sample, as a label of classes_."""
        check_is_fitted(self)
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def save(self, path: str | Path) -> Path:
        """Write the trained network as a barenet model file (safetensors + JSON metadata)."""
        from barenet.modelfile import TrainedModel, save

        check_is_fitted(self)
        config = self._config(self.n_iter_, self.seed_, self.batch_size_).to_dict()
        trained = TrainedModel(self.model_, config=config, class_names=[str(c) for c in self.classes_],
                               history=self.history_, dataset={"name": "scikit-learn"})
        return save(path, trained)

    def _threads(self) -> contextlib.AbstractContextManager:
        if self.n_threads is None:
            return contextlib.nullcontext()
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=int(self.n_threads), user_api="blas")

    # -- pickling: layers' arrays are views of the network's parameter vector -------------------
    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())  # a copy: Python may hand back self.__dict__
        if "model_" in state:
            state["model_"] = {name: p.copy() for name, p in self.model_.named_parameters()}
            state["_optimizer"] = self._optimizer.state_dict()
            for key in ("_loss", "_schedule", "_inference"):
                state.pop(key, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        parameters, optimizer_state = state.pop("model_", None), state.pop("_optimizer", None)
        super().__setstate__(state)
        if parameters is None:
            return
        config = self._config(self.epochs, self.seed_)
        self.model_, self._loss, self._optimizer, self._schedule = build(config, self.n_features_in_,
                                                                         len(self.classes_))
        _copy_parameters(parameters, self.model_)
        self._optimizer.load_state_dict(optimizer_state)
        self._inference = self.model_.astype(np.float64)


def _copy_parameters(source: dict[str, np.ndarray], model: Sequential) -> None:
    """Copy named parameter values into `model` in place (its arrays stay views of its vector)."""
    for name, param in model.named_parameters():
        param[...] = source[name]
