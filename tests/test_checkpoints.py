import os
import pickle

import numpy as np
import pytest
import torch
import torchvision

from train_backend.io.checkpoints import CheckpointError, InputSpec, atomic_save, make_checkpoint, save_checkpoint
from train_backend.io.weights import load_weights
from train_backend.models import build_model

TINY = {"width": 0.25, "hidden": 32}


@pytest.fixture
def tiny_ckpt(tmp_path):
    torch.manual_seed(0)
    m = build_model("paper", num_classes=4, **TINY)
    path = tmp_path / "tiny.pt"
    save_checkpoint(path, m, ["a", "b", "c", "d"], InputSpec(96, 3, (0.5,) * 3, (0.2,) * 3))
    return path, m


def test_roundtrip(tiny_ckpt):
    path, m = tiny_ckpt
    w = load_weights(path)
    assert w.classes == ["a", "b", "c", "d"] and w.input.size == 96 and w.trained
    assert w.model.config() == m.config()
    for k, v in m.state_dict().items():
        torch.testing.assert_close(w.model.state_dict()[k], v)


def test_atomic_save_survives_a_crash_mid_write(tmp_path, monkeypatch, tiny_ckpt):
    path, m = tiny_ckpt
    before = path.read_bytes()
    real_save = torch.save

    def crash(obj, f, *a, **k):
        if isinstance(f, (str, os.PathLike)):
            with open(f, "wb") as fh:
                fh.write(b"PK\x03\x04 half a zip")
        else:
            f.write(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(OSError):
        save_checkpoint(path, m, ["a", "b", "c", "d"], InputSpec())
    monkeypatch.setattr(torch, "save", real_save)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    load_weights(path)


def test_read_only_folder_gives_a_clear_error(tmp_path, tiny_ckpt):
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    with pytest.raises(PermissionError):
        atomic_save({"x": 1}, ro / "c.pt")


@pytest.mark.parametrize("content,needle", [
    (b"", "empty"),
    (np.random.default_rng(0).bytes(5000), "not a PyTorch weights file"),
    (b"PK\x03\x04" + bytes(100), "not a PyTorch weights file"),
], ids=["empty", "random", "broken-zip"])
def test_garbage_files(tmp_path, content, needle):
    p = tmp_path / "bad.pt"
    p.write_bytes(content)
    with pytest.raises(CheckpointError, match=needle):
        load_weights(p)


def test_truncated_checkpoint(tiny_ckpt, tmp_path):
    path, _ = tiny_ckpt
    cut = tmp_path / "cut.pt"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CheckpointError, match="cut.pt"):
        load_weights(cut)


def test_a_pickle_that_would_run_code_is_refused(tmp_path):
    from tests.faults.evil import MARKER, Evil

    p = tmp_path / "evil.pt"
    torch.save({"state_dict": Evil()}, p)
    MARKER.unlink(missing_ok=True)
    with pytest.raises(CheckpointError, match="run code"):
        load_weights(p)
    assert not MARKER.exists()
    raw = tmp_path / "raw.pkl"
    raw.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(CheckpointError):
        load_weights(raw)
    assert not MARKER.exists()


def test_another_architecture(tmp_path, tiny_ckpt):
    path, _ = tiny_ckpt
    with pytest.raises(CheckpointError, match="not the 'torchvision'"):
        load_weights(path, expect_variant="torchvision")
    p = tmp_path / "resnet.pt"
    torch.save(torchvision.models.resnet18(num_classes=3).state_dict(), p)
    with pytest.raises(CheckpointError, match="not an AlexNet"):
        load_weights(p)
    ck = make_checkpoint(build_model("paper", num_classes=4, **TINY), list("abcd"), InputSpec())
    ck["state_dict"]["conv2.weight"] = torch.zeros(3, 3)
    p2 = tmp_path / "mangled.pt"
    torch.save(ck, p2)
    with pytest.raises(CheckpointError, match="does not fit"):
        load_weights(p2)


