"""TensorBoard event files (--tensorboard / the tensorboard setting), read back with TensorBoard's own reader, the
message when the package is missing, and README's list of metrics.jsonl's fields."""

import dataclasses
import io
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.test_engine import tiny_config
from train_backend.cli import main
from train_backend.data import load_dataset
from train_backend.engine import Trainer
from train_backend.optional import TENSORBOARD_HINT, module_available, tensorboard_problem
from train_backend.payloads import EpochMetrics, StepMetrics, TrainEnd, ValidationResult
from train_backend.config import TrainConfig

README = Path(__file__).resolve().parent.parent / "README.md"
requires_tensorboard = pytest.mark.skipif(
    not module_available("tensorboard"),
    reason="the optional 'tensorboard' package is not installed (pip install -e '.[tensorboard]')")


@pytest.fixture(scope="module")
def tiny_data():
    return load_dataset("synthetic", n_train=64, n_val=16, size=48)


@pytest.fixture
def no_tensorboard(monkeypatch):
    """As on a machine without the package: importing it fails."""
    monkeypatch.setitem(sys.modules, "tensorboard", None)


def read_events(folder: Path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    ea = EventAccumulator(str(folder), size_guidance={"scalars": 0, "images": 0, "histograms": 0, "tensors": 0})
    ea.Reload()
    return ea


def records(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]


@requires_tensorboard
def test_events_read_back_with_tensorboards_reader(tmp_path, tiny_data):
    from PIL import Image
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData

    from train_backend.engine.tensorboard_log import TB_DIR, TensorBoardLog, tower_image

    run = tmp_path / "run"
    cfg = tiny_config(epochs=1, max_steps=4, val_every_steps=2, tensorboard=True, tensorboard_histogram_every=2)
    trainer = Trainer(cfg, run_dir=run, bundle=tiny_data)
    assert sum(isinstance(cb, TensorBoardLog) for cb in trainer.callbacks) == 1
    end = trainer.run()
    assert end.reason == "max_steps", end.message
    ea = read_events(run / TB_DIR)
    tags = ea.Tags()
    log = records(run)
    steps = [r for r in log if r["kind"] == "step"]
    vals = [r for r in log if r["kind"] == "validation"]

    # scalars: the same steps and values as metrics.jsonl
    def scalars(tag):
        return [(e.step, e.value) for e in ea.Scalars(tag)]

    assert [s for s, _ in scalars("train/loss")] == [r["step"] for r in steps] == [1, 2, 3, 4]
    assert np.allclose([v for _, v in scalars("train/loss")], [r["loss"] for r in steps])
    assert np.allclose([v for _, v in scalars("train/top1_error")], [1 - r["top1"] for r in steps])
    assert np.allclose([v for _, v in scalars("train/lr")], [r["lr"] for r in steps])
    assert np.allclose([v for _, v in scalars("train/images_per_sec")], [r["images_per_sec"] for r in steps],
                       rtol=1e-6)
    assert [s for s, _ in scalars("val/top1_error")] == [r["step"] for r in vals] == [2, 4]
    for key in ("loss", "top1_error", "top5_error"):
        assert np.allclose([v for _, v in scalars(f"val/{key}")], [r[key] for r in vals])
    assert scalars("final/val_top1_error") == [(4, pytest.approx(vals[-1]["top1_error"]))]
    assert scalars("final/train_loss") == [(4, pytest.approx(steps[-1]["loss"]))]

    # conv1's kernels, both towers, at the start, every 2 steps and at the end; the last is the final weights
    assert set(tags["images"]) == {"conv1/kernels/tower_1", "conv1/kernels/tower_2"}
    snap = trainer.kernel_snapshot()
    for t in (0, 1):
        events = ea.Images(f"conv1/kernels/tower_{t + 1}")
        assert [e.step for e in events] == [0, 2, 4]
        got = np.asarray(Image.open(io.BytesIO(events[-1].encoded_image_string)).convert("RGB"))
        assert np.array_equal(got, tower_image(snap, t))
        first = np.asarray(Image.open(io.BytesIO(events[0].encoded_image_string)).convert("RGB"))
        assert not np.array_equal(first, got)  # the kernels learnt
    assert ea.Images("conv1/kernels/tower_1")[-1].encoded_image_string != \
        ea.Images("conv1/kernels/tower_2")[-1].encoded_image_string

    # histograms of every weight (from step 0) and every gradient (once there is one)
    names = [n for n, _ in trainer.model.named_parameters()]
    assert set(tags["histograms"]) == {f"weights/{n}" for n in names} | {f"gradients/{n}" for n in names}
    params = dict(trainer.model.named_parameters())
    for n in names:
        assert [e.step for e in ea.Histograms(f"weights/{n}")] == [0, 2, 4]
        assert [e.step for e in ea.Histograms(f"gradients/{n}")] == [2, 4]
        h = ea.Histograms(f"weights/{n}")[-1].histogram_value
        p = params[n].detach()
        assert h.num == p.numel() == sum(h.bucket)
        assert h.min == pytest.approx(float(p.min())) and h.max == pytest.approx(float(p.max()))
        assert h.sum == pytest.approx(float(p.sum()), rel=1e-4, abs=1e-4)
        g = ea.Histograms(f"gradients/{n}")[-1].histogram_value
        assert g.num == p.numel() == sum(g.bucket) and g.max == pytest.approx(float(params[n].grad.max()))

    # the config as hparams, the final metrics named, the session's success
    content = {tag: HParamsPluginData.FromString(c) for tag, c in ea.PluginTagToContent("hparams").items()}
    exp = content["_hparams_/experiment"].experiment
    assert {m.name.tag for m in exp.metric_infos} >= {"final/val_top1_error", "final/val_top5_error",
                                                      "final/train_loss"}
    start = content["_hparams_/session_start_info"].session_start_info.hparams
    assert start["lr"].number_value == pytest.approx(cfg.lr) and start["batch_size"].number_value == 16
    assert start["model"].string_value == "paper" and start["model.width"].number_value == 0.25
    assert start["tensorboard"].string_value == "true" and start["max_steps"].number_value == 4
    assert start["data_root"].string_value == "none"  # None as text
    assert content["_hparams_/session_end_info"].session_end_info.status == 1  # STATUS_SUCCESS


@requires_tensorboard
def test_cli_flag_writes_events_and_a_resumed_run_continues_them(tmp_path, capsys):
    run = tmp_path / "run"
    args = ["train", "--recipe", "quick", "--dataset", "synthetic", "--batch-size", "8", "--input-size", "67",
            "--val-subset", "8", "--set", "width=0.25", "--set", "hidden=64", "--device", "cpu", "--out", str(run),
            "--quiet", "--tensorboard", "--tensorboard-every", "3"]
    assert main(args + ["--max-steps", "2"]) == 0, capsys.readouterr()
    assert json.loads((run / "config.json").read_text())["tensorboard_histogram_every"] == 3
    assert main(args + ["--max-steps", "3", "--resume", str(run / "last.pt")]) == 0, capsys.readouterr()
    assert len(list((run / "tensorboard").glob("events.out.tfevents.*"))) == 2
    ea = read_events(run / "tensorboard")
    assert [e.step for e in ea.Scalars("train/loss")] == [1, 2, 3]
    # the start and the end of the first attempt; the resumed one adds step 3 (every 3 steps, and its end)
    assert [e.step for e in ea.Images("conv1/kernels/tower_1")] == [0, 2, 3]
    assert [e.step for e in ea.Histograms("gradients/conv1.weight")] == [2, 3]


def test_off_attaches_nothing_and_imports_nothing(tmp_path, tiny_data, no_tensorboard, monkeypatch):
    for name in ("torch.utils.tensorboard", "train_backend.engine.tensorboard_log"):  # importing them would fail
        monkeypatch.setitem(sys.modules, name, None)
    trainer = Trainer(tiny_config(max_steps=1), run_dir=tmp_path / "run", bundle=tiny_data)
    assert not any(type(cb).__name__ == "TensorBoardLog" for cb in trainer.callbacks)
    assert trainer.run().reason == "max_steps"
    assert not (tmp_path / "run" / "tensorboard").exists()


def test_missing_package_is_said_with_how_to_get_it(no_tensorboard, tmp_path, capsys):
    assert tensorboard_problem() == TENSORBOARD_HINT and "pip install 'alexnet-gui[tensorboard]'" in TENSORBOARD_HINT
    assert TENSORBOARD_HINT in TrainConfig(tensorboard=True).problems()
    assert TrainConfig(tensorboard=False).problems() == []
    run = tmp_path / "run"
    code = main(["train", "--recipe", "quick", "--dataset", "synthetic", "--max-steps", "1", "--out", str(run),
                 "--tensorboard"])
    err = capsys.readouterr().err
    assert code == 2 and "pip install 'alexnet-gui[tensorboard]'" in err
    assert not run.exists()  # nothing started
    # the engine refuses too (a config from elsewhere), as a config end, not a crash
    end = Trainer(TrainConfig(tensorboard=True, dataset="synthetic", max_steps=1), run_dir=run).run()
    assert end.reason == "config" and TENSORBOARD_HINT in end.message and not run.exists()


def test_session_refuses_to_start_without_the_package(no_tensorboard, monkeypatch):
    from train_backend import session as session_mod
    from train_backend.session import Session, initial_config

    monkeypatch.setattr(session_mod, "default_dataset", lambda: "synthetic")
    s = Session(initial_config("quick", "synthetic"))
    notices = []
    s.notice.connect(lambda *a: notices.append(a))
    s.config = s.config.replace(tensorboard=True)
    assert s.start() is None and s.state == "idle"
    assert any(kind == "error" and TENSORBOARD_HINT in text for kind, text in notices)


def test_settings_dialog_says_how_to_get_it_when_ticked(qtbot, no_tensorboard):
    from alexnet_gui.widgets.settings_dialog import SettingsDialog

    dlg = SettingsDialog(TrainConfig(), ["auto", "cpu"])
    qtbot.addWidget(dlg)
    assert dlg.value("tensorboard") is False and dlg.value("tensorboard_histogram_every") == 100
    dlg.set_value("tensorboard", True)  # said at once, not only on OK
    assert "pip install 'alexnet-gui[tensorboard]'" in dlg.problem.text()
    dlg.accept()
    assert TENSORBOARD_HINT in dlg.problem.text() and dlg.result() == 0
    dlg.set_value("tensorboard", False)
    assert dlg.problem.text() == ""
    dlg.accept()
    assert dlg.result() == 1



@requires_tensorboard
def test_the_windows_setting_writes_event_files_into_its_run_folder(qtbot, window):
    window.lab.config = window.lab.config.replace(max_steps=3, tensorboard=True, tensorboard_histogram_every=2)
    window.lab.toggle_start_pause()
    qtbot.waitUntil(lambda: window.lab.last_end is not None, timeout=60_000)
    assert window.lab.last_end.reason == "max_steps", window.lab.last_end.message
    ea = read_events(Path(window.lab.run_info.run_dir) / "tensorboard")
    assert [e.step for e in ea.Scalars("train/loss")] == [1, 2, 3]
    assert [e.step for e in ea.Images("conv1/kernels/tower_2")] == [0, 2, 3]
    assert [e.step for e in ea.Histograms("gradients/fc8.weight")] == [2, 3]

# ------------------------------------------------------------------ README's metrics.jsonl fields

def documented_fields() -> dict[str, set[str]]:
    """README's tables under '**`kind: "..."`**', field names by kind."""
    text = README.read_text(encoding="utf-8")
    section = text.split("**`metrics.jsonl`, for other tools.**", 1)[1].split("\n## ", 1)[0]
    out: dict[str, set[str]] = {}
    kind = None
    for line in section.splitlines():
        m = re.match(r'\*\*`kind: "(\w+)"`\*\*', line)
        if m:
            kind = m.group(1)
            out[kind] = set()
            continue
        m = re.match(r"\| `(\w+)` \|", line)
        if m and kind is not None:
            out[kind].add(m.group(1))
    return out


def test_readme_documents_every_metrics_record_field_and_only_those(tmp_path, tiny_data):
    doc = documented_fields()
    names = lambda cls: {f.name for f in dataclasses.fields(cls)}  # noqa: E731
    assert doc == {"step": names(StepMetrics), "validation": names(ValidationResult) - {"confusion"},
                   "epoch": names(EpochMetrics), "note": {"text"}, "end": names(TrainEnd),
                   "start": {"time", "step", "epoch", "pid", "host"}}
    # and a real run writes exactly those keys (compile_lrn on the CPU makes a note)
    run = tmp_path / "run"
    end = Trainer(tiny_config(epochs=1, batch_size=32, compile_lrn=True), run_dir=run, bundle=tiny_data).run()
    assert end.reason == "finished", end.message
    written: dict[str, set[str]] = {}
    for r in records(run):
        written.setdefault(r["kind"], set()).update(set(r) - {"kind"})
    assert written == doc



def test_big_tensors_are_binned_from_a_strided_sample_with_exact_moments():
    import torch

    from train_backend.engine.tensorboard_log import histogram

    g = torch.Generator().manual_seed(0)
    w = torch.randn(1000, 3000, generator=g) * 0.01  # 3 M values: stride 2 shares a factor with 3000, so 7
    lo, hi, n, total, squares, limits, counts = histogram(w, bins=32, sample=1 << 20)
    assert (lo, hi, n) == (float(w.min()), float(w.max()), w.numel())
    assert total == pytest.approx(float(w.double().sum()), abs=1e-3)
    assert squares == pytest.approx(float((w.double() ** 2).sum()), rel=1e-4)  # float32 accumulation
    assert sum(counts) == pytest.approx(n, rel=1e-9) and len(limits) == len(counts) == 32
    full = torch.histc(w, 32, lo, hi)
    assert np.allclose(np.array(counts) / n, (full / n).numpy(), atol=2e-3)  # the sample's shape is the tensor's
    assert limits[-1] == pytest.approx(hi)
    assert histogram(torch.full((4,), 1.0))[5:] == ([1.0], [4.0])  # one value: one bucket
    assert histogram(torch.tensor([float("nan"), 1.0])) is None and histogram(torch.empty(0)) is None
