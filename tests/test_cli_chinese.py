"""The command line speaks Chinese to a Chinese locale (or `--lang zh`), and English under LANG=C.

A Chinese learner never reads an English sentence on the common path: the help of every
subcommand, a short training run, the results of `evaluate`, `info`, `predict`, `gradcheck`,
`data` and `plot`, and the errors the CLI tests provoke (a bad path, a FIFO, a corrupt model file,
an unknown option, bad flag values, an image with no ink). "English sentence" is what
`english_runs` finds: four or more English words in a row, once paths, flags, code identifiers,
numbers and all-capital names (metavars, PNG, ONNX) are set aside.
"""

from __future__ import annotations

import os
import re

import pytest

from barenet.cli import COMMANDS, language_in, main
from model_fixtures import bad_model_files, train_tiny

CODE_CHARS = set("_/\\{}[]=<>@#~$|*+%&^")
EDGES = "()[]{}'\"`,;:.!?"
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # CJK and full-width punctuation


def is_code(token: str) -> bool:
    """A path, flag, identifier, number or metavar: not a word of a sentence."""
    core = token.strip(EDGES)
    return (not core or core.startswith("-") or any(c in CODE_CHARS or c.isdigit() for c in token)
            or core.isupper() or not WORD.fullmatch(core))


def english_runs(text: str, length: int = 4) -> list[str]:
    """Runs of `length` or more English words in `text`, separated by spaces (a comma ends a run,
    so that a list of names, "sgd, momentum, adam, …", is no sentence); Chinese characters and
    full-width punctuation end a run too, code is skipped."""
    runs = []
    for line in text.splitlines():
        for piece in CJK.split(line):
            run: list[str] = []
            for token in [*piece.split(), ","]:
                if not is_code(token):
                    run.append(token)
                if token.endswith(","):
                    if len(run) >= length:
                        runs.append(" ".join(run))
                    run = []
    return runs


def test_the_detector_finds_english_sentences_and_skips_code():
    assert english_runs("barenet：错误：the file is corrupt; replace it") == [
        "the file is corrupt; replace it"]
    assert english_runs("提示：{path} held out for validation instead") == ["held out for validation instead"]
    assert english_runs("用法：barenet train [-h] [--config FILE] [--resume CHECKPOINT] [--dataset X]") == []
    assert english_runs("  隐藏层  32  激活函数 relu  输出 softmax  损失函数 cross_entropy") == []
    assert english_runs("/tmp/a/b/model.safetensors --lr 0.001 784-512(relu)-10 softmax_cross_entropy") == []
    assert english_runs("三个 English words 而已") == []
    assert english_runs("可选：sgd, momentum, nesterov, rmsprop, adam") == []
    assert english_runs("barenet：错误：cannot read it, the file is corrupt") == ["the file is corrupt"]


# ---- running the command line --------------------------------------------------------------


