import gzip
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from tests.conftest import requires_fashion_mnist
from tests.imagefiles import gradient_rgb
from train_backend.data import (DataError, SYNTHETIC_CLASSES, load_dataset, read_idx)


def write_idx(path, array, gz=True):
    arr = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, arr.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in arr.shape)
    data = header + arr.tobytes()
    if gz:
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)


def fake_fashion(folder, n_train=20, n_test=10, gz=True):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    sfx = ".gz" if gz else ""
    write_idx(folder / f"train-images-idx3-ubyte{sfx}", rng.integers(0, 255, (n_train, 28, 28)), gz)
    write_idx(folder / f"train-labels-idx1-ubyte{sfx}", np.arange(n_train) % 10, gz)
    write_idx(folder / f"t10k-images-idx3-ubyte{sfx}", rng.integers(0, 255, (n_test, 28, 28)), gz)
    write_idx(folder / f"t10k-labels-idx1-ubyte{sfx}", np.arange(n_test) % 10, gz)
    return folder


@requires_fashion_mnist
def test_real_fashion_mnist():
    b = load_dataset("fashion-mnist")
    assert len(b.train) == 60_000 and len(b.val) == 10_000
    assert b.classes[0] == "T-shirt/top" and b.classes[9] == "Ankle boot"
    x, y = b.train[0]
    assert x.shape == (1, 28, 28) and x.dtype == torch.uint8 and y == 9  # the first training image is a boot
    counts = np.bincount(b.val.labels.numpy())
    assert counts.tolist() == [1000] * 10
    assert b.channels == 1 and "fashion-mnist" in b.source


def test_fashion_mnist_from_a_given_root_in_torchvision_layout(tmp_path):
    fake_fashion(tmp_path / "FashionMNIST" / "raw", gz=False)
    b = load_dataset("fashion-mnist", root=tmp_path)
    assert len(b.train) == 20 and len(b.val) == 10
    assert b.train[3][1] == 3


def test_idx_of_the_wrong_size_is_an_error(tmp_path):
    folder = fake_fashion(tmp_path / "f")
    with gzip.open(folder / "train-images-idx3-ubyte.gz", "rb") as f:
        data = f.read()
    with gzip.open(folder / "train-images-idx3-ubyte.gz", "wb") as f:
        f.write(data[:-100])
    with pytest.raises(DataError, match="wrong size"):
        load_dataset("fashion-mnist", root=folder)
    (tmp_path / "bad").write_bytes(b"\x01\x02\x03\x04")
    with pytest.raises(DataError, match="magic"):
        read_idx(tmp_path / "bad")


def test_fashion_mnist_missing_root_says_what_to_do(tmp_path):
    with pytest.raises(DataError, match="dataset-fashion-mnist"):
        load_dataset("fashion-mnist", root=tmp_path)
    with pytest.raises(DataError, match="does not exist"):
        load_dataset("fashion-mnist", root=tmp_path / "missing")


def test_cifar10_missing_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="CIFAR-10 not found"):
        load_dataset("cifar10", root=tmp_path)


def test_cifar10_local_copy(tmp_path, monkeypatch):
    import pickle

    from torchvision.datasets import CIFAR10

    base = tmp_path / "cifar-10-batches-py"
    base.mkdir()
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        with open(base / name, "wb") as f:
            pickle.dump({"data": rng.integers(0, 255, (4, 3072), dtype=np.uint8), "labels": [0, 1, 2, 3]}, f)
    with open(base / "batches.meta", "wb") as f:
        pickle.dump({"label_names": ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                                     "ship", "truck"]}, f)
    import torchvision.datasets.cifar as cifar_module

    monkeypatch.setattr(CIFAR10, "_check_integrity", lambda self: True)  # our fake files have other md5s
    monkeypatch.setattr(cifar_module, "check_integrity", lambda *a, **k: True)
    b = load_dataset("cifar10", root=tmp_path)
    assert len(b.train) == 20 and len(b.val) == 4 and b.classes[3] == "cat"
    assert b.train[0][0].shape == (3, 32, 32)


