"""`BarenetClassifier`: barenet's engine as a scikit-learn classifier.

    >>> from barenet.sklearn import BarenetClassifier
    >>> clf = BarenetClassifier(hidden=(64,), epochs=20, random_state=0).fit(X, y)
    >>> clf.predict(X[:5]), clf.predict_proba(X[:5]).shape, clf.score(X, y)

It follows `sklearn.neural_network.MLPClassifier` where the two meet (hidden sizes, activation,
optimizer, learning rate, batch size, epochs, early stopping on a held-out fraction, stopping
when the training loss stalls, `random_state`; `fit`, `partial_fit`, `predict`,
`predict_proba`, `score`; `classes_`, `n_features_in_`, `loss_curve_`, `n_iter_`), so it drops
into a `Pipeline`, `GridSearchCV` or `cross_val_score`. Under the hood it is the network
`barenet train` builds (`barenet.experiment.config.build`), trained by `barenet.nn.fit` in float32:

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
from numbers import Integral, Real
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from barenet.errors import ConfigError
from barenet.experiment.config import MAX_EPOCHS, TrainingConfig, build
from barenet.i18n import _
from barenet.nn import ACTIVATIONS, OPTIMIZERS, Callback, History, Sequential, fit


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

    # scikit-learn's convention: the types and ranges of the parameters, checked by `fit` (not by
    # __init__ or set_params); then every value goes through the one validation `barenet train`
    # and TOML files use (TrainingConfig.validate), so the API accepts exactly what the CLI does.
    _parameter_constraints: ClassVar[dict] = {
        "hidden": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "schedule": [StrOptions({"constant", "cosine", "step", "exponential"})],  # per epoch
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, MAX_EPOCHS, closed="both")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "n_threads": [Interval(Integral, 1, None, closed="left"), None],
    }

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
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float32, order="C")
        check_classification_targets(y)
        self.classes_ = unique_labels(y)
        self._start(X.shape[1])
        return self._train(X, self._indices(y), epochs=self.epochs, stop=True)

    def partial_fit(self, X: Any, y: Any, classes: Any = None) -> BarenetClassifier:
        """One epoch over (X, y); the first call needs `classes`, every class that will ever appear."""
        first = not hasattr(self, "classes_")
        if first:
            self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float32, order="C", reset=first)
        check_classification_targets(y)
        if first:
            if classes is None:
                raise ValueError(_("the first call to partial_fit needs classes=, every class that "
                                   "will ever appear (for example classes=np.unique(y_all))"))
            self.classes_ = unique_labels(classes)
            self._start(X.shape[1])
        elif classes is not None and not np.array_equal(unique_labels(classes), self.classes_):
            raise ValueError(_("classes={classes} differs from the first call's {first}").format(
                                 classes=list(classes), first=list(self.classes_)))
        unseen = np.setdiff1d(unique_labels(y), self.classes_)
        if unseen.size:
            raise ValueError(_("y holds classes {unseen} that are not in classes_ {classes}; pass "
                               "every class on the first call").format(
                                 unseen=list(unseen), classes=list(self.classes_)))
        return self._train(X, self._indices(y), epochs=self.n_iter_ + 1, stop=False)

    def _config(self, epochs: int, seed: int, batch_size: int = 200) -> TrainingConfig:
        """The `barenet train` settings of this network (no augmentation: fit sees X as given),
        checked by TrainingConfig.validate; ValueError naming the parameter if one is invalid."""
        hidden = [self.hidden] if isinstance(self.hidden, Integral) else list(self.hidden)
        config = TrainingConfig(
            hidden=[_plain(h) for h in hidden], activation=[self.activation],
            dropout=_plain(self.dropout), optimizer=self.optimizer, lr=_plain(self.lr),
            weight_decay=_plain(self.weight_decay), schedule=self.schedule,
            epochs=max(int(epochs), 1), seed=seed, val_size=0, batch_size=batch_size, augment=[],
        )
        try:
            config.validate(type(self).__name__)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return config

    def _start(self, n_features: int) -> None:
        """A freshly initialised network for `n_features` inputs and len(classes_) outputs.

        Its seed (weights, shuffling, dropout, the early-stopping split) is drawn from random_state.
        """
        if len(self.classes_) < 2:
            raise ValueError(_("only one class ({label!r}) in y: a classifier needs at least two "
                               "classes to learn to tell apart").format(
                                 label=self.classes_[0]))
        self.seed_ = seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        config = self._config(self.epochs, seed)
        self._network = config.to_dict()  # what was built: set_params after fit changes no network
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
        from barenet.saving.modelfile import TrainedModel, save

        check_is_fitted(self)
        config = {**self._fitted_config().to_dict(), "epochs": max(self.n_iter_, 1),
                  "batch_size": self.batch_size_}
        trained = TrainedModel(self.model_, config=config, class_names=[str(c) for c in self.classes_],
                               history=self.history_, dataset={"name": "scikit-learn"})
        return save(path, trained)

    def _fitted_config(self) -> TrainingConfig:
        """The settings the fitted network was built with (not the parameters as set since)."""
        if getattr(self, "_network", None) is not None:
            return TrainingConfig.from_dict(self._network, "the fitted network")
        return self._config(self.epochs, self.seed_)  # a pickle of an older barenet

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
        config = self._fitted_config()
        self.model_, self._loss, self._optimizer, self._schedule = build(config, self.n_features_in_,
                                                                         len(self.classes_))
        _copy_parameters(parameters, self.model_)
        self._optimizer.load_state_dict(optimizer_state)
        self._inference = self.model_.astype(np.float64)


def _plain(value: Any) -> Any:
    """A NumPy number as the Python int or float TrainingConfig checks; anything else as it is."""
    if isinstance(value, (bool, np.bool_)):
        return value
    if isinstance(value, Integral):
        return int(value)
    return float(value) if isinstance(value, Real) else value


def _copy_parameters(source: dict[str, np.ndarray], model: Sequential) -> None:
    """Copy named parameter values into `model` in place (its arrays stay views of its vector)."""
    for name, param in model.named_parameters():
        param[...] = source[name]
