"""Figure 4's nearest neighbours and the top patches of a unit: against brute force, the cache (reused, invalidated,
never trusted when damaged), cancelling, receptive fields, and the two commands end to end."""

import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from train_backend.analysis import run_analysis
from train_backend.analysis import features as feats
from train_backend.analysis.features import feature_index, find_neighbours
from train_backend.analysis.passes import AnalysisError, Cancelled, analysis_cache, weights_fingerprint
from train_backend.analysis.patches import ReceptiveField, receptive_field, top_patches
from train_backend.analysis.probes import capture_activations, display_image, preprocess
from train_backend.cli import main
from train_backend.data import load_dataset
from train_backend.io.checkpoints import InputSpec, LoadedWeights, save_checkpoint, untrained_weights
from train_backend.models import build_model

N = 40  # images searched in most tests (the synthetic set's first N)


@pytest.fixture(scope="module")
def bundle():
    return load_dataset("synthetic", n_train=96, n_val=24, size=32)


def tiny_weights(bundle, seed=0) -> LoadedWeights:
    return untrained_weights("paper", num_classes=8, classes=bundle.classes, seed=seed,
                             input_spec=InputSpec(67, 3, bundle.mean, bundle.std), width=0.25, hidden=32,
                             init="kaiming")


@pytest.fixture
def weights(bundle):
    return tiny_weights(bundle)


def brute_force(table: np.ndarray, q: np.ndarray, k: int):
    d = np.sqrt(((table.astype(np.float64) - q.astype(np.float64)) ** 2).sum(1))
    order = np.lexsort((np.arange(len(d)), d))[:k]
    return order, d[order]


# ------------------------------------------------------------------------------------------- the index
def test_index_holds_relu7_of_the_image_as_validation_sees_it(weights, bundle):
    index = feature_index(weights, bundle, "train", limit=N)
    assert index.layer == "relu7" and index.features.dtype == np.float16 and index.features.shape == (N, 32)
    assert index.pixels.shape == (N, 3 * 16 * 16) and index.pixels.dtype == np.uint8  # RGB data: 3 channels
    assert index.labels.tolist() == [bundle.train[i][1] for i in range(N)]
    for i in (0, 7, N - 1):  # the probes' own path: preprocess (the evaluation transform) and a forward hook
        x = preprocess(bundle.train[i][0], weights.input)
        ref = capture_activations(weights.model, x, ["relu7"])["relu7"]
        np.testing.assert_allclose(index.features[i].astype(np.float32), ref, rtol=2e-3, atol=1e-3)
    f16 = index.features.astype(np.float32)
    np.testing.assert_allclose(index.sqnorms, (f16 * f16).sum(1), rtol=1e-6)


def test_a_grey_data_set_keeps_one_pixel_channel(tmp_path):
    grey = load_dataset("synthetic", n_train=12, n_val=4, size=32)
    grey.channels = 1  # the index keeps the first channel of what the network sees
    w = untrained_weights("paper", num_classes=8, classes=grey.classes, input_spec=InputSpec(67), width=0.25,
                          hidden=8)
    index = feature_index(w, grey, "train")
    assert index.pixels.shape == (12, 256)
    assert find_neighbours(w, grey.train[3][0], index, k=2).pixels.indices[0] == 3


def test_queries_equal_brute_force(weights, bundle, rng):
    index = feature_index(weights, bundle, "train", limit=N)
    table = index.features.astype(np.float64)
    for q in [table[3], table[17] + rng.normal(0, 0.05, table.shape[1]), rng.normal(1, 1, table.shape[1])]:
        rows, dist = index.query(q, k=5)
        ref_rows, ref_d = brute_force(table, q.astype(np.float16), 5)
        assert rows.tolist() == ref_rows.tolist()
        np.testing.assert_allclose(dist, ref_d, rtol=1e-5, atol=1e-6)
    rows, dist = index.query(table[:3], k=2)  # several at once
    assert rows.shape == dist.shape == (3, 2) and rows[:, 0].tolist() == [0, 1, 2]
    p = index.pixels[5].astype(np.float64) + 3
    rows, dist = index.query_pixels(p, k=4)
    ref_rows, ref_d = brute_force(index.pixels, p, 4)
    assert rows.tolist() == ref_rows.tolist()
    np.testing.assert_allclose(dist, ref_d / 255, rtol=1e-6)


def test_the_fast_path_finds_rows_its_candidates_missed():
    """The candidates come from float16 products; rows the error bound cannot rule out are checked exactly."""
    rng = np.random.default_rng(0)
    n, d = 3000, 64
    table = (rng.normal(0, 1, (n, d)) * 100).astype(np.float16)
    t32 = table.astype(np.float32)
    index = feats.FeatureIndex(table, (t32 * t32).sum(1), np.zeros((n, 4), np.uint8), np.zeros(n, np.int64),
                               np.arange(n), ("a",), "relu7", {}, None, feats.CacheNote("built"))
    for _ in range(20):
        q = table[rng.integers(n)].astype(np.float64) + rng.normal(0, 5, d)
        rows, dist = index.query(q, k=6)
        ref_rows, ref_d = brute_force(table, q.astype(np.float16), 6)
        assert rows.tolist() == ref_rows.tolist()


