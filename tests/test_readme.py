"""README's example outputs are the real commands' (tools/readme.py): a changed output fails here until
`python3 tools/readme.py` rewrites them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_readme_outputs_are_current():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "readme.py"), "--check"], check=False, cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-6000:]


def test_masks_keep_what_is_computed():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import readme
    finally:
        sys.path.remove(str(ROOT / "tools"))
    a = "epoch 1/2 step 1/4 [1/256] loss 2.0021 acc  25.0% lr 6.67e-04    1.2 img/s ETA 00:19"
    b = "epoch 1/2 step 1/4 [1/256] loss 1.9000 acc  12.5% lr 6.67e-04   99.9 img/s ETA 01:02"
    assert readme.masked([a]) == readme.masked([b])
    assert readme.masked([a]) != readme.masked([a.replace("lr 6.67e-04", "lr 1.00e-03")])
    assert readme.masked([a]) != readme.masked([a.replace("[1/256]", "[1/128]")])
