"""Results that were silently wrong (issue 22): a model scored against labels matched by position,
a pickled estimator rebuilt from parameters set after fit, a resumed run trained on other data.
Each case: the right answer, or one clear refusal, and the user's files unchanged."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from barenet.cli import main
from barenet.data.idx import write_idx
from barenet.saving import modelfile
from model_fixtures import train_tiny
from test_cli_hostile import files_in, one_line


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, mnist_slice_dir):
    path = tmp_path_factory.mktemp("results") / "tiny.safetensors"
    train_tiny(path, mnist_slice_dir, epochs=1)
    return path


def accuracy_of(model, data_dir, capsys) -> float:
    capsys.readouterr()
    assert main(["evaluate", str(model), "--data-dir", str(data_dir), "--json"]) == 0
    return json.loads(capsys.readouterr().out)["accuracy"]


def test_classes_stored_in_another_order_are_matched_by_name(tmp_path, tiny, mnist_slice_dir, capsys):
    """Before: classes matched by position, a model's score fell to chance when its names were
    stored in another order (scikit-learn sorts string labels)."""
    trained = modelfile.load(tiny)
    order = np.array([3, 1, 4, 0, 5, 9, 2, 6, 8, 7])  # output j is the digit order[j]
    last = [layer for layer in trained.model.layers if hasattr(layer, "W")][-1]
    last.W[...], last.b[...] = last.W[:, order].copy(), last.b[order].copy()
    trained.class_names = [str(d) for d in order]
    shuffled = modelfile.save(tmp_path / "shuffled.safetensors", trained)
    assert accuracy_of(shuffled, mnist_slice_dir, capsys) == pytest.approx(
        accuracy_of(tiny, mnist_slice_dir, capsys))


def test_a_model_whose_classes_are_other_names_is_refused(tmp_path, mnist_slice_dir, mnist, capsys):
    """Before: a BarenetClassifier trained on labels 'zero' … 'nine', saved, then `barenet
    evaluate`: 9.36 % for a model that scores 86.3 %."""
    pytest.importorskip("sklearn")
    from barenet.sklearn import BarenetClassifier

    words = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
    x, y = mnist.train_images[:1000].reshape(1000, -1) / 255.0, mnist.train_labels[:1000]
    clf = BarenetClassifier(hidden=(16,), epochs=3, random_state=0).fit(x, words[y])
    path = clf.save(tmp_path / "words.safetensors")
    before = files_in(tmp_path)
    assert main(["evaluate", str(path), "--data-dir", str(mnist_slice_dir)]) == 1
    line = one_line(capsys)
    assert "the model's classes (eight, five, four" in line and "are not the data's (0, 1, 2" in line
    assert files_in(tmp_path) == before


def test_set_params_after_fit_changes_neither_the_pickle_nor_the_saved_file(tmp_path):
    """Before: set_params after fit, then pickle: predictions changed (max |Δp| 0.44), or the
    pickle did not load (other hidden sizes)."""
    pytest.importorskip("sklearn")
    from barenet.sklearn import BarenetClassifier

    rng = np.random.default_rng(0)
    x, y = rng.random((60, 5)), rng.integers(0, 3, 60)
    clf = BarenetClassifier(hidden=(8,), activation="tanh", epochs=5, random_state=0).fit(x, y)
    p = clf.predict_proba(x)
    clf.set_params(hidden=(3, 3), activation="relu", dropout=0.5)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(x), p)
    trained = modelfile.load(clf.save(tmp_path / "m.safetensors"))
    assert trained.config["hidden"] == [8] and trained.config["activation"] == ["tanh"]
    np.testing.assert_allclose(trained.predict_proba(x), p, rtol=1e-4, atol=1e-6)


def test_resume_with_other_data_is_refused(tmp_path, mnist_slice_dir, mnist, capsys):
    """Before: `--resume` with a `--data-dir` of other data trained on it with only a note."""
    quick = ["train", "--data-dir", str(mnist_slice_dir), "--hidden", "8", "--epochs", "1",
             "--val-size", "100", "--quiet", "--no-plot"]
    assert main([*quick, "--out", str(tmp_path / "m.safetensors")]) == 0
    other = tmp_path / "other-data"
    other.mkdir()
    write_idx(other / "train-images-idx3-ubyte", mnist.train_images[3000:6000])
    write_idx(other / "train-labels-idx1-ubyte", mnist.train_labels[3000:6000].astype(np.uint8))
    write_idx(other / "t10k-images-idx3-ubyte", mnist.test_images[:1000])
    write_idx(other / "t10k-labels-idx1-ubyte", mnist.test_labels[:1000].astype(np.uint8))
    before = files_in(tmp_path)
    capsys.readouterr()
    checkpoint = tmp_path / "m.checkpoint.safetensors"
    assert main(["train", "--resume", str(checkpoint), "--epochs", "2", "--data-dir", str(other),
                 "--quiet", "--overwrite", "--no-plot"]) == 1
    line = one_line(capsys)
    assert f"the data in {other} is not the data the resumed run was trained on" in line
    assert files_in(tmp_path) == before


# ---- messages that named the wrong thing (issue 22) ------------------------------------------

def test_a_65535_by_1_image_is_reported_with_its_real_size(tmp_path, tiny, capsys):
    """Before: '1024×1 pixels' (the size after shrinking to 1024 on a side)."""
    from PIL import Image

    strip = tmp_path / "strip.png"
    Image.fromarray(np.full((1, 65535), 255, np.uint8)).save(strip)
    assert main(["predict", str(tiny), str(strip)]) == 1
    assert "is 65535×1 pixels, too small to hold a digit" in one_line(capsys)


def test_suggested_commands_quote_paths_with_spaces(tmp_path, mnist_slice_dir, capsys):
    """Before: `barenet evaluate my runs/m.safetensors`, two words for the shell."""
    import shlex

    out = tmp_path / "my runs" / "it's m.safetensors"
    assert main(["train", "--data-dir", str(mnist_slice_dir), "--hidden", "8", "--epochs", "1",
                 "--val-size", "100", "--quiet", "--no-plot", "--out", str(out)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    command = shlex.split(last.split("try: ", 1)[1])
    assert command == ["barenet", "evaluate", str(out)]


def test_after_a_failed_final_save_the_message_names_the_checkpoint_that_exists(tmp_path, mnist_slice_dir,
                                                                               capsys, monkeypatch):
    """Before: a finished run resumed with another --out, whose final save failed, was told to
    resume a checkpoint that was never written (the new --out's)."""
    quick = ["train", "--data-dir", str(mnist_slice_dir), "--hidden", "8", "--epochs", "1",
             "--val-size", "100", "--quiet", "--no-plot"]
    assert main([*quick, "--out", str(tmp_path / "m.safetensors")]) == 0
    checkpoint = tmp_path / "m.checkpoint.safetensors"
    real_write = modelfile.atomic_write

    def full_for_n(path, data):
        if Path(path).name == "n.safetensors":
            raise OSError(28, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(modelfile, "atomic_write", full_for_n)
    capsys.readouterr()
    other = tmp_path / "other" / "n.safetensors"
    assert main(["train", "--resume", str(checkpoint), "--out", str(other), "--quiet", "--no-plot"]) == 1
    line = one_line(capsys)
    assert f"resume it with barenet train --resume {checkpoint}" in line and checkpoint.exists()
    assert "n.checkpoint" not in line


def test_a_mistyped_data_dir_is_not_left_created_and_no_password_is_echoed(tmp_path, capsys,
                                                                           monkeypatch):
    """Before: a --data-dir that failed to download was left created and empty, and the
    mirror's user name and password were repeated in the error."""
    from data_helpers import closed_port_url

    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    typo = tmp_path / "mnsit" / "data"
    mirror = closed_port_url().replace("http://", "http://alice:s3cret@")
    assert main(["data", "--data-dir", str(typo), "--mirror", mirror, "--no-bundled"]) == 1
    line = one_line(capsys)
    assert "s3cret" not in line and "alice" not in line and str(typo) in line
    assert list(tmp_path.iterdir()) == []