def test_a_training_image_is_its_own_nearest_neighbour(weights, bundle):
    index = feature_index(weights, bundle, "train", limit=N)
    for i in (2, 11, 30):
        result = find_neighbours(weights, bundle.train[i][0], index, k=6)
        assert result.features.indices[0] == i and result.features.distances[0] < 1e-3 * result.features.distances[1]
        assert result.pixels.indices[0] == i and result.pixels.distances[0] == 0
        assert result.features.thumbnails.shape == (6, 64, 64, 3) and result.query.shape == (64, 64, 3)
        assert result.features.classes[0] == bundle.classes[bundle.train[i][1]]
        np.testing.assert_array_equal(np.diff(result.features.distances) >= 0, True)


def test_the_analysis_is_registered_and_runs(weights, bundle):
    result = run_analysis("neighbours", weights, bundle.val[0][0], dataset=bundle, k=3, limit=N)
    assert len(result.features.indices) == len(result.pixels.indices) == 3
    assert result.layer == "relu7" and result.index_size == N and result.split == "train"
    assert set(result.as_dict()) >= {"indices", "labels", "distances", "classes", "pixels"}


# ------------------------------------------------------------------------------------------- the cache
def _folders():
    root = analysis_cache("features")
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_the_cache_is_reused_and_not_recomputed(weights, bundle, monkeypatch):
    first = feature_index(weights, bundle, "train", limit=N)
    assert first.note.origin == "built" and first.path is not None and (first.path / "meta.json").exists()
    monkeypatch.setattr(feats, "_compute", lambda *a, **k: pytest.fail("recomputed a cached index"))
    second = feature_index(weights, bundle, "train", limit=N)
    assert second.note.origin == "cache" and second.path == first.path
    np.testing.assert_array_equal(second.features, first.features)


def test_other_weights_never_reuse_an_index(weights, bundle):
    first = feature_index(weights, bundle, "train", limit=N)
    changed = tiny_weights(bundle)
    with torch.no_grad():
        changed.model.fc7.weight[0, 0] += 1e-3  # one value of 60 thousand
    assert weights_fingerprint(changed) != weights_fingerprint(weights)
    assert weights_fingerprint(tiny_weights(bundle)) == weights_fingerprint(weights)  # same values, same key
    second = feature_index(changed, bundle, "train", limit=N)
    assert second.note.origin == "built" and second.path != first.path
    other = feature_index(tiny_weights(bundle, seed=1), bundle, "train", limit=N)
    assert other.note.origin == "built" and not np.array_equal(other.features, first.features)
    # other rows, split or input size are other indexes too
    assert feature_index(weights, bundle, "train", limit=N - 1).note.origin == "built"
    assert feature_index(weights, bundle, "val", limit=N).note.origin == "built"


@pytest.mark.parametrize("damage", ["flip", "truncate", "meta", "pickle", "key"])
def test_a_damaged_cache_is_rebuilt(weights, bundle, damage):
    first = feature_index(weights, bundle, "train", limit=N)
    path = first.path
    if damage == "flip":
        data = bytearray((path / "features.npy").read_bytes())
        data[-10] ^= 0xFF
        (path / "features.npy").write_bytes(bytes(data))
    elif damage == "truncate":
        (path / "features.npy").write_bytes((path / "features.npy").read_bytes()[:200])
    elif damage == "meta":
        (path / "meta.json").write_text("{not json")
    elif damage == "pickle":  # an object array would need pickle: refused, never unpickled
        np.save(path / "labels.npy", np.array([object()] * N, dtype=object), allow_pickle=True)
    else:  # an index of other weights put in this one's place
        meta = json.loads((path / "meta.json").read_text())
        meta["key"]["weights"] = "0" * 64
        (path / "meta.json").write_text(json.dumps(meta))
    again = feature_index(weights, bundle, "train", limit=N)
    assert again.note.origin == "built" and "not usable" in again.note.reason
    np.testing.assert_array_equal(again.features, first.features)
    assert feature_index(weights, bundle, "train", limit=N).note.origin == "cache"  # repaired


def test_cancel_leaves_no_cache(weights, bundle):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1

    seen = []
    with pytest.raises(Cancelled):
        feature_index(weights, bundle, "train", limit=N, batch_size=8, cancelled=cancelled,
                      progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, N) and seen[-1] == (8, N)
    assert _folders() == []
    with pytest.raises(Cancelled):
        top_patches(weights, bundle, "conv2", 0, limit=N, batch_size=8, cancelled=lambda: True)
    assert not analysis_cache("top_patches").exists() or not list(analysis_cache("top_patches").iterdir())