@pytest.fixture
def chinese(monkeypatch):
    """A Chinese locale, nothing else set."""
    for variable in ("BARENET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


@pytest.fixture
def posix(monkeypatch):
    """LANG=C: English."""
    for variable in ("BARENET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C")


def run(capsys, argv: list[str]) -> tuple[int, str]:
    """barenet `argv` in this process: (exit status, stdout + stderr)."""
    status = main(argv)
    out = capsys.readouterr()
    return status, out.out + out.err


def assert_chinese(text: str) -> None:
    assert CJK.search(text), f"no Chinese at all:\n{text}"
    runs = english_runs(text)
    assert not runs, "English sentences in the Chinese output:\n" + "\n".join(runs) + "\n---\n" + text


HELPS = [[], ["--help"], *[[name, "--help"] for name in COMMANDS]]


@pytest.mark.parametrize("argv", HELPS, ids=lambda a: " ".join(a) or "(nothing)")
def test_every_help_is_chinese_under_a_chinese_locale(chinese, capsys, argv):
    _status, text = run(capsys, argv)
    assert "用法：" in text and "\n选项：\n" in text  # headings end in a Chinese colon
    assert_chinese(text)


@pytest.mark.parametrize("argv", HELPS[1:], ids=lambda a: " ".join(a))
def test_every_help_is_chinese_with_lang_zh(posix, capsys, argv):
    before, after = run(capsys, ["--lang", "zh", *argv]), run(capsys, [*argv, "--lang=zh"])
    for status, text in (before, after):
        assert status == 0
        assert_chinese(text)


@pytest.mark.parametrize("argv", HELPS[1:3], ids=lambda a: " ".join(a))
def test_english_stays_english_under_lang_c(posix, capsys, argv):
    status, text = run(capsys, argv)
    assert status == 0 and "show this help message and exit" in text and "usage: barenet" in text
    assert not CJK.search(text)
    status, forced = run(capsys, ["--lang", "en", *argv])
    assert (status, forced) == (0, text)


def test_lang_is_taken_wherever_it_stands():
    assert language_in(["train", "--lang", "zh", "--epochs", "1"]) == ("zh", ["train", "--epochs", "1"])
    assert language_in(["--lang=en", "info", "m.safetensors"]) == ("en", ["info", "m.safetensors"])
    assert language_in(["train", "--lang", "fr"]) == (None, ["--lang", "fr", "train"])
    assert language_in(["predict", "--", "--lang", "zh"]) == (None, ["predict", "--", "--lang", "zh"])


def test_a_language_barenet_does_not_speak_is_refused(posix, capsys):
    status, text = run(capsys, ["train", "--lang", "fr"])
    assert status == 2 and "invalid choice: 'fr'" in text


# ---- a short training run and the commands that read its model ---------------------------


@pytest.fixture(scope="module")
def model(tmp_path_factory, mnist_slice_dir):
    path = tmp_path_factory.mktemp("chinese-model") / "tiny.safetensors"
    train_tiny(path, mnist_slice_dir, epochs=1)
    return path


def test_a_training_run_speaks_chinese(chinese, capsys, tmp_path, mnist_slice_dir):
    status, text = run(capsys, ["train", "--data-dir", str(mnist_slice_dir), "--epochs", "1",
                                "--hidden", "32", "--val-size", "500", "--augment", "affine",
                                "--out", str(tmp_path / "m.safetensors")])
    assert status == 0, text
    for words in ("个参数", "数据：", "训练：", "第 1/1 轮", "训练损失", "验证损失", "测试准确率",
                  "模型：", "检查点：", "学习曲线：", "完成，用时"):
        assert words in text, words
    assert_chinese(text)


def test_the_same_run_under_lang_c_is_english(posix, capsys, tmp_path, mnist_slice_dir):
    status, text = run(capsys, ["train", "--data-dir", str(mnist_slice_dir), "--epochs", "1",
                                "--hidden", "8", "--val-size", "100", "--quiet",
                                "--out", str(tmp_path / "m.safetensors")])
    assert status == 0 and "test accuracy" in text and "train loss" in text
    assert not CJK.search(text)


def results(model, digit_png, mnist_slice_dir):
    return {
        "evaluate": ["evaluate", str(model), "--data-dir", str(mnist_slice_dir)],
        "info": ["info", str(model)],
        "predict": ["predict", str(model), str(digit_png)],
        "gradcheck": ["gradcheck", "--hidden", "3", "--inputs", "4", "--classes", "2"],
        "gradcheck --model": ["gradcheck", "--model", str(model), "--images", "2", "--sample", "3",
                              "--data-dir", str(mnist_slice_dir)],
        "data": ["data", "--data-dir", str(mnist_slice_dir), "--no-download"],
    }


@pytest.mark.parametrize("command", ["evaluate", "info", "predict", "gradcheck", "gradcheck --model",
                                     "data"])
def test_the_results_speak_chinese(chinese, capsys, model, digit_png, mnist_slice_dir, command):
    status, text = run(capsys, results(model, digit_png, mnist_slice_dir)[command])
    assert status == 0, text
    assert_chinese(text)


def test_plot_speaks_chinese(chinese, capsys, model, tmp_path):
    status, text = run(capsys, ["plot", str(model), "--out", str(tmp_path / "fig")])
    assert status == 0 and "学习曲线：" in text
    assert_chinese(text)


# ---- the mistakes the CLI tests provoke ---------------------------------------------------


def mistakes(tmp_path, model, digit_png, mnist_slice_dir) -> dict[str, list[str]]:
    import numpy as np
    from PIL import Image

    bad = bad_model_files(tmp_path / "bad")
    fifo = tmp_path / "fifo.safetensors"
    os.mkfifo(fifo)
    blank = tmp_path / "blank.png"
    Image.fromarray(np.full((40, 40), 255, np.uint8)).save(blank)
    quick = ["train", "--data-dir", str(mnist_slice_dir), "--hidden", "8", "--epochs", "1",
             "--val-size", "100", "--quiet", "--out", str(tmp_path / "run" / "m.safetensors")]
    return {
        "missing model": ["evaluate", str(bad["missing"])],
        "pickle": ["info", str(bad["pickle"])],
        "random bytes": ["info", str(bad["random"])],
        "empty model": ["predict", str(bad["empty"]), str(digit_png)],
        "FIFO model": ["info", str(fifo)],
        "FIFO out": [*quick[:-1], str(fifo)],
        "missing image": ["predict", str(model), str(tmp_path / "nothing.png")],
        "image with no ink": ["predict", str(model), str(blank)],
        "not an image": ["predict", str(model), str(bad["random"])],
        "unknown option": ["train", "--bogus"],
        "unknown command": ["trian"],
        "missing argument": ["evaluate"],
        "not a number": ["train", "--epochs", "x"],
        "bad choice": ["evaluate", str(model), "--split", "dev"],
        "negative lr": [*quick, "--lr", "-1"],
        "dropout 2": [*quick, "--dropout", "2"],
        "loss and output": [*quick, "--loss", "mse", "--output", "sigmoid", "--label-smoothing", "0.1"],
        "unknown activation": [*quick, "--activation", "swish"],
        "missing config": ["train", "--config", str(tmp_path / "none.toml")],
        "missing data": ["data", "--data-dir", str(tmp_path / "empty-dir"), "--no-download"],
        "out not safetensors": [*quick[:-1], str(tmp_path / "m.pt")],
        "diverging lr": [*quick, "--lr", "1e9"],
        "gradcheck bad hidden": ["gradcheck", "--hidden", "a,b"],
        "serve bad port": ["serve", str(model), "--port", "70000"],
        "mistakes out of range": ["evaluate", str(model), "--mistakes", "0"],
    }


MISTAKES = ["missing model", "pickle", "random bytes", "empty model", "FIFO model",
            "FIFO out",
            "missing image", "image with no ink", "not an image", "unknown option", "unknown command",
            "missing argument", "not a number", "bad choice", "negative lr", "dropout 2",
            "loss and output", "unknown activation", "missing config", "missing data",
            "out not safetensors", "diverging lr", "gradcheck bad hidden", "serve bad port",
            "mistakes out of range"]


@pytest.mark.parametrize("mistake", MISTAKES)
def test_every_mistake_is_told_in_chinese(chinese, capsys, tmp_path, model, digit_png,
                                          mnist_slice_dir, mistake):
    (tmp_path / "empty-dir").mkdir()
    status, text = run(capsys, mistakes(tmp_path, model, digit_png, mnist_slice_dir)[mistake])
    assert status in (1, 2), text
    assert "Traceback" not in text
    assert "错误：" in text, text
    assert_chinese(text)


@pytest.mark.parametrize("mistake", ["missing model", "FIFO model", "image with no ink",
                                     "unknown option", "negative lr"])
def test_the_same_mistakes_are_english_under_lang_c(posix, capsys, tmp_path, model, digit_png,
                                                    mnist_slice_dir, mistake):
    (tmp_path / "empty-dir").mkdir()
    status, text = run(capsys, mistakes(tmp_path, model, digit_png, mnist_slice_dir)[mistake])
    assert status in (1, 2) and "error: " in text
    assert not CJK.search(text), text


def test_chinese_help_wraps_by_terminal_columns_without_breaking_words():
    from barenet.cli.columns import width, wrap

    text = "权重初始化方法：auto、he_normal、xavier_uniform、lecun_normal、normal:0.01 等（给一个）"
    lines = wrap(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert all(width(line.rstrip("，、）")) <= 20 for line in lines)  # a closing mark may hang
    assert "normal:0.01" in " ".join(lines) and not any(line[0] in "，）、" for line in lines)
    assert wrap("aaa（bbb）", 4) == ["aaa", "（bbb）"]  # an opening mark goes with what it opens
    assert wrap("the quick brown fox", 10) == ["the quick", "brown fox"]


def test_the_chinese_help_stays_within_the_terminal(chinese, capsys, monkeypatch):
    from barenet.cli.columns import width

    monkeypatch.setenv("COLUMNS", "80")
    _status, text = run(capsys, ["train", "--help"])
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("[", "用法"))]
    assert max(width(line) for line in lines) <= 80


