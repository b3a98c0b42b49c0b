"""Downloads, for real, against local HTTP mirrors on 127.0.0.1 (no test reaches the internet)."""

from __future__ import annotations

import pytest

import barenet.data.download as download
from barenet.data import DATASETS, load_dataset
from barenet.data.datasets import IDX_FILES
from barenet.errors import DataError
from data_helpers import (
    BUNDLED_MNIST,
    Mirror,
    closed_port_url,
    corrupt,
    gz_files,
    snapshot,
    tiny_arrays,
    tiny_spec,
)

FAST = {"timeout": 5.0, "retries": 1, "backoff": 0.0, "progress": False}


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    """A registered dataset "tiny" whose canonical checksums are those of small random arrays."""
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    arrays = tiny_arrays()
    monkeypatch.setitem(DATASETS, "tiny", tiny_spec(arrays))
    return gz_files(arrays)


def leftovers(directory):
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_good_mirror(tiny, tmp_path):
    target = tmp_path / "dl"
    with Mirror().serve("ok", tiny) as good:
        ds = load_dataset("tiny", target, mirrors=[good.url], **FAST)
    assert ds.canonical
    assert all(r.downloaded and r.status == "verified" for r in ds.files.values())
    assert leftovers(target) == sorted(IDX_FILES.values())  # no temporary file left
    assert sorted(good.requests) == sorted(f"/{n}" for n in IDX_FILES.values())
    for name, body in tiny.items():
        assert (target / name).read_bytes() == body


def test_mirror_without_trailing_slash(tiny, tmp_path):
    files = {f"sub/{name}": body for name, body in tiny.items()}
    with Mirror().serve("ok", files) as good:
        assert load_dataset("tiny", tmp_path / "dl", mirrors=[good.url + "sub"], **FAST).canonical


def test_into_the_user_cache_when_no_directory_given(tiny, tmp_path):
    with Mirror().serve("ok", tiny) as good:
        ds = load_dataset("tiny", mirrors=[good.url], **FAST)
    assert ds.source == "cache" and ds.directory == tmp_path / "cache" / "barenet" / "tiny"
    assert ds.canonical


def test_progress_bar_on_stderr(tiny, tmp_path, capsys):
    with Mirror().serve("ok", tiny) as good:
        load_dataset("tiny", tmp_path / "dl", mirrors=[good.url], **{**FAST, "progress": True})
    out, err = capsys.readouterr()
    assert out == "" and "train-images-idx3-ubyte.gz" in err


def test_corrupted_mirror_then_good_one(tiny, tmp_path):
    target = tmp_path / "dl"
    with Mirror().serve("ok", corrupt(tiny)) as bad, Mirror().serve("ok", tiny) as good:
        ds = load_dataset("tiny", target, mirrors=[bad.url, good.url], **FAST)
    assert ds.canonical
    assert len(bad.requests) == 4 and len(good.requests) == 4  # each file: bad, then good
    assert leftovers(target) == sorted(IDX_FILES.values())


def test_corrupted_everywhere_is_fatal_and_leaves_nothing(tiny, tmp_path):
    target = tmp_path / "dl"
    with Mirror().serve("ok", corrupt(tiny)) as bad:
        with pytest.raises(DataError, match=r"cannot download train-images-idx3-ubyte\.gz for "
                                            r"TINY from any mirror \(127\.0\.0\.1:\d+: checksum "
                                            r"mismatch \(SHA-256 of the decompressed content"):
            load_dataset("tiny", target, mirrors=[bad.url], **FAST)
    assert leftovers(target) == []


def test_mirror_serving_garbage(tiny, tmp_path):
    garbage = {name: b"<html>moved</html>" for name in tiny}
    with Mirror().serve("ok", garbage) as bad, Mirror().serve("ok", tiny) as good:
        assert load_dataset("tiny", tmp_path / "a", mirrors=[bad.url, good.url], **FAST).canonical
    with Mirror().serve("ok", garbage) as bad:
        with pytest.raises(DataError, match=r"served a broken file \(named \.gz but not a gzip"):
            load_dataset("tiny", tmp_path / "b", mirrors=[bad.url], **FAST)


def test_unreachable_mirror_then_good_one(tiny, tmp_path):
    with Mirror().serve("ok", tiny) as good:
        ds = load_dataset("tiny", tmp_path / "dl", mirrors=[closed_port_url(), good.url], **FAST)
    assert ds.canonical