def test_class_count_mismatch_and_reinit(tiny_ckpt):
    path, m = tiny_ckpt
    with pytest.raises(CheckpointError, match="4 classes but 7"):
        load_weights(path, num_classes=7)
    w = load_weights(path, num_classes=7, reinit_classifier=True)
    assert w.model.fc8.out_features == 7
    torch.testing.assert_close(w.model.conv1.weight, m.conv1.weight)


def test_torchvision_state_dict_loads_into_the_torchvision_variant(tmp_path):
    torch.manual_seed(1)
    ref = torchvision.models.alexnet(weights=None).eval()
    p = tmp_path / "alexnet-owt-7be5be79.pth"
    torch.save(ref.state_dict(), p)
    w = load_weights(p)
    assert w.model.variant == "torchvision" and len(w.classes) == 1000 and w.input.size == 224
    assert w.classes[0] == "tench"
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        torch.testing.assert_close(w.model(x), ref(x))


def test_newer_format_version_is_refused(tmp_path, tiny_ckpt):
    path, _ = tiny_ckpt
    ck = torch.load(path, weights_only=True)
    ck["version"] = 99
    p = tmp_path / "future.pt"
    torch.save(ck, p)
    with pytest.raises(CheckpointError, match="newer alexnet-gui"):
        load_weights(p)


def test_directory_and_missing(tmp_path):
    with pytest.raises(CheckpointError, match="folder"):
        load_weights(tmp_path)
    with pytest.raises(CheckpointError, match="no such file"):
        load_weights(tmp_path / "nope.pt")


def test_checkpoints_stream_through_a_file_object(tmp_path, monkeypatch, tiny_ckpt):
    """Given a path, torch's zip writer copies each tensor holding the GIL (a GUI beside training froze for up to
    190 ms per checkpoint); through a Python file object each chunk is a write() that releases it."""
    path, m = tiny_ckpt
    real_save = torch.save
    targets = []

    def spy(obj, f, *a, **k):
        targets.append(f)
        return real_save(obj, f, *a, **k)

    monkeypatch.setattr(torch, "save", spy)
    save_checkpoint(path, m, ["a", "b", "c", "d"], InputSpec())
    assert len(targets) == 1 and hasattr(targets[0], "write")
    monkeypatch.setattr(torch, "save", real_save)
    assert load_weights(path).classes == ["a", "b", "c", "d"]


def test_a_version_1_single_tower_checkpoint_keeps_its_full_size_tower(tmp_path):
    """Before version 2, towers=1 meant 96-256-384-384-256 kernels in one tower; such files still load as that."""
    from train_backend.io.checkpoints import VERSION

    assert VERSION == 2
    old = build_model("paper", num_classes=3, towers=1, kernels=(96, 256, 384, 384, 256), hidden=16)
    ckpt = make_checkpoint(old, ["a", "b", "c"], InputSpec(67, 3))
    ckpt["version"] = 1
    ckpt["model"] = {k: v for k, v in ckpt["model"].items() if k != "kernels"}
    path = tmp_path / "v1.pt"
    torch.save(ckpt, path)
    loaded = load_weights(path)
    assert loaded.model.conv1.out_channels == 96 and loaded.model.conv5.out_channels == 256
    assert loaded.model.conv2.groups == 1


@pytest.mark.parametrize("name, kwargs, spec", [
    ("d2l", {"num_classes": 10, "in_channels": 1}, (224, 1, (0.0,), (1.0,))),
    ("paper", {"num_classes": 4, "towers": 1, "hidden": 32}, None),
])
def test_bare_state_dicts_are_recognised(tmp_path, name, kwargs, spec):
    model = build_model(name, **kwargs)
    path = tmp_path / "bare.pth"
    torch.save(model.state_dict(), path)
    loaded = load_weights(path)
    assert loaded.model.variant == name
    for key, value in model.state_dict().items():
        torch.testing.assert_close(loaded.model.state_dict()[key], value)
    if spec:
        assert (loaded.input.size, loaded.input.channels, loaded.input.mean, loaded.input.std) == spec