def test_synthetic_is_deterministic_and_balanced():
    a = load_dataset("synthetic", n_train=64, n_val=16)
    b = load_dataset("synthetic", n_train=64, n_val=16)
    assert a.classes == SYNTHETIC_CLASSES
    for i in (0, 7, 33):
        torch.testing.assert_close(a.train[i][0], b.train[i][0])
        assert a.train[i][1] == b.train[i][1] == i % len(SYNTHETIC_CLASSES)
    assert not torch.equal(a.train[0][0], a.val[0][0])
    assert np.bincount(a.train.targets).tolist() == [8] * 8
    x, _ = a.train[0]
    assert x.shape == (3, 64, 64) and x.dtype == torch.uint8
    disc = a.train[0][0].float()  # class 0: a red disc
    centre_colour = disc[:, 24:40, 24:40].mean(dim=(1, 2))
    assert centre_colour[0] > centre_colour[1] and centre_colour[0] > centre_colour[2]


def make_folder(root, classes=("cat", "dog"), n=6, split=False):
    for c_i, c in enumerate(classes):
        for part in (("train", "val") if split else ("",)):
            d = root / part / c if part else root / c
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                gradient_rgb(40 + i, 30 + c_i).save(d / f"{c}_{i}.png")
    return root


def test_folder_with_train_and_val(tmp_path):
    b = load_dataset("folder", root=make_folder(tmp_path, split=True))
    assert b.classes == ["cat", "dog"]
    assert len(b.train) == 12 and len(b.val) == 12
    img, label = b.train[0]
    assert isinstance(img, Image.Image) and label == 0


def test_folder_seeded_split_is_stratified_and_reproducible(tmp_path):
    make_folder(tmp_path, n=10)
    a = load_dataset("folder", root=tmp_path, val_fraction=0.2, seed=5)
    b = load_dataset("folder", root=tmp_path, val_fraction=0.2, seed=5)
    c = load_dataset("folder", root=tmp_path, val_fraction=0.2, seed=6)
    assert a.val.samples == b.val.samples
    assert a.val.samples != c.val.samples
    assert np.bincount(a.val.targets).tolist() == [2, 2]
    assert not set(a.train.samples) & set(a.val.samples)


def test_folder_errors_name_the_path(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_dataset("folder", root=tmp_path / "nope")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match=str(empty)):
        load_dataset("folder", root=empty)
    one = tmp_path / "one"
    (one / "only").mkdir(parents=True)
    with pytest.raises(DataError, match="only one class"):
        load_dataset("folder", root=one)
    noimg = tmp_path / "noimg"
    for c in ("a", "b"):
        (noimg / c).mkdir(parents=True)
        (noimg / c / "readme.txt").write_text("hi")
    with pytest.raises(DataError, match="no readable images"):
        load_dataset("folder", root=noimg)
    lopsided = make_folder(tmp_path / "lop", n=3)
    (lopsided / "emu").mkdir()
    (lopsided / "emu" / "x.txt").write_text("no images")
    with pytest.raises(DataError, match="emu"):
        load_dataset("folder", root=lopsided)


def test_folder_skips_unreadable_images_with_a_warning_naming_them(tmp_path):
    root = make_folder(tmp_path, n=5)
    (root / "cat" / "broken.jpg").write_text("not a jpeg")
    (root / "dog" / "notes.txt").write_text("ignored, not an image extension")
    with pytest.warns(RuntimeWarning, match="broken.jpg"):
        b = load_dataset("folder", root=root)
    assert len(b.train) + len(b.val) == 10
    assert any("broken.jpg" in w for w in b.warnings)


def test_folder_truncated_file_found_late_is_skipped(tmp_path):
    root = make_folder(tmp_path, n=3, split=True)
    bad = root / "train" / "cat" / "cat_0.png"
    bad.write_bytes(bad.read_bytes()[:60])  # header still parses, pixels do not
    b = load_dataset("folder", root=root)
    with pytest.warns(RuntimeWarning, match="cat_0.png"):
        items = [b.train[i] for i in range(len(b.train))]
    assert all(isinstance(img, Image.Image) for img, _ in items)


def test_folder_with_one_class_empty_after_split_warns(tmp_path):
    root = make_folder(tmp_path, n=4)
    (root / "owl").mkdir()
    gradient_rgb().save(root / "owl" / "only.png")
    with pytest.warns(RuntimeWarning, match="owl"):
        b = load_dataset("folder", root=root)
    assert "owl" in b.classes


