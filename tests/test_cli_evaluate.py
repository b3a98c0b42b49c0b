"""`barenet evaluate`: the scores agree with an independent computation, on the same rebuilt data."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from sklearn import metrics as skm

from barenet.cli import main
from barenet.experiment.config import TrainingConfig
from barenet.experiment.splits import make_splits
from barenet.saving import modelfile
from model_fixtures import bad_model_files, train_tiny


@pytest.fixture(scope="module")
def subset_model(tmp_path_factory, mnist_slice_dir):
    """A 784-32-3 network on the digits 3, 5 and 8, with standardised inputs."""
    path = tmp_path_factory.mktemp("evaluate") / "subset.safetensors"
    train_tiny(path, mnist_slice_dir, classes=[3, 5, 8], normalization="standardize")
    return path


def run_json(capsys, *argv):
    status = main(["evaluate", *map(str, argv), "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    return json.loads(out), err  # stdout is exactly one JSON object


def test_json_agrees_with_an_independent_computation(subset_model, capsys):
    result, _ = run_json(capsys, subset_model)
    trained = modelfile.load(subset_model)
    # Rebuild the test split independently, then score with predict_proba and scikit-learn.
    config = TrainingConfig.from_dict(trained.config)
    x, y = make_splits(config, progress=False, normalization=trained.normalization).split("test")
    predicted = trained.model.predict_proba(x).argmax(axis=1)
    assert result["split"] == "test" and result["n"] == len(y)
    assert 0 <= result["accuracy"] <= 1
    assert result["accuracy"] == pytest.approx(float(np.mean(predicted == y)), abs=1e-12)
    # ... and with what training recorded on the same test set
    assert result["accuracy"] == pytest.approx(trained.metrics["test_accuracy"], abs=1e-12)
    assert result["loss"] == pytest.approx(trained.metrics["test_loss"], rel=1e-6)
    assert result["class_names"] == ["3", "5", "8"]

    cm = np.array(result["confusion_matrix"])
    assert cm.shape == (3, 3) and cm.sum() == result["n"]
    np.testing.assert_array_equal(cm, skm.confusion_matrix(y, predicted, labels=[0, 1, 2]))
    precision, recall, f1, support = skm.precision_recall_fscore_support(
        y, predicted, labels=[0, 1, 2], zero_division=0)
    assert [row["class"] for row in result["per_class"]] == ["3", "5", "8"]
    np.testing.assert_allclose([r["precision"] for r in result["per_class"]], precision)
    np.testing.assert_allclose([r["recall"] for r in result["per_class"]], recall)
    np.testing.assert_allclose([r["f1"] for r in result["per_class"]], f1)
    assert [r["support"] for r in result["per_class"]] == support.tolist()
    assert result["macro"]["f1"] == pytest.approx(float(np.mean(f1)))


def test_validation_split_is_the_one_training_held_out(subset_model, capsys):
    result, _ = run_json(capsys, subset_model, "--split", "val")
    trained = modelfile.load(subset_model)
    assert result["split"] == "val" and result["n"] == 500
    assert result["accuracy"] == pytest.approx(trained.history.records[-1]["val_accuracy"], abs=1e-12)
    assert result["loss"] == pytest.approx(trained.history.records[-1]["val_loss"], rel=1e-6)


def test_text_report_and_plot(subset_model, tmp_path, capsys):
    plot = tmp_path / "figures" / "eval.png"
    assert main(["evaluate", str(subset_model), "--plot", str(plot)]) == 0
    out, _ = capsys.readouterr()
    result, _ = run_json(capsys, subset_model)
    assert f"accuracy  {result['accuracy']:.2%}" in out
    assert "precision  recall" in out and "macro" in out
    assert "confusion matrix (rows: true class, columns: predicted class)" in out
    # the matrix row of class 3, as counts
    row3 = " ".join(str(v) for v in result["confusion_matrix"][0])
    assert any(" ".join(line.split()[1:]) == row3 for line in out.splitlines() if line.startswith("3 "))
    assert str(plot) in out
    with Image.open(plot) as image:
        rgb = np.asarray(image.convert("RGB"))
    assert rgb.shape[:2] == (840, 1800)
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 100
    assert (rgb.max(axis=2) < 40).sum() > 5000  # the digits' ink in the gallery


def test_other_data_is_noted(subset_model, mnist, capsys):
    # The model was trained on a slice of MNIST; the full copy has other checksums.
    result, err = run_json(capsys, subset_model, "--data-dir", mnist.directory)
    assert "differs from the data the model was trained on" in err
    assert result["n"] == int(np.isin(mnist.test_labels, [3, 5, 8]).sum())


def test_an_empty_validation_split_is_one_clear_line(tmp_path, mnist_slice_dir, capsys):
    path = tmp_path / "noval.safetensors"
    train_tiny(path, mnist_slice_dir, val_size=0, epochs=1)
    assert main(["evaluate", str(path), "--split", "val"]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("barenet: error: ") and "split is empty" in err and err.count("\n") == 1


@pytest.mark.parametrize("kind", ["missing", "pickle", "random", "empty"])
def test_bad_model_files_are_one_line_errors(tmp_path, kind, capsys):
    path = bad_model_files(tmp_path)[kind]
    assert main(["evaluate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("barenet: error: ") and err.count("\n") == 1
    assert str(path) in err and "Traceback" not in err


def test_bad_flags(subset_model, tmp_path, capsys):
    try:  # a usage error: argparse's message and status 2 (returned, or raised as SystemExit)
        status = main(["evaluate", str(subset_model), "--split", "holdout"])
    except SystemExit as exc:
        status = exc.code
    assert status == 2
    assert "invalid choice: 'holdout'" in capsys.readouterr().err
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert main(["evaluate", str(subset_model), "--plot", str(blocker / "eval.png")]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("barenet: error: --plot") and err.count("\n") == 1