# ------------------------------------------------------------------------------------------- top patches
def test_receptive_fields():
    paper = build_model("paper")
    assert receptive_field(paper, "conv1") == ReceptiveField(11, 4, 0)
    assert receptive_field(paper, "conv5") == ReceptiveField(163, 16, -64)  # the standard figure at 227 px
    assert receptive_field(paper, "relu5") == receptive_field(paper, "conv5")
    assert receptive_field(paper, "lrn1") == receptive_field(paper, "conv1")
    assert receptive_field(paper, "pool1").size == 19 and receptive_field(paper, "conv2").size == 51
    assert receptive_field(paper, "pool5") == ReceptiveField(195, 32, -64)
    assert receptive_field(build_model("torchvision"), "conv1") == ReceptiveField(11, 4, -2)  # padding 2
    rf = receptive_field(paper, "conv5")
    assert rf.box(0, 0, 227) == (0, 0, 99, 99)  # clipped at the border
    assert rf.box(6, 6, 227) == (32, 32, 195, 195)
    assert rf.box(12, 12, 227) == (128, 128, 227, 227)
    with pytest.raises(AnalysisError, match="no spatial maps"):
        receptive_field(paper, "fc6")


def test_receptive_field_is_where_the_unit_looks():
    """Empirically, for conv1: the input pixels a unit's gradient reaches are its box."""
    model = build_model("paper", num_classes=3, width=0.25, hidden=8, lrn=False, init="kaiming")
    rf = receptive_field(model, "conv1")
    x = torch.zeros(1, 3, 67, 67, requires_grad=True)
    out = model.conv1(x)
    out[0, 0, 5, 7].backward()
    ys, xs = np.nonzero(x.grad[0].abs().sum(0).numpy())
    assert (ys.min(), xs.min(), ys.max() + 1, xs.max() + 1) == rf.box(5, 7, 67)


def test_top_patches_equal_brute_force(weights, bundle):
    result = top_patches(weights, bundle, "conv2", 3, k=5, limit=N)
    values, where = [], []
    for i in range(N):
        act = capture_activations(weights.model, preprocess(bundle.train[i][0], weights.input), ["conv2"])["conv2"][3]
        values.append(act.max())
        where.append(np.unravel_index(np.argmax(act), act.shape))
    order = np.lexsort((np.arange(N), -np.array(values)))[:5]
    assert result.indices.tolist() == order.tolist()
    np.testing.assert_allclose(result.activations, np.array(values)[order], rtol=1e-4, atol=1e-5)
    assert [tuple(p) for p in result.positions] == [tuple(int(v) for v in where[i]) for i in order]
    rf = receptive_field(weights.model, "conv2")
    assert result.receptive_field == rf and result.units == 64 and result.searched == N
    for i, box, patch in zip(result.indices, result.boxes, result.patches):
        t, l, b, r = box
        np.testing.assert_array_equal(patch, display_image(bundle.train[int(i)][0], weights.input)[t:b, l:r])


def test_top_patches_are_cached_for_the_whole_layer(weights, bundle, monkeypatch):
    from train_backend.analysis import patches

    first = top_patches(weights, bundle, "relu3", 1, limit=N)
    assert first.note.origin == "built" and len(first.patches) == 9
    scan = patches._scan
    monkeypatch.setattr(patches, "_scan", lambda *a, **k: pytest.fail("scanned again"))
    other = top_patches(weights, bundle, "relu3", 5, limit=N)
    assert other.note.origin == "cache" and other.unit == 5
    again = run_analysis("top_patches", weights, None, dataset=bundle, layer="relu3", unit=1, limit=N)
    assert again.indices.tolist() == first.indices.tolist()
    (npz,) = analysis_cache("top_patches").iterdir()
    npz.write_bytes(b"garbage")
    monkeypatch.setattr(patches, "_scan", scan)
    assert top_patches(weights, bundle, "relu3", 1, limit=N).note.origin == "built"


def test_bad_input_is_refused_before_any_pass(weights, bundle):
    with pytest.raises(AnalysisError, match="no spatial maps"):
        top_patches(weights, bundle, "fc7", 0, limit=N)
    with pytest.raises(AnalysisError, match="units"):
        top_patches(weights, bundle, "conv1", 24, limit=N)
    ten = untrained_weights("paper", num_classes=10, input_spec=InputSpec(67), width=0.25, hidden=16)
    with pytest.raises(AnalysisError, match="10 classes but synthetic has 8"):
        feature_index(ten, bundle, limit=N)
    renamed = tiny_weights(bundle)
    renamed.classes = list(reversed(bundle.classes))
    with pytest.raises(AnalysisError, match="classes are not synthetic's"):
        feature_index(renamed, bundle, limit=N)
    with pytest.raises(AnalysisError, match="split"):
        feature_index(weights, bundle, "test", limit=N)
    assert _folders() == []