def test_imagenet_synset_folders_get_imagenet_names(tmp_path):
    from torchvision.models import AlexNet_Weights

    # the 1000 synset ids in sorted order are ImageNet's class order
    ids = [f"n{10000000 + i:08d}" for i in range(1000)]
    for s in ids:
        (tmp_path / s).mkdir()
    for s in ids[:2]:
        gradient_rgb().save(tmp_path / s / "a.png")
        gradient_rgb(41).save(tmp_path / s / "b.png")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataError, match="no training images"):
            load_dataset("folder", root=tmp_path)
    for s in ids[2:]:
        gradient_rgb(8, 8).save(tmp_path / s / "a.png")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b = load_dataset("folder", root=tmp_path, verify=False)
    assert b.classes == AlexNet_Weights.IMAGENET1K_V1.meta["categories"]


def test_unknown_dataset():
    with pytest.raises(DataError, match="unknown dataset"):
        load_dataset("mnist-ish")


def make_kaggle(folder, n=5, classes=("cat", "dog"), ext="jpg"):
    """Kaggle's dogs-vs-cats layout in miniature: cat.0.jpg, dog.0.jpg, ... in one flat folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for c_i, c in enumerate(classes):
        for i in range(n):
            gradient_rgb(40 + i, 30 + c_i).save(folder / f"{c}.{i}.{ext}")
    return folder


def test_kaggle_flat_folder_loads_with_classes_from_the_file_names(tmp_path):
    make_kaggle(tmp_path, n=5)
    gradient_rgb().save(tmp_path / "dog.12 copy.v2.png")  # <class>.<anything>.<ext>
    b = load_dataset("folder", root=tmp_path, val_fraction=0.4, seed=3)
    assert b.classes == ["cat", "dog"] and not b.warnings
    assert len(b.train) + len(b.val) == 11 and np.bincount(b.val.targets).tolist() == [2, 2]
    assert all(Path(p).name.split(".")[0] == b.classes[lab] for p, lab in b.train.samples + b.val.samples)
    img, _ = b.train[0]
    assert isinstance(img, Image.Image)
    again = load_dataset("folder", root=tmp_path, val_fraction=0.4, seed=3)
    other = load_dataset("folder", root=tmp_path, val_fraction=0.4, seed=4)
    assert again.val.samples == b.val.samples != other.val.samples


def test_kaggle_zip_layout_trains_on_train_and_says_test1_is_ignored(tmp_path):
    make_kaggle(tmp_path / "train", n=4, ext="png")
    (tmp_path / "test1").mkdir()
    for i in range(3):
        gradient_rgb().save(tmp_path / "test1" / f"{i}.jpg")  # unlabelled
    gradient_rgb().save(tmp_path / "train" / "unnamed.jpg")
    with pytest.warns(RuntimeWarning, match="unnamed.jpg"):
        b = load_dataset("folder", root=tmp_path, val_fraction=0.25)
    assert b.classes == ["cat", "dog"] and len(b.train) == 6 and len(b.val) == 2
    assert any("test1/" in w and "unlabelled" in w for w in b.warnings)
    assert any("unnamed.jpg" in w for w in b.warnings)
    assert all("test1" not in p for p, _ in b.train.samples + b.val.samples)


def test_kaggle_flat_folder_errors(tmp_path):
    one = make_kaggle(tmp_path / "one", classes=("cat",))
    with pytest.raises(DataError, match="one class"):
        load_dataset("folder", root=one)
    plain = tmp_path / "plain"
    plain.mkdir()
    gradient_rgb().save(plain / "photo.jpg")
    with pytest.raises(DataError, match="<class>.<n>.<ext>"):
        load_dataset("folder", root=plain)
    with pytest.raises(DataError, match=r"\[0, 1\)"):
        load_dataset("folder", root=make_kaggle(tmp_path / "k"), val_fraction=1.0)


def test_folder_split_fraction_zero_keeps_every_image_for_training(tmp_path):
    make_folder(tmp_path, n=4)
    b = load_dataset("folder", root=tmp_path, val_fraction=0.0)
    assert len(b.train) == 8 and len(b.val) == 0 and not b.warnings
