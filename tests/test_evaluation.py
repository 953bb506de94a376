"""The evaluation's figures (confusion matrix, per-class accuracy, the most confidently wrong images) against
brute force, and the commands that print them: ``evaluate --json / --wrong`` and ``classify FOLDER --csv``."""

import csv
import json

import numpy as np
import pytest
import torch
from PIL import Image

from train_backend.cli import main
from train_backend.engine import ValidationTally
from train_backend.io.checkpoints import InputSpec, save_checkpoint
from train_backend.models import build_model


def _tally(probs, labels, batch=7, keep_wrong=0, indices=None):
    tally = ValidationTally(probs.shape[1], keep_wrong, indices)
    for i in range(0, len(labels), batch):
        tally.add(probs[i:i + batch], labels[i:i + batch])
    return tally.result(epoch=1, step=10, ten_crop=False, subset=indices is not None)


def test_tally_matches_brute_force():
    g = torch.Generator().manual_seed(0)
    probs = torch.softmax(torch.randn(100, 8, generator=g) * 2, 1)
    labels = torch.randint(0, 8, (100,), generator=g)
    r = _tally(probs, labels, keep_wrong=5)
    pred = probs.argmax(1)
    assert r.images == 100 and r.batches == 15
    assert r.top1_error == pytest.approx(float((pred != labels).float().mean()))
    # the confusion matrix's diagonal over its total is 1 - top-1 error; rows are true classes
    assert r.confusion.trace() / r.confusion.sum() == pytest.approx(1 - r.top1_error)
    for t, p in zip(labels.tolist(), pred.tolist()):
        assert r.confusion[t, p] >= 1
    assert r.confusion.sum(1).tolist() == torch.bincount(labels, minlength=8).tolist()
    top5 = probs.topk(5, 1).indices
    assert r.top5_error == pytest.approx(1 - float((top5 == labels[:, None]).any(1).float().mean()))
    assert r.loss == pytest.approx(float(torch.nn.functional.nll_loss(probs.log(), labels)), rel=1e-5)
    acc = r.per_class_accuracy()
    for c in range(8):
        mask = labels == c
        assert acc[c] == pytest.approx(float((pred[mask] == c).float().mean()))
    # the most confidently wrong: brute force over the wrong ones, by the predicted class's probability
    conf = probs.max(1).values
    wrong = [(float(conf[i]), i) for i in range(100) if pred[i] != labels[i]]
    best = [i for _, i in sorted(wrong, reverse=True)[:5]]
    assert [w.index for w in r.wrong] == best
    assert all(w.true == int(labels[w.index]) and w.predicted == int(pred[w.index]) for w in r.wrong)
    assert [w.confidence for w in r.wrong] == sorted((w.confidence for w in r.wrong), reverse=True)
    # every image's answer: each confusion cell lists exactly its images, most confident first
    seen = r.images_seen
    for t in range(8):
        for p in range(8):
            cell = seen.where(t, p)
            assert len(cell) == r.confusion[t, p]
            assert all(int(labels[i]) == t and int(pred[i]) == p for i in cell)
            assert list(conf[cell]) == sorted(conf[cell].tolist(), reverse=True)
    assert _tally(probs, labels).images_seen is None  # training's validation passes keep only the sums


def test_tally_keeps_nothing_unless_asked_and_maps_a_subset_to_split_indices():
    probs = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])
    labels = torch.tensor([1, 1, 1])
    assert _tally(probs, labels).wrong == ()
    r = _tally(probs, labels, keep_wrong=3, indices=[40, 41, 42])
    assert [w.index for w in r.wrong] == [40, 42] and r.subset
    acc = _tally(probs, labels).per_class_accuracy()
    assert np.isnan(acc[0]) and acc[1] == pytest.approx(1 / 3)


