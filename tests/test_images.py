import os

import numpy as np
import pytest

from tests.imagefiles import make_all
from train_backend.data.images import ImageLoadError, decode_image, load_image


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return make_all(tmp_path_factory.mktemp("odd images"))


@pytest.mark.parametrize("kind,reason", [
    ("empty", "empty"),
    ("text", "not an image"),
    ("truncated", "truncated"),
    ("bomb", "too large"),
    ("svg", "not an image"),
    ("directory", "folder"),
])
def test_bad_files_raise_one_error_naming_file_and_reason(files, kind, reason):
    with pytest.raises(ImageLoadError) as info:
        load_image(files[kind])
    msg = str(info.value)
    assert str(files[kind]) in msg
    assert reason in msg.lower()


def test_missing_file(tmp_path):
    with pytest.raises(ImageLoadError, match="no such file"):
        load_image(tmp_path / "nope.png")


def test_unreadable_file(tmp_path, monkeypatch):
    p = tmp_path / "secret.png"
    p.write_bytes(b"x")
    if os.geteuid() != 0:
        os.chmod(p, 0)
    else:  # root reads anything: simulate the OS refusing
        from pathlib import Path

        def deny(self):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(ImageLoadError, match="permission denied"):
        load_image(p)


@pytest.mark.parametrize("kind", ["tiny", "thin", "png16", "tiff_float", "cmyk", "palette", "rgba", "gif",
                                  "multipage", "exif", "unicode", "grey"])
def test_every_odd_kind_loads_as_rgb(files, kind):
    img = load_image(files[kind])
    assert img.mode == "RGB"
    assert img.size[0] >= 1 and img.size[1] >= 1


def test_sixteen_bit_is_rescaled_not_clipped(files):
    a = np.asarray(load_image(files["png16"]))
    assert a.min() == 0 and a.max() == 255
    assert len(np.unique(a[..., 0])) > 100


def test_float_tiff_spans_the_range(files):
    a = np.asarray(load_image(files["tiff_float"]))
    assert a.min() == 0 and a.max() == 255


def test_cmyk_red_is_red(files):
    r, g, b = np.asarray(load_image(files["cmyk"]))[5, 5]
    assert r > 200 and g < 60 and b < 60


def test_transparency_is_composited_on_white(files):
    pal = np.asarray(load_image(files["palette"]))
    assert tuple(pal[5, 2]) == (255, 255, 255)  # index 0 transparent
    assert tuple(pal[5, 15]) == (0, 0, 255)
    rgba = np.asarray(load_image(files["rgba"]))
    assert tuple(rgba[0, 0]) == (255, 255, 255)


def test_first_frame_of_animations_and_pages(files):
    assert tuple(np.asarray(load_image(files["gif"]))[8, 8]) == (255, 0, 0)
    assert tuple(np.asarray(load_image(files["multipage"]))[8, 8]) == (0, 255, 0)


def test_exif_orientation_applied(files):
    img = load_image(files["exif"])
    assert img.size == (20, 40)  # stored 40x20, shown rotated upright
    a = np.asarray(img).mean(axis=2)
    assert a[5, 10] > 200 and a[35, 10] < 50  # stored left half (white) is now the top


def test_decode_bytes_and_pixel_limit(files):
    data = files["thin"].read_bytes()
    assert decode_image(data, "clipboard").size == (4000, 12)
    with pytest.raises(ImageLoadError, match="too large"):
        decode_image(data, "clipboard", max_pixels=1000)
