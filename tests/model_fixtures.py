"""Tiny trained models saved as model files, for the tests of `evaluate`, `info` and `plot`.

Trained in about a second on the MNIST slice of `conftest.mnist_slice_dir` (3000 training and
1000 test images), written with `modelfile.save` exactly as `barenet train` writes them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from barenet.experiment.config import TrainingConfig, build
from barenet.experiment.splits import make_splits
from barenet.nn import fit
from barenet.nn.training import evaluate
from barenet.saving import modelfile


def train_tiny(path: Path, data_dir: Path, **settings) -> modelfile.TrainedModel:
    """Train a small network with `settings` (TrainingConfig fields) on data_dir; save it to path."""
    config = TrainingConfig(**{"hidden": [32], "dropout": 0.0, "epochs": 2, "val_size": 500,
                               "schedule": "constant", "lr": 3e-3, "data_dir": str(data_dir),
                               "batch_size": 128, "augment": [], **settings})
    config.validate()
    splits = make_splits(config, progress=False)
    model, loss, optimizer, schedule = build(config, splits.x_train.shape[1], len(splits.class_names))
    validation = (splits.x_val, splits.y_val) if len(splits.x_val) else None
    history = fit(model, loss, optimizer, splits.x_train, splits.y_train, epochs=config.epochs,
                  batch_size=config.batch_size, seed=config.seed, validation=validation,
                  schedule=schedule)
    test_loss, test_accuracy = evaluate(model, loss, splits.x_test, splits.y_test)
    metrics = {"test_accuracy": test_accuracy, "test_loss": test_loss,
               "train_seconds": sum(r["seconds"] for r in history.records)}
    if validation is not None:
        metrics["val_accuracy"] = history.records[-1]["val_accuracy"]
    trained = modelfile.TrainedModel(
        model=model, config=config.to_dict(), normalization=splits.normalization,
        class_names=splits.class_names, history=history, dataset=splits.dataset_record(),
        metrics=metrics,
    )
    modelfile.save(path, trained)
    return trained


def bad_model_files(directory: Path) -> dict[str, Path]:
    """Files that are not model files: missing, a pickle, random bytes, a truncated model."""
    import pickle

    directory.mkdir(parents=True, exist_ok=True)
    files = {"missing": directory / "missing.safetensors"}
    files["pickle"] = directory / "model.pkl"
    files["pickle"].write_bytes(pickle.dumps({"W": [1.0, 2.0]}))
    files["random"] = directory / "bad.bin"
    files["random"].write_bytes(np.random.default_rng(0).bytes(4096))
    files["empty"] = directory / "empty.safetensors"
    files["empty"].write_bytes(b"")
    return files