def test_no_network_one_message_naming_the_four_files_and_directory(tiny, tmp_path):
    target = tmp_path / "dl"
    with pytest.raises(DataError) as ei:
        load_dataset("tiny", target, mirrors=[closed_port_url(), closed_port_url()], **FAST)
    message = str(ei.value)
    assert "\n" not in message
    assert message.startswith("cannot download TINY: no mirror reachable")
    for name in IDX_FILES.values():
        assert name in message
    assert f"in {target}, or pass --data-dir" in message
    assert leftovers(target) == []


def test_interrupted_transfer_is_retried_then_next_mirror(tiny, tmp_path):
    target = tmp_path / "dl"
    with Mirror().serve("cut", tiny) as cut, Mirror().serve("ok", tiny) as good:
        ds = load_dataset("tiny", target, mirrors=[cut.url, good.url], **FAST)
    assert ds.canonical
    assert len(cut.requests) == 8  # 1 try + 1 retry for each of the four files
    assert leftovers(target) == sorted(IDX_FILES.values())


def test_interrupted_transfer_everywhere_never_looks_complete(tiny, tmp_path):
    target = tmp_path / "dl"
    with Mirror().serve("cut", tiny) as cut:
        with pytest.raises(DataError, match="transfer cut short"):
            load_dataset("tiny", target, mirrors=[cut.url], **FAST)
    assert leftovers(target) == []


def test_missing_on_first_mirror(tiny, tmp_path):
    with Mirror() as empty, Mirror().serve("ok", tiny) as good:
        assert load_dataset("tiny", tmp_path / "a", mirrors=[empty.url, good.url], **FAST).canonical
    with Mirror() as empty:
        with pytest.raises(DataError, match=r"HTTP 404"):
            load_dataset("tiny", tmp_path / "b", mirrors=[empty.url], **FAST)


def test_server_error_is_retried(tiny, tmp_path):
    with Mirror().serve("500", tiny) as broken:
        with pytest.raises(DataError, match="HTTP 500"):
            load_dataset("tiny", tmp_path / "dl", mirrors=[broken.url], **FAST)
    # 5xx is transient: one retry (retries=1); then the first file cannot be had, which ends
    # the download with a message about that file
    assert broken.requests == ["/train-images-idx3-ubyte.gz"] * 2


def test_timeout(tiny, tmp_path):
    with Mirror(delay=1.0).serve("slow", tiny) as slow:
        with pytest.raises(DataError, match="timed out"):
            load_dataset("tiny", tmp_path / "dl", mirrors=[slow.url],
                         **{**FAST, "timeout": 0.2, "retries": 0})


def test_only_missing_files_are_downloaded_and_present_ones_untouched(tiny, tmp_path):
    target = tmp_path / "dl"
    target.mkdir()
    for name, body in tiny.items():
        if name != "t10k-labels-idx1-ubyte.gz":
            (target / name).write_bytes(body)
    before = snapshot(target)
    with Mirror().serve("ok", tiny) as good:
        ds = load_dataset("tiny", target, mirrors=[good.url], **FAST)
    assert good.requests == ["/t10k-labels-idx1-ubyte.gz"]
    assert [r.downloaded for r in ds.files.values()] == [False, False, False, True]
    after = snapshot(target)
    assert {k: after[k] for k in before} == before


def test_keyboard_interrupt_mid_download_leaves_no_file(tiny, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(download, "_verify", interrupted)
    target = tmp_path / "dl"
    with Mirror().serve("ok", tiny) as good:
        with pytest.raises(KeyboardInterrupt):
            load_dataset("tiny", target, mirrors=[good.url], **FAST)
    assert leftovers(target) == []


def test_disk_full_is_one_message_and_leaves_nothing(tiny, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(download.os, "replace", full)
    target = tmp_path / "dl"
    with Mirror().serve("ok", tiny) as good:
        with pytest.raises(DataError, match=r"cannot be written \(No space left on device\); free"):
            load_dataset("tiny", target, mirrors=[good.url], **FAST)
    assert leftovers(target) == []


def test_target_directory_that_cannot_be_created(tiny, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DataError, match="cannot create the data directory"):
        load_dataset("tiny", blocker / "sub", mirrors=[closed_port_url()], **FAST)


def test_real_mnist_from_a_local_mirror(monkeypatch, tmp_path):
    """The genuine files through the genuine path: canonical SHA-256 of the content."""
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    files = {name: (BUNDLED_MNIST / name).read_bytes() for name in IDX_FILES.values()}
    with Mirror().serve("ok", files) as mirror:
        ds = load_dataset("mnist", tmp_path / "mnist", mirrors=[mirror.url], **FAST)
    assert ds.canonical and ds.train_images.shape == (60000, 28, 28)
    assert all(r.downloaded for r in ds.files.values())