@pytest.fixture(scope="module")
def synthetic_checkpoint(tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "run"
    code = main(["train", "--recipe", "quick", "--dataset", "synthetic", "--max-steps", "3", "--batch-size", "8",
                 "--input-size", "67", "--val-subset", "16", "--out", str(out), "--quiet"])
    assert code == 0
    return out / "last.pt"


def test_evaluate_json_has_per_class_accuracy_and_confusion_and_wrong_grid(synthetic_checkpoint, tmp_path, capsys):
    grid = tmp_path / "wrong.png"
    code = main(["evaluate", "--weights", str(synthetic_checkpoint), "--limit", "24", "--json", "--wrong", "4",
                 "-o", str(grid)])
    res = json.loads(capsys.readouterr().out)
    assert code == 0 and res["images"] == 24
    conf = np.array(res["confusion"])
    assert conf.shape == (8, 8) and conf.sum() == 24
    assert conf.trace() / conf.sum() == pytest.approx(1 - res["top1_error"])
    assert list(res["per_class_accuracy"]) == res["classes"]
    assert 1 <= len(res["wrong"]) <= 4 and {"index", "true", "predicted", "confidence"} <= set(res["wrong"][0])
    img = Image.open(grid)
    assert img.size[0] > 100 and np.asarray(img.convert("L")).std() > 5  # images, not a blank sheet


def test_evaluate_wrong_needs_an_output_and_nothing_is_written_on_error(synthetic_checkpoint, tmp_path, capsys):
    assert main(["evaluate", "--weights", str(synthetic_checkpoint), "--wrong", "3"]) == 2
    assert "--wrong N and -o" in capsys.readouterr().err
    assert main(["evaluate", "--weights", str(synthetic_checkpoint), "--wrong", "3", "-o", str(tmp_path / "x.txt")]) == 2
    assert main(["evaluate", "--weights", str(tmp_path / "missing.pt"), "--wrong", "3",
                 "-o", str(tmp_path / "x.png")]) == 2
    assert not list(tmp_path.iterdir())


def test_evaluate_refuses_weights_whose_classes_differ(tmp_path, capsys):
    path = tmp_path / "three.pt"
    save_checkpoint(path, build_model("paper", 3, width=0.25), ["a", "b", "c"],
                    InputSpec(size=67, mean=(0.5,) * 3, std=(0.5,) * 3))
    assert main(["evaluate", "--weights", str(path), "--dataset", "synthetic"]) == 2
    assert "the weights have 3 classes but synthetic has 8" in capsys.readouterr().err


def test_classify_a_folder_to_csv_names_unreadable_files(synthetic_checkpoint, tmp_path, capsys):
    folder = tmp_path / "photos"
    (folder / "sub").mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name in ("a.png", "sub/b.jpg", "sub/c.png"):
        Image.fromarray(rng.integers(0, 255, (40, 50, 3), dtype=np.uint8)).save(folder / name)
    (folder / "sub" / "broken.png").write_bytes(b"not a png")
    (folder / "notes.txt").write_text("not an image")
    out = tmp_path / "out.csv"
    code = main(["classify", str(folder), "--weights", str(synthetic_checkpoint), "--topk", "3", "--csv", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "broken.png" in err and "notes.txt" not in err
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["path", "class_1", "probability_1", "class_2", "probability_2", "class_3", "probability_3"]
    assert [r[0] for r in rows[1:]] == [str(folder / "a.png"), str(folder / "sub/b.jpg"), str(folder / "sub/c.png")]
    for r in rows[1:]:
        probs = [float(p) for p in r[2::2]]
        assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1.0001
    # all readable: exit 0; nothing there: exit 2
    (folder / "sub" / "broken.png").unlink()
    assert main(["classify", str(folder), "--weights", str(synthetic_checkpoint), "--csv", str(out)]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["classify", str(empty), "--csv", str(tmp_path / "e.csv")]) == 2
    assert "a folder with no image files" in capsys.readouterr().err and not (tmp_path / "e.csv").exists()
