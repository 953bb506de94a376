import json
import subprocess
import sys

import numpy as np
import pytest
import torch
import torchvision
from PIL import Image

from tests.imagefiles import gradient_rgb
from train_backend.io.checkpoints import InputSpec, save_checkpoint
from train_backend.cli import main
from train_backend.models import build_model


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_text(capsys):
    code, out, _ = run(capsys, "summary", "--model", "paper")
    assert code == 0
    assert "60,965,224" in out
    assert "conv1    Conv2d              96x55x55" in out


def test_summary_shows_neurons_and_multiply_adds(capsys):
    code, out, _ = run(capsys, "summary")
    assert code == 0
    assert "conv1    Conv2d              96x55x55            34,944    290,400    105,415,200" in out
    assert "total" in out and "60,965,224    659,272    724,406,816" in out  # the paper's "650,000 neurons"
    code, out, _ = run(capsys, "summary", "--json")
    data = json.loads(out)
    assert (data["total_params"], data["total_neurons"], data["total_macs"]) == (60_965_224, 659_272, 724_406_816)


@pytest.mark.parametrize("argv, params, first", [
    (["--recipe", "d2l"], 46_764_746, "recipe d2l: d2l AlexNet, input 1x224x224, 10 classes"),
    (["--towers", "1"], 59_798_312, "paper AlexNet, one tower (the paper's one-GPU net), input 3x227x227"),
    (["--set", "towers=1"], 59_798_312, "paper AlexNet, one tower"),
    (["--recipe", "paper", "--set", "towers=1", "--num-classes", "1000"], 59_798_312, "recipe paper: paper"),
    (["--model", "torchvision"], 61_100_840, "torchvision AlexNet, input 3x224x224, 1000 classes"),
])
def test_summary_of_a_recipe_or_options(capsys, argv, params, first):
    code, out, _ = run(capsys, "summary", *argv)
    assert code == 0, out
    assert out.splitlines()[0].startswith(first)
    assert f"{params:,}" in out.splitlines()[-2]


def test_summary_refuses_bad_options(capsys):
    code, _, err = run(capsys, "summary", "--model", "torchvision", "--set", "lrn=false")
    assert code == 2 and "the torchvision model has no option 'lrn'" in err
    code, _, err = run(capsys, "summary", "--recipe", "d2l", "--input-size", "227")
    assert code == 2 and "5x5" in err
    with pytest.raises(SystemExit) as exc:  # argparse's own error, as for train --set
        run(capsys, "summary", "--set", "width=abc")
    assert exc.value.code == 2 and "argument --set: width=abc: invalid float value: 'abc'" in capsys.readouterr().err


def test_summary_json_and_sizes(capsys):
    code, out, _ = run(capsys, "summary", "--model", "torchvision", "--input-size", "112", "--json")
    data = json.loads(out)
    assert data["total_params"] == 61_100_840
    assert [l["name"] for l in data["layers"]][:3] == ["conv1", "relu1", "pool1"]
    assert set(data["layers"][0]) == {"name", "type", "output_shape", "params", "neurons", "macs",
                                      "counts_as_neurons"}
    assert data["total_neurons"] == sum(l["neurons"] for l in data["layers"] if l["counts_as_neurons"])
    code, out, _ = run(capsys, "summary", "--input-size", "224", "--json")
    assert json.loads(out)["layers"][0]["output_shape"] == [96, 54, 54]
    code, _, err = run(capsys, "summary", "--input-size", "40")
    assert code == 2 and "minimum of 67" in err


def test_classify_untrained_says_so_and_bad_image_fails_alone(capsys, tmp_path):
    good = tmp_path / "good image.png"
    gradient_rgb().save(good)
    bad = tmp_path / "bad.jpg"
    bad.write_text("nope")
    code, out, err = run(capsys, "classify", str(good), str(bad), str(good), "--topk", "3")
    assert code == 1
    assert out.count("UNTRAINED") == 2
    assert "no trained weights" in err
    assert err.count("bad.jpg") == 1 and "not an image" in err
    assert out.count("  1. ") == 2 and "  3. " in out


def test_classify_json_with_a_checkpoint(capsys, tmp_path):
    torch.manual_seed(0)
    model = build_model("paper", num_classes=3, init="kaiming")
    ckpt = tmp_path / "run.pt"
    save_checkpoint(ckpt, model, ["ant", "bee", "cow"], InputSpec(112, 3, (0.5,) * 3, (0.25,) * 3))
    img = tmp_path / "x.png"
    gradient_rgb().save(img)
    code, out, _ = run(capsys, "classify", str(img), "--weights", str(ckpt), "--json", "--ten-crop")
    assert code == 0
    obj = json.loads(out.strip())
    assert obj["path"] == str(img) and obj["weights"] == str(ckpt) and obj["trained"] is True
    assert {p["class"] for p in obj["predictions"]} == {"ant", "bee", "cow"}
    assert sum(p["probability"] for p in obj["predictions"]) == pytest.approx(1, abs=1e-5)


def test_classify_torchvision_pth_uses_imagenet_names(capsys, tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "alexnet-owt-7be5be79.pth"
    torch.save(torchvision.models.alexnet(weights=None).state_dict(), path)
    img = tmp_path / "x.png"
    gradient_rgb().save(img)
    code, out, _ = run(capsys, "classify", str(img), "--weights", str(path), "--json")
    obj = json.loads(out)
    assert code == 0 and len(obj["predictions"]) == 5
    names = torchvision.models.AlexNet_Weights.IMAGENET1K_V1.meta["categories"]
    assert all(p["class"] in names for p in obj["predictions"])


def test_classify_bad_weights(capsys, tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(np.random.default_rng(0).bytes(2000))
    code, _, err = run(capsys, "classify", "whatever.png", "--weights", str(junk))
    assert code == 2 and "junk.pt" in err


def test_export_kernels_png_svg_and_npy(capsys, tmp_path):
    out_png = tmp_path / "kernels.png"
    npy = tmp_path / "w.npy"
    code, out, _ = run(capsys, "export-kernels", "-o", str(out_png), "--scale", "4", "--npy", str(npy))
    assert code == 0 and "96 kernels in 2 group(s)" in out
    img = Image.open(out_png)
    assert img.width == 2 * 8 + 12 * (11 + 1) * 4 - 4 and img.height > 2 * 4 * 12 * 4
    assert np.load(npy).shape == (96, 3, 11, 11)
    code, _, _ = run(capsys, "export-kernels", "-o", str(tmp_path / "k.svg"), "--scale", "2")
    assert code == 0 and (tmp_path / "k.svg").read_text().startswith("<svg")
    code, _, err = run(capsys, "export-kernels", "-o", str(tmp_path / "k.bmp"))
    assert code == 2 and ".png" in err


def test_every_subcommand_has_help():
    for cmd in ("summary", "classify", "export-kernels"):
        res = subprocess.run([sys.executable, "-m", "train_backend", cmd, "--help"], capture_output=True, text=True)
        assert res.returncode == 0 and "usage:" in res.stdout