# ------------------------------------------------------------------------------------------- commands
@pytest.fixture
def files(tmp_path, bundle):
    torch.manual_seed(0)
    model = build_model("paper", num_classes=8, width=0.25, hidden=32, init="kaiming")
    save_checkpoint(tmp_path / "w.pt", model, bundle.classes, InputSpec(67, 3, bundle.mean, bundle.std))
    full = load_dataset("synthetic")  # what --dataset synthetic loads
    for i in (4, 9):
        Image.fromarray(full.train[i][0].permute(1, 2, 0).numpy()).save(tmp_path / f"train{i}.png")
    return tmp_path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_neighbours_command_end_to_end(capsys, files):
    grid = files / "grid.png"
    code, out, err = run(capsys, "neighbours", files / "train4.png", files / "train9.png", "--weights",
                         files / "w.pt", "--dataset", "synthetic", "--limit", N, "-k", 3, "-o", grid, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["layer"] == "relu7" and data["index_size"] == N and data["index_origin"] == "built"
    for q, i in zip(data["queries"], (4, 9)):
        assert len(q["indices"]) == len(q["labels"]) == len(q["distances"]) == 3
        assert q["indices"][0] == i and q["distances"][0] < 1e-3  # each training image finds itself first
        assert q["pixels"]["indices"][0] == i
    assert "relu7 index of synthetic train" in err  # progress on stderr
    with Image.open(grid) as im:
        assert im.width > 7 * 64 and im.height > 2 * 64
    code, out, err = run(capsys, "neighbours", files / "train4.png", "--weights", files / "w.pt", "--dataset",
                         "synthetic", "--limit", N, "-k", 2)
    assert code == 0 and "read from the cache" in out and "nearest by pixels" in out and err == ""


def test_top_patches_command_end_to_end(capsys, files):
    grid = files / "patches.png"
    code, out, err = run(capsys, "top-patches", "--weights", files / "w.pt", "--dataset", "synthetic", "--layer",
                         "conv3", "--unit", 2, "--limit", N, "-o", grid, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["layer"] == "conv3" and data["unit"] == 2 and len(data["patches"]) == 9
    assert data["receptive_field"] == {"size": 99, "stride": 16, "start": -32}
    values = [p["activation"] for p in data["patches"]]
    assert values == sorted(values, reverse=True)
    assert Image.open(grid).size[0] > 3 * 96


@pytest.mark.parametrize("argv, message", [
    (["neighbours", "{bad}", "--weights", "{w}", "--dataset", "synthetic"], "bad.png"),
    (["neighbours", "{img}", "--weights", "{w}", "--dataset", "synthetic", "-o", "{out}.gif"], "use one of"),
    (["neighbours", "{img}", "--weights", "{w}", "--dataset", "fashion-mnist", "--data-root", "{nowhere}"],
     "does not exist"),
    (["neighbours", "{img}", "--weights", "{w10}", "--dataset", "synthetic"], "10 classes but synthetic has 8"),
    (["neighbours", "{img}", "--weights", "{bad}", "--dataset", "synthetic"], "bad.png"),
    (["neighbours", "{img}", "--weights", "{w}", "--dataset", "synthetic", "-k", "0"], "-k must be at least 1"),
    (["top-patches", "--weights", "{w}", "--dataset", "synthetic", "--layer", "fc6", "--unit", "0"],
     "no spatial maps"),
    (["top-patches", "--weights", "{w}", "--dataset", "synthetic", "--layer", "conv1", "--unit", "99"],
     "conv1 has 24 units"),
    (["top-patches", "--weights", "{w}", "--dataset", "nonesuch", "--layer", "conv1", "--unit", "0"],
     "unknown dataset"),
])
def test_bad_input_gives_one_line_and_writes_nothing(capsys, files, argv, message):
    (files / "bad.png").write_bytes(b"not an image")
    torch.manual_seed(0)
    save_checkpoint(files / "w10.pt", build_model("paper", num_classes=10, width=0.25, hidden=16), [],
                    InputSpec(67))
    out = files / "out.png"
    names = {"bad": files / "bad.png", "w": files / "w.pt", "img": files / "train4.png", "out": files / "out",
             "w10": files / "w10.pt", "nowhere": files / "nowhere"}
    argv = [a.format(**{k: str(v) for k, v in names.items()}) for a in argv]
    if "-o" not in argv:
        argv += ["-o", str(out)]
    before = set(os.listdir(files))
    code, stdout, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("alexnet-gui: error: ") and message in err, err
    assert set(os.listdir(files)) == before and _folders() == []
    assert not Path(str(out)).exists()
