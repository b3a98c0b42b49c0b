"""`barenet predict`: photos of MNIST test digits read back, --json, --show, every kind of bad
input as one line on stderr with the other files still read, light imports, and the accuracy on
photos against the accuracy on the original digits."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from PIL import Image

from barenet.cli import main
from barenet.digits import prepare_image
from photo_digits import load_mnist, write_photos
from web_fixtures import web_model


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """(path, TrainedModel) of the session's small MNIST model."""
    return web_model(tmp_path_factory)


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """Photos (PNG and JPEG) of the first 12 MNIST test digits, their labels and the digits."""
    digits, labels = load_mnist("t10k", 12)
    paths = write_photos(digits, tmp_path_factory.mktemp("photos"), np.random.default_rng(0))
    return paths, labels, digits


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "barenet", "predict", *args], capture_output=True,
                          text=True, timeout=120)


def bomb_png(side: int = 20000) -> bytes:
    """A tiny PNG whose header claims side×side pixels: Pillow refuses it as a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b""))
            + chunk(b"IEND", b""))


def test_one_line_per_photo(model, photos, capsys):
    path, trained = model
    paths, labels, _ = photos
    status = main(["predict", str(path), *map(str, paths)])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(paths)
    expected = trained.predict_proba(np.stack([prepare_image(p).pixels for p in paths]))  # (12, 10)
    right = 0
    for line, p, label, proba in zip(lines, paths, labels, expected, strict=True):
        best, second, third = np.argsort(-proba)[:3]
        assert line.startswith(f"{p}: {best} ({proba[best]:.1%})"), line
        assert f"next: {second} ({proba[second]:.1%}), {third} ({proba[third]:.1%})" in line
        right += best == label
    assert right >= 11  # as the model reads the original digits (test digit 8 is a hard 5)


def test_json(model, photos, capsys):
    path, _ = model
    paths, _, _ = photos
    missing = paths[0].parent / "missing.png"
    status = main(["predict", str(path), str(paths[0]), str(missing), str(paths[1]), "--json"])
    out, err = capsys.readouterr()
    assert status == 1
    listing = json.loads(out)
    assert [entry["file"] for entry in listing] == [str(paths[0]), str(missing), str(paths[1])]
    for entry in (listing[0], listing[2]):
        assert set(entry) == {"file", "digit", "probabilities", "notes"}
        assert len(entry["probabilities"]) == 10 and sum(entry["probabilities"]) == pytest.approx(1.0)
        assert entry["digit"] == str(int(np.argmax(entry["probabilities"])))  # class order
        assert entry["notes"] == []
    assert set(listing[1]) == {"file", "error", "notes"} and "not found" in listing[1]["error"]
    assert err.count("\n") == 1 and err.startswith("barenet: error: ") and str(missing) in err


def test_notes_go_to_stderr_and_json(model, tmp_path, capsys):
    path, _ = model
    digits, _ = load_mnist("t10k", 1)
    first = Image.fromarray((255 * (1 - digits[0])).astype(np.uint8)).resize((140, 140))
    gif = tmp_path / "animated.gif"
    first.save(gif, save_all=True, append_images=[Image.new("L", (140, 140), 255)])
    assert main(["predict", str(path), str(gif), "--json"]) == 0
    out, err = capsys.readouterr()
    (entry,) = json.loads(out)
    assert entry["digit"] == "7" and any("frames" in note for note in entry["notes"])
    assert err.startswith(f"barenet: note: {gif}: the image has 2 frames")


def bad_files(folder, photo) -> dict[str, object]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    files["not-an-image"] = folder / "notes.png"
    files["not-an-image"].write_text("these are not pixels")
    files["empty"] = folder / "empty.png"
    files["empty"].write_bytes(b"")
    data = photo.read_bytes()
    files["truncated"] = folder / "cut.png"
    files["truncated"].write_bytes(data[: len(data) // 3])
    files["blank"] = folder / "blank.png"
    Image.new("L", (300, 200), 235).save(files["blank"])
    files["too-small"] = folder / "small.png"
    Image.fromarray(np.eye(5, dtype=np.uint8) * 255).save(files["too-small"])
    files["bomb"] = folder / "bomb.png"
    files["bomb"].write_bytes(bomb_png())
    files["missing"] = folder / "missing.jpg"
    files["directory"] = folder
    return files


EXPECTED = {
    "not-an-image": "is not an image Pillow can read",
    "empty": "is empty (0 bytes)",
    "truncated": "is truncated or corrupt",
    "blank": "no ink found",
    "too-small": "too small to hold a digit",
    "bomb": "decompression bomb",
    "missing": "not found",
    "directory": "is a directory",
}


def test_each_bad_file_is_one_line_and_the_others_are_still_read(model, photos, tmp_path, capsys):
    path, _ = model
    paths, labels, _ = photos
    files = bad_files(tmp_path / "bad", paths[0])
    arguments = [str(paths[0]), *map(str, files.values()), str(paths[2])]
    status = main(["predict", str(path), *arguments])
    out, err = capsys.readouterr()
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{paths[0]}: {labels[0]} (")
    assert lines[1].startswith(f"{paths[2]}: {labels[2]} (")
    errors = err.splitlines()
    assert len(errors) == len(files)
    for line, (kind, file) in zip(errors, files.items(), strict=True):
        assert line.startswith("barenet: error: ") and str(file) in line, kind
        assert EXPECTED[kind] in line, (kind, line)
        assert "Traceback" not in line


def test_all_bad_is_status_1(model, tmp_path):
    path, _ = model
    result = run(str(path), str(tmp_path / "nothing.png"))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not found" in result.stderr


@pytest.mark.parametrize("content", [b"", b"not a model", b"\x80\x04K\x01."], ids=["empty", "text", "pickle"])
def test_a_bad_model_is_one_line(photos, tmp_path, content):
    paths, _, _ = photos
    bad = tmp_path / "model.safetensors"
    bad.write_bytes(content)
    result = run(str(bad), str(paths[0]))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"barenet: error: {bad}")
    result = run(str(tmp_path / "none.safetensors"), str(paths[0]))
    assert result.returncode == 1 and "model file not found" in result.stderr


def test_no_images_is_a_usage_error(model, capsys):
    path, _ = model
    assert main(["predict", str(path)]) == 2
    assert "IMAGE" in capsys.readouterr().err


def test_show_saves_a_figure(model, photos, tmp_path, capsys):
    path, _ = model
    paths, _, _ = photos
    out_png = tmp_path / "shown.png"
    assert main(["predict", str(path), str(paths[0]), str(paths[1]), str(tmp_path / "x.png"),
                 "--show", str(out_png)]) == 1
    capsys.readouterr()
    with Image.open(out_png) as figure:
        width, height = figure.size
    assert width > 300 and height > 2 * 200  # two rows: the bad file is left out
    (tmp_path / "a-file").write_text("not a directory")
    assert main(["predict", str(path), str(paths[0]), "--show", str(tmp_path / "a-file" / "f.png")]) == 1
    assert "--show" in capsys.readouterr().err  # refused before any image is read
    assert main(["predict", str(path), str(paths[0]), "--show", str(tmp_path / "new" / "f.png")]) == 0
    assert (tmp_path / "new" / "f.png").is_file()  # parent directories made, as for --plot


def test_imports_stay_light(model, photos):
    """No matplotlib, tqdm or the dataset code for a plain prediction: start-up time matters."""
    path, _ = model
    paths, _, _ = photos
    code = ("import sys; from barenet.cli import main; "
            "status = main(['predict', sys.argv[1], sys.argv[2]]); "
            "heavy = [m for m in ('matplotlib', 'tqdm', 'barenet.data', 'barenet.experiment.splits', "
            "'barenet.web.server', 'http.server') if m in sys.modules]; "
            "print('HEAVY', heavy); sys.exit(status)")
    result = subprocess.run([sys.executable, "-c", code, str(path), str(paths[0])], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout


@pytest.mark.slow
def test_photos_are_read_almost_as_well_as_the_original_digits(model, tmp_path):
    """On 500 photos of MNIST test digits, within 1.5 points of the accuracy on the digits."""
    path, trained = model
    digits, labels = load_mnist("t10k", 500)
    paths = write_photos(digits, tmp_path / "photos", np.random.default_rng(1))
    original = float((trained.predict_proba(digits).argmax(axis=1) == labels).mean())
    result = run(str(path), *map(str, paths), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    listing = json.loads(result.stdout)
    photo = float(np.mean([entry["digit"] == str(label)
                           for entry, label in zip(listing, labels, strict=True)]))
    assert original > 0.9
    assert photo >= original - 0.015, (photo, original)
