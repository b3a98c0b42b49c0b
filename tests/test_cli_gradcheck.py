"""`barenet gradcheck`: the table, the verdict, exit statuses and option errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from barenet.cli import main
from barenet.nn import Dense, Sigmoid
from model_fixtures import train_tiny


def table_rows(out):
    """{array name: (shape, error, status)} from the printed table."""
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and (parts[0] == "input" or parts[0][:1].isdigit()) and parts[-1] in ("ok", "FAIL"):
            rows[parts[0]] = (parts[-3], float(parts[-2]), parts[-1])
    return rows


def test_default_network_passes(capsys):
    assert main(["gradcheck"]) == 0
    out = capsys.readouterr().out
    assert "gradient check of 6-5(relu)-4(relu)-3 with softmax_cross_entropy (float64)" in out
    rows = table_rows(out)
    assert list(rows) == ["0.W", "0.b", "2.W", "2.b", "4.W", "4.b", "input"]
    assert rows["0.W"][0] == "6×5" and rows["input"][0] == "4×6"
    assert all(err < 1e-6 and status == "ok" for _, err, status in rows.values())
    assert out.rstrip().splitlines()[-1].startswith("PASS: all 7 errors < 1e-06")


@pytest.mark.parametrize(
    ("args", "describe"),
    [
        # cross_entropy with a softmax output is what `train --loss cross_entropy` trains: fused
        (["--loss", "cross_entropy", "--activation", "tanh"], "6-5(tanh)-4(tanh)-3 with cross_entropy"),
        (["--loss", "mse", "--output", "softmax"], "6-5(relu)-4(relu)-3(softmax) with mse"),
        (["--loss", "cross_entropy", "--output", "sigmoid"], "6-5(relu)-4(relu)-3 with cross_entropy"),
        (["--loss", "mse", "--activation", "sigmoid,leaky_relu"], "6-5(sigmoid)-4(leakyrelu)-3(sigmoid)"),
        (["--loss", "binary_cross_entropy", "--classes", "1", "--batch", "1"], "6-5(relu)-4(relu)-1"),
        (["--hidden", "", "--loss", "mse"], "6-3(sigmoid)"),
        (["--hidden", "3,3,3", "--activation", "tanh", "--dropout", "0.3", "--inputs", "2"],
         "2-3(tanh)(dropout)-3(tanh)(dropout)-3(tanh)(dropout)-3"),
    ],
)
def test_networks_of_the_users_choice_pass(capsys, args, describe):
    assert main(["gradcheck", *args]) == 0
    out = capsys.readouterr().out
    assert f"gradient check of {describe}" in out
    assert out.rstrip().splitlines()[-1].startswith("PASS")


def test_a_tolerance_nothing_meets_fails_with_exit_1(capsys):
    assert main(["gradcheck", "--hidden", "3", "--tolerance", "1e-20"]) == 1
    captured = capsys.readouterr()
    assert captured.out.rstrip().splitlines()[-1].startswith("FAIL: 5 of 5 errors ≥ 1e-20")
    assert {status for *_, status in table_rows(captured.out).values()} == {"FAIL"}
    assert captured.err.count("\n") == 1 and captured.err.startswith("barenet: error: gradient check failed")


def test_a_broken_backward_is_caught(capsys, monkeypatch):
    monkeypatch.setattr(Sigmoid, "backward", lambda self, grad_out: grad_out * self.a)  # lost (1 − a)
    assert main(["gradcheck", "--activation", "sigmoid"]) == 1
    rows = table_rows(capsys.readouterr().out)
    assert rows["0.W"][2] == "FAIL" and rows["0.W"][1] > 1e-2
    assert rows["4.W"][2] == "ok"  # above the last sigmoid, nothing is broken


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hidden", "5,x"], "--hidden '5,x': expected positive integers"),
        (["--hidden", "5,0"], "--hidden '5,0'"),
        (["--activation", "softmax"], "unknown activation 'softmax'"),
        (["--hidden", "2,2,2", "--activation", "relu,tanh"], "lists 2 activations for 3 hidden layers"),
        (["--dropout", "1"], "--dropout must be in [0, 1), got 1.0"),
        (["--eps", "0"], "--eps must be positive"),
        (["--tolerance", "-1"], "--tolerance must be positive"),
        (["--batch", "0"], "--batch must be at least 1, got 0"),
        (["--classes", "1"], "needs --classes ≥ 2 (a softmax over one class is constant), got 1;"),
    ],
)
def test_bad_values_give_one_clear_line(capsys, args, message):
    assert main(["gradcheck", *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err


@pytest.mark.parametrize("args", [["--loss", "hinge"], ["--batch", "two"], ["--eps", "small"]])
def test_malformed_options_are_usage_errors(capsys, args):
    try:
        status = main(["gradcheck", *args])
    except SystemExit as exc:  # argparse's own exit, if the dispatcher lets it through
        status = exc.code
    assert status == 2
    assert "usage: barenet gradcheck" in capsys.readouterr().err


def test_python_dash_m_barenet_gradcheck():
    done = subprocess.run([sys.executable, "-m", "barenet", "gradcheck", "--hidden", "4", "--batch", "2"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("PASS: all 5 errors")
    assert done.stderr == ""


# --- a trained model ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trained_model(tmp_path_factory, mnist_slice_dir):
    """A 784-64-32-10 ReLU network with dropout, trained for 3 epochs on the MNIST slice."""
    path = tmp_path_factory.mktemp("trained") / "model.safetensors"
    train_tiny(path, mnist_slice_dir, hidden=[64, 32], dropout=0.2, epochs=3,
               normalization="standardize")
    return path


def test_a_trained_model_passes_on_its_own_images(capsys, trained_model, mnist_slice_dir):
    status = main(["gradcheck", "--model", str(trained_model), "--data-dir", str(mnist_slice_dir)])
    out = capsys.readouterr().out
    assert status == 0, out
    lines = out.splitlines()
    assert lines[0] == (f"gradient check of 784-64(relu)(dropout)-32(relu)(dropout)-10 from {trained_model}, "
                        "in a float64 copy of its float32 weights")
    assert lines[1].startswith("loss softmax_cross_entropy on 8 test images of mnist (seed 0), "
                               "inference mode: L = ")
    rows = table_rows(out)
    assert list(rows) == ["0.W", "0.b", "3.W", "3.b", "6.W", "6.b", "input"]
    assert rows["0.W"][0] == "784×64" and rows["input"][0] == "8×784"
    assert "20 of 50,176" in out and "10 of 10" in out  # a sample of each array, all of a small one
    assert all(status == "ok" for *_, status in rows.values())
    assert "error = max|backprop − numeric| / max(max|backprop|, max|numeric|, floor)" in out
    assert "the 2 entries of each array that disagree most:" in out
    assert lines[-1].startswith("PASS: all 7 errors < 1e-06")


def test_a_trained_batchnorm_model_passes_in_its_float64_copy(capsys, tmp_path, mnist_slice_dir):
    """Its running statistics go into the copy; inference-mode BatchNorm is an affine map."""
    path = tmp_path / "bn.safetensors"
    train_tiny(path, mnist_slice_dir, hidden=[16], epochs=1, batchnorm=True)
    status = main(["gradcheck", "--model", str(path), "--data-dir", str(mnist_slice_dir),
                   "--sample", "5", "--images", "4", "--no-progress"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "in a float64 copy of its float32 weights" in out.splitlines()[0]
    rows = table_rows(out)
    assert list(rows) == ["0.W", "0.b", "1.gamma", "1.beta", "3.W", "3.b", "input"]
    assert all(status == "ok" for *_, status in rows.values())
    assert "BatchNorm(n=16" in out


def test_side_by_side_values_are_the_checks(capsys, trained_model, mnist_slice_dir):
    """The printed backprop and numeric values are those of check_gradients on the same batch."""
    assert main(["gradcheck", "--model", str(trained_model), "--data-dir", str(mnist_slice_dir),
                 "--sample", "3", "--images", "2", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    side = [line.split() for line in out.split("disagree most:")[1].splitlines()
            if line.startswith(("0.W ", "input "))]
    assert len(side) == 4
    values = [(float(row[-3]), float(row[-2])) for row in side]
    assert all(abs(a - n) < 1e-8 for a, n in values)
    assert len({a for a, _ in values}) == 4  # four different entries


def test_a_broken_backward_in_a_trained_model_is_caught(capsys, monkeypatch, trained_model,
                                                         mnist_slice_dir):
    original = Dense.backward

    def broken(self, grad_out):  # every Dense passes back 1.5 δ Wᵀ
        dx = original(self, grad_out)
        return dx * 1.5

    monkeypatch.setattr(Dense, "backward", broken)
    assert main(["gradcheck", "--model", str(trained_model), "--data-dir", str(mnist_slice_dir)]) == 1
    rows = table_rows(capsys.readouterr().out)
    assert rows["0.W"][2] == "FAIL" and rows["input"][2] == "FAIL"
    assert rows["6.W"][2] == "ok" and rows["6.b"][2] == "ok"  # nothing below the last layer's input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hidden", "3"], "--hidden describe a random network; with --model the network"),
        (["--loss", "mse", "--batch", "2"], "--loss, --batch describe a random network"),
        (["--images", "0"], "--images must be at least 1, got 0"),
        (["--sample", "0"], "--sample must be at least 1, got 0"),
        (["--images", "5000"], "--images 5000: the test split has only 1000 images"),
    ],
)
def test_model_option_errors_are_one_line(capsys, trained_model, mnist_slice_dir, args, message):
    assert main(["gradcheck", "--model", str(trained_model), "--data-dir", str(mnist_slice_dir),
                 *args]) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if not line.startswith("note:")]
    assert captured.out == "" and len(errors) == 1  # (the slice's data is noted as not canonical)
    assert errors[0].startswith("barenet: error: ") and message in errors[0]


def test_a_missing_model_file_is_one_line(capsys, tmp_path):
    assert main(["gradcheck", "--model", str(tmp_path / "none.safetensors")]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "model file not found" in captured.err