def test_the_drawing_pages_api_answers_in_english_while_the_console_speaks_chinese(model):
    """The page translates the server's messages itself (static/app.js): its API stays English."""
    import json

    import numpy as np

    from barenet.digits.recognize import Recognizer
    from barenet.i18n import _, speaking
    from barenet.saving import modelfile
    from barenet.web.api import RequestError, predict_response

    recognizer = Recognizer(modelfile.load(model))
    with speaking("zh"):
        assert _("interrupted") == "已中断"
        blank = predict_response(recognizer, json.dumps({"pixels": np.zeros((28, 28)).tolist()}).encode())
        with pytest.raises(RequestError) as refused:
            predict_response(recognizer, b'{"image": 3}')
        assert _("interrupted") == "已中断"  # the request's English ended with it
    assert blank["message"] == "draw a digit"
    assert "'image' must be a string" in str(refused.value)


def test_info_shows_the_engines_layer_table_in_chinese_aligned_by_columns(chinese, capsys, model):
    from barenet.cli.columns import width

    status, text = run(capsys, ["info", str(model)])
    assert status == 0 and "参数总数：" in text and "（predict_proba 里的 softmax）" in text
    table = text.split("\n\n")[1].splitlines()  # header, rule, one row per layer, total
    assert table[0].startswith("#  层") and set(table[1]) == {"-"}
    assert width(table[1]) == width(table[0])  # the rule spans the header in terminal columns
    column = width(table[0][: table[0].index("输出")])
    for row in table[2:-1]:  # every output size starts under the word 输出
        at, used = 0, 0
        while used < column:
            used += width(row[at])
            at += 1
        assert used == column and row[at].isdigit() and row[at - 1] == " ", row
