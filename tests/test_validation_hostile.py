"""One validation of every user-supplied number and name, shared by the command line, TOML files and
`BarenetClassifier` (issue 22). Each case: one line (or a clear exception) naming the value and
what is allowed, before any data is read, and the user's files unchanged."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barenet.cli import main
from barenet.experiment.config import TrainingConfig, build, load_toml
from barenet.nn import History
from barenet.saving import modelfile
from test_cli_hostile import one_line


@pytest.fixture
def quick(mnist_slice_dir):
    return ["train", "--data-dir", str(mnist_slice_dir), "--hidden", "8", "--epochs", "1",
            "--val-size", "100", "--quiet", "--no-plot"]


# ---- BarenetClassifier -----------------------------------------------------------------------

@pytest.mark.parametrize("params, words", [
    ({"hidden": "64"}, "'hidden' parameter of BarenetClassifier must be an array-like or an int"),
    ({"epochs": 0}, "'epochs' parameter of BarenetClassifier must be an int in the range [1,"),
    ({"epochs": -5}, "'epochs' parameter of BarenetClassifier must be an int in the range [1,"),
    ({"dropout": -0.5}, "'dropout' parameter of BarenetClassifier must be a float in the range [0.0, 1.0)"),
    ({"activation": "bogus"}, "'activation' parameter of BarenetClassifier must be a str among"),
    ({"optimizer": "bogus"}, "'optimizer' parameter of BarenetClassifier must be a str among"),
    ({"schedule": "bogus"}, "'schedule' parameter of BarenetClassifier must be a str among"),
    ({"hidden": (4, 0)}, "BarenetClassifier: hidden = [4, 0] is invalid; expected a list of positive"),
])
def test_the_classifier_refuses_a_bad_parameter_by_name(params, words):
    """Before: hidden='64' built a 6-6-4-2 network, epochs 0 or -5 returned an untrained "fitted"
    model, dropout -0.5 was ignored, 'bogus' was a KeyError."""
    pytest.importorskip("sklearn")
    from barenet.sklearn import BarenetClassifier

    rng = np.random.default_rng(0)
    clf = BarenetClassifier(**params)
    with pytest.raises(ValueError) as caught:
        clf.fit(rng.random((20, 3)), np.arange(20) % 2)
    assert words in str(caught.value)
    assert not hasattr(clf, "model_")
    if "activation" in params:
        assert "relu" in str(caught.value) and "tanh" in str(caught.value)  # the valid choices


def test_the_classifier_takes_one_int_as_one_hidden_layer():
    """Before: hidden=64 was a TypeError (MLPClassifier takes an int for one layer)."""
    pytest.importorskip("sklearn")
    from barenet.sklearn import BarenetClassifier

    rng = np.random.default_rng(0)
    clf = BarenetClassifier(hidden=np.int64(7), epochs=2).fit(rng.random((20, 3)), np.arange(20) % 2)
    assert clf.model_.describe() == "3-7(relu)-2"


# ---- the command line and TOML ----------------------------------------------------------------

@pytest.mark.parametrize("flags, words", [
    (["--init", "normal:inf"], "init = 'normal:inf' is invalid; choose from"),
    (["--init", "uniform:1e308"], "scale 0 < S ≤ 10"),
    (["--bias-init", "normal:1e308"], "bias_init = 'normal:1e308' is invalid"),
    (["--augment", "elastic", "--elastic-sigma", "1e200"], "elastic_sigma = 1e+200 is more than 14"),
    (["--shift", "100"], "shift = 100 is more than 8 pixels"),
    (["--augment", "elastic", "--elastic-alpha", "1e30"], "elastic_alpha = 1e+30 is more than 100"),
])
def test_absurd_initialisers_and_augmentation_are_refused_up_front(tmp_path, quick, capsys, flags,
                                                                   words):
    """Before: inf or 1e308 initialiser ranges and --elastic-sigma 1e200 ended in tracebacks;
    --shift 100 and --elastic-alpha 1e30 trained to chance level."""
    assert main([*quick, *flags, "--out", str(tmp_path / "m.safetensors")]) == 1
    assert words in one_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_config_file_with_a_byte_order_mark_is_read(tmp_path):
    """Before: a BOM (Windows Notepad) made the file 'not valid TOML'."""
    path = tmp_path / "run.toml"
    path.write_bytes("\ufeffepochs = 3\nhidden = [16]\n".encode())
    assert load_toml(path) == {"epochs": 3, "hidden": [16]}


@pytest.mark.parametrize("line", ['out = "a\\u0000b.safetensors"', 'data_dir = "x\\u0000"'])
def test_text_that_is_not_a_path_in_a_config_file_is_one_line(tmp_path, quick, capsys, line):
    """Before: "embedded null byte" tracebacks."""
    config = tmp_path / "run.toml"
    config.write_text(line + "\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    status = main([*quick, "--config", str(config)])
    assert status == 1
    error = one_line(capsys)
    assert "is not a path this system can use" in error
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# ---- a NaN in a history ------------------------------------------------------------------------

def test_a_run_whose_validation_loss_became_nan_is_saved_and_read_back(tmp_path):
    """Before: json's "Out of range float values are not JSON compliant" when saved."""
    config = TrainingConfig(hidden=[3], augment=[])
    model = build(config, 4, 2)[0]
    history = History([{"epoch": 1, "train_loss": 0.5, "train_accuracy": 0.5, "val_loss": math.nan,
                        "val_accuracy": 0.5, "lr": 0.002, "seconds": 1.0}],
                      batch_steps=[0, 1], batch_losses=[0.7, math.inf])
    path = modelfile.save(tmp_path / "nan.safetensors", modelfile.TrainedModel(
        model, config=config.to_dict(), class_names=["a", "b"], history=history,
        metrics={"test_loss": math.nan}))
    loaded = modelfile.load(path)
    assert loaded.history.records[0]["val_loss"] is None and loaded.metrics["test_loss"] is None
    assert loaded.history.batch_losses[0] == 0.7 and math.isnan(loaded.history.batch_losses[1])
    assert main(["info", str(path)]) == 0
