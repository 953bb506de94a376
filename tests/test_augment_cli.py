import re
import subprocess
import sys

import numpy as np
from PIL import Image

from train_backend.cli import main

BOX = re.compile(r"box \(left (\d+), top (\d+), right (\d+), bottom (\d+)\)")


def wide_image(path, w=512, h=256, fill=120):
    """Red left of the central square, blue right of it, flat grey inside it."""
    a = np.full((h, w, 3), fill, np.uint8)
    a[:, :(w - h) // 2] = (255, 0, 0)
    a[:, (w + h) // 2:] = (0, 0, 255)
    Image.fromarray(a).save(path)
    return path


def test_training_crops_are_written_with_their_drawn_parameters(tmp_path, capsys):
    img = wide_image(tmp_path / "wide.png")
    assert main(["augment", str(img), "--samples", "6", "--seed", "1", "--out", str(tmp_path / "a")]) == 0
    text = capsys.readouterr().out
    lines = [line for line in text.splitlines() if line.startswith("train_")]
    assert len(lines) == 6 and "central 256x256" in text and "227x227" in text
    for i, line in enumerate(lines):
        assert line.startswith(f"train_{i:02d}.png ") and "flipped" in line
        assert re.search(r"alpha \([+-]\d\.\d{4}, [+-]\d\.\d{4}, [+-]\d\.\d{4}\), RGB shift \(", line)
        left, top, right, bottom = map(int, BOX.search(line).groups())
        assert 128 <= left and right <= 384 and 0 <= top and bottom <= 256 and right - left == 227
        png = np.asarray(Image.open(tmp_path / "a" / f"train_{i:02d}.png"))
        assert png.shape == (227, 227, 3)
        assert np.ptp(png.reshape(-1, 3), axis=0).max() <= 1  # flat grey + one lighting shift: no red, no blue
    assert main(["augment", str(img), "--samples", "6", "--seed", "1", "--out", str(tmp_path / "b")]) == 0
    assert capsys.readouterr().out.replace("/b", "/a") == text  # seeded
    for i in range(6):
        np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "a" / f"train_{i:02d}.png")),
                                      np.asarray(Image.open(tmp_path / "b" / f"train_{i:02d}.png")))


def test_ten_crop_writes_the_ten_test_patches_of_the_central_square(tmp_path, capsys):
    img = wide_image(tmp_path / "wide.png")
    assert main(["augment", str(img), "--ten-crop", "--out", str(tmp_path / "t")]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("tencrop_")]
    assert len(lines) == 10 and lines[1].startswith("tencrop_01_top-right.png")
    assert BOX.search(lines[1]).groups() == ("157", "0", "384", "227")  # the square's corner, not the image's
    assert "tencrop_09_centre_mirrored.png" in lines[9] and lines[9].endswith("flipped")
    assert len(list((tmp_path / "t").glob("*.png"))) == 10


def test_recipes_give_their_own_channels_and_sizes(tmp_path, capsys):
    img = wide_image(tmp_path / "wide.png")
    assert main(["augment", str(img), "--recipe", "d2l", "--samples", "1", "--out", str(tmp_path / "d")]) == 0
    d2l = Image.open(tmp_path / "d" / "train_00.png")
    inner = np.asarray(d2l)[:, 2:-2]  # the resize's antialiasing blends the square's edge columns
    assert d2l.mode == "L" and d2l.size == (224, 224) and inner.min() == inner.max()
    assert "no lighting" in capsys.readouterr().out
    assert main(["augment", str(img), "--recipe", "quick", "--samples", "1", "--out", str(tmp_path / "q")]) == 0
    assert Image.open(tmp_path / "q" / "train_00.png").size == (83, 83)
    assert main(["augment", str(img), "--recipe", "finetune", "--ten-crop", "--out", str(tmp_path / "f")]) == 0
    assert "squashed to 256" in capsys.readouterr().out


def test_clipping_by_the_lighting_is_said(tmp_path, capsys):
    white = tmp_path / "white.png"
    Image.new("RGB", (300, 300), (255, 255, 255)).save(white)
    assert main(["augment", str(white), "--samples", "8", "--out", str(tmp_path / "w")]) == 0
    text = capsys.readouterr().out
    assert "clipped in the PNG" in text and "note: the lighting shift pushed" in text


def test_bad_image_and_unwritable_out_are_one_line_errors(tmp_path, capsys):
    bad = tmp_path / "bad.jpg"
    bad.write_text("not an image")
    assert main(["augment", str(bad), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert main(["classify", str(bad)]) == 1
    assert err.strip() in capsys.readouterr().err and err.count("\n") == 1
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    assert main(["augment", str(wide_image(tmp_path / "w.png")), "--out", str(blocker / "sub")]) == 1
    assert "cannot write to" in capsys.readouterr().err


def test_help_and_no_qt():
    code = ("import sys\nfrom train_backend.cli import main\ntry:\n    main(['augment', '--help'])\n"
            "except SystemExit:\n    pass\nassert not any(m.startswith('PySide6') for m in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "usage:" in res.stdout and "--ten-crop" in res.stdout
