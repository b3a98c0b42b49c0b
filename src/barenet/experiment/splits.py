"""The data a training configuration sees: train, validation and test splits, ready for the engine.

    dataset files ──load_dataset──▶ uint8 images ──to_float01──▶ (N, 784) float32 in [0, 1]
        ──select_classes (config.classes)──▶ a class subset, relabelled 0..k−1
        ──stratified_split (config.val_size, seed)──▶ train / validation (the test set is untouched;
                                                      1/12 of a small set, see validation_size)
        ──Standardizer fitted on the training part (config.normalization)──▶ model inputs

The test split is only used for the final evaluation. The same configuration always yields the
same splits, so `evaluate` sees exactly the data that `train` held out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from barenet.data import Dataset, load_dataset
from barenet.data.prepare import Standardizer, select_classes, stratified_split, to_float01
from barenet.errors import DataError
from barenet.experiment.config import TrainingConfig
from barenet.i18n import _

VALIDATION_FRACTION = 12  # the default 5,000 of MNIST's 60,000: held out of a small training set


@dataclass
class Splits:
    """x_*: (N, 784) float32 model inputs; y_*: (N,) int64 labels in 0..K−1."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]
    dataset: Dataset
    normalization: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def split(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of "train", "val" or "test"."""
        return {"train": (self.x_train, self.y_train), "val": (self.x_val, self.y_val),
                "test": (self.x_test, self.y_test)}[name]

    def dataset_record(self) -> dict[str, Any]:
        """What a model file records about its data."""
        return {"name": self.dataset.name, "sha256": self.dataset.sha256,
                "canonical": self.dataset.canonical, "source": self.dataset.source}


def make_splits(config: TrainingConfig, data_dir: str | None = None, progress: bool = True,
                normalization: dict[str, Any] | None = None) -> Splits:
    """Load and prepare the data of `config` (data_dir overrides config.data_dir).

    normalization: a recorded Standardizer (from a model file) to apply instead of fitting one.
    """
    dataset = load_dataset(config.dataset, data_dir or config.data_dir, progress=progress)
    x_train, y_train = to_float01(dataset.train_images), dataset.train_labels.astype(np.int64)
    x_test, y_test = to_float01(dataset.test_images), dataset.test_labels.astype(np.int64)
    class_names = list(dataset.class_names)
    if config.classes is not None:
        x_train, y_train = select_classes(x_train, y_train, config.classes)
        x_test, y_test = select_classes(x_test, y_test, config.classes)
        class_names = [class_names[c] for c in config.classes]
    rng = np.random.default_rng(config.seed)
    val_size, note = validation_size(config.val_size, len(y_train))
    train_idx, val_idx = stratified_split(y_train, val_size, rng)
    x_val, y_val = x_train[val_idx], y_train[val_idx]
    x_train, y_train = x_train[train_idx], y_train[train_idx]
    if normalization is None and config.normalization == "standardize":
        normalization = Standardizer.fit(x_train).to_dict()
    if normalization is not None:
        standardizer = Standardizer.from_dict(normalization)
        x_train, x_val, x_test = (standardizer.transform(x) for x in (x_train, x_val, x_test))
    return Splits(x_train, y_train, x_val, y_val, x_test, y_test, class_names, dataset,
                  normalization, [*dataset.notes, *([note] if note else [])])


def validation_size(requested: int, n_train: int) -> tuple[int, str | None]:
    """The validation samples to hold out of `n_train`, and a note when it is not `requested`.

    The default, 5,000, is 1/12 of MNIST's 60,000 training images. When it would take more than
    half of a smaller training set (a custom set of 1,000 images), the same fraction is held out
    instead: n_train // 12 (83 of 1,000). Any other requested size is used as it is.
    """
    default = TrainingConfig.val_size
    if requested != default or 2 * requested <= n_train:
        return requested, None
    size = n_train // VALIDATION_FRACTION
    return size, _("note: {n:,} training images: {size:,} (1/{fraction}) held out for validation "
                   "instead of {default:,}; choose another number with --val-size").format(
                     n=n_train, size=size, fraction=VALIDATION_FRACTION, default=default)


def align_classes(y: np.ndarray, data_names: list[str], model_names: list[str]) -> np.ndarray:
    """Labels y (N,), indices into `data_names`, as indices into `model_names` (the model's outputs).

    Classes are matched by name, never by position: a model whose classes are the data's in
    another order (scikit-learn sorts string labels) is scored on its own outputs' order, and
    one whose classes are other names is refused (DataError), not scored as if they matched.
    """
    model_names = [str(n) for n in model_names]
    if not model_names or model_names == list(data_names):
        return y
    if sorted(model_names) != sorted(data_names):
        shown = ", ".join(model_names[:12]) + (", …" if len(model_names) > 12 else "")
        raise DataError(_("the model's classes ({model}) are not the data's ({data}): its outputs "
                          "cannot be scored against these labels; evaluate it on data whose "
                          "classes have the same names").format(model=shown, data=", ".join(data_names)))
    position = {name: i for i, name in enumerate(model_names)}
    return np.array([position[name] for name in data_names], dtype=np.int64)[y]
