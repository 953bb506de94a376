"""The edges of ``alexnet-gui train`` (issue 25): every config problem is refused before a run folder exists, in one
line on stderr with exit 2; a batch that cannot fit in memory is refused with the estimate; Ctrl+C stops after the
batch, writes the checkpoint and says how to resume (exit 130), a second one abandons the write (exit 130) and says
whether a checkpoint exists; ``--resume RUN/last.pt`` continues in RUN with the run's own settings."""

from __future__ import annotations

import json
import signal

import pytest
import torch

import train_backend.engine as engine
from train_backend.cli import main

FAST = ["--recipe", "quick", "--dataset", "synthetic", "--batch-size", "8", "--input-size", "67", "--val-subset", "16",
        "--quiet"]


@pytest.fixture
def no_trainer(monkeypatch):
    """A refusal must come before any trainer is built (so before any run folder exists)."""
    def refuse(*args, **kwargs):
        raise AssertionError("a trainer was built for a config that cannot work")

    monkeypatch.setattr(engine, "Trainer", refuse)


def _refused(capsys, argv) -> str:
    code = main(["train", *argv])
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert code == 2, captured
    assert captured.out == "" and len(err) == 1 and err[0].startswith("alexnet-gui: error: "), captured
    return err[0]


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is here")
def test_a_device_that_is_not_here_is_refused_before_the_run_folder(tmp_path, capsys, no_trainer):
    assert "no CUDA GPU" in _refused(capsys, ["--device", "cuda", "--out", str(tmp_path / "run")])
    assert not (tmp_path / "run").exists()


def test_a_missing_checkpoint_is_refused_before_the_run_folder(tmp_path, capsys, no_trainer):
    assert "no such file" in _refused(capsys, ["--resume", str(tmp_path / "missing.pt"), "--out",
                                               str(tmp_path / "run")])
    assert not (tmp_path / "run").exists()


def test_a_missing_data_root_is_refused_before_the_run_folder(tmp_path, capsys, no_trainer):
    line = _refused(capsys, ["--dataset", "fashion-mnist", "--data-root", "/nonexistent", "--out",
                             str(tmp_path / "run")])
    assert "/nonexistent" in line and not (tmp_path / "run").exists()


def test_a_run_folder_that_is_a_file_is_refused(tmp_path, capsys, no_trainer):
    notes = tmp_path / "notes.jpg"
    notes.write_bytes(b"not a folder")
    assert "is a file" in _refused(capsys, ["--out", str(notes)])
    assert notes.read_bytes() == b"not a folder"


@pytest.mark.parametrize("argv", [["--batch-size", "100000000"], ["--set", "batch_size=100000000"]])
def test_a_batch_past_the_tables_bound_is_refused_by_it(tmp_path, capsys, no_trainer, argv):
    line = _refused(capsys, [*argv, "--out", str(tmp_path / "run")])
    assert "batch size must be at most 65536 (got 100000000)" in line  # as the dialog refuses it
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("argv", [["--batch-size", "65536"], ["--set", "batch_size=65536"]])
def test_a_batch_that_cannot_fit_in_memory_is_refused_with_the_estimate(tmp_path, capsys, no_trainer, argv):
    """Within the table's bound, the paper's net at 227 px: about 0.66 M values an image, 170 GiB a batch."""
    line = _refused(capsys, ["--recipe", "paper", "--dataset", "synthetic", *argv, "--out", str(tmp_path / "run")])
    assert "65,536" in line and "GiB" in line and "memory" in line and "values per image" in line
    assert not (tmp_path / "run").exists()


def _interrupt_at(monkeypatch, step: int, second_in_write: bool = False):
    """Ctrl+C after batch ``step``, and with ``second_in_write`` again while the stop's checkpoint is written."""
    from train_backend.engine import checkpointing

    real_emit = engine.Trainer.emit

    def emit(self, hook, *args):
        real_emit(self, hook, *args)
        if hook == "on_batch_end" and self.state.step == step:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(engine.Trainer, "emit", emit)
    if second_in_write:
        real_save = checkpointing.atomic_save

        stopping = {"now": False}

        def save(ckpt, path):
            if stopping["now"]:  # the stop's checkpoint: Ctrl+C again while it is written
                signal.raise_signal(signal.SIGINT)
            return real_save(ckpt, path)

        real_stopped = engine.trainer.stopped

        def stopped(trainer):
            stopping["now"] = True
            return real_stopped(trainer)

        monkeypatch.setattr(checkpointing, "atomic_save", save)
        monkeypatch.setattr(engine.trainer, "stopped", stopped)


def test_ctrl_c_stops_after_the_batch_writes_the_checkpoint_and_says_how_to_resume(tmp_path, capsys, monkeypatch):
    out = tmp_path / "run"
    _interrupt_at(monkeypatch, 2)
    code = main(["train", *FAST, "--max-steps", "6", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 130, captured
    assert "stopped at step 2" in captured.out and (out / "last.pt").is_file()
    assert f"to resume: alexnet-gui train --resume {out / 'last.pt'}" in captured.err


@pytest.mark.parametrize("earlier", [False, True])
def test_a_second_ctrl_c_abandons_the_write_and_says_whether_a_checkpoint_exists(tmp_path, capsys, monkeypatch,
                                                                                 earlier):
    out = tmp_path / "run"
    if earlier:  # a checkpoint from a run before: it stays as it was
        assert main(["train", *FAST, "--max-steps", "1", "--out", str(out)]) == 0
        before = (out / "last.pt").read_bytes()
    capsys.readouterr()
    _interrupt_at(monkeypatch, 2 if earlier else 1, second_in_write=True)
    argv = ["--resume", str(out / "last.pt"), "--max-steps", "5"] if earlier else [*FAST, "--max-steps", "5",
                                                                                    "--out", str(out)]
    code = main(["train", *argv])
    captured = capsys.readouterr()
    assert code == 130, captured
    err = captured.err.strip().splitlines()[-1]
    assert err.startswith("abandoned: ") and "could not write" not in captured.out + captured.err
    if earlier:
        assert "is unchanged" in err and f"--resume {out / 'last.pt'}" in err
        assert (out / "last.pt").read_bytes() == before
    else:
        assert "no checkpoint exists" in err and not (out / "last.pt").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_resume_alone_continues_in_the_run_folder_with_its_settings(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", *FAST, "--lr", "0.003", "--max-steps", "2", "--out", str(out)]) == 0
    capsys.readouterr()
    code = main(["train", "--resume", str(out / "last.pt"), "--max-steps", "3"])
    text = capsys.readouterr().out
    assert code == 0 and "resuming at step 2" in text and "step 3/3" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no new folder
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["kind"] for r in records].count("start") == 2  # appended
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["lr"] == 0.003 and cfg["input_size"] == 67 and cfg["batch_size"] == 8 and cfg["max_steps"] == 3


def test_experiment_a_second_ctrl_c_abandons_the_report_and_says_so(tmp_path, capsys, monkeypatch):
    from train_backend.experiments import runner

    def interrupted_twice(*args, control=None, **kwargs):
        signal.raise_signal(signal.SIGINT)  # the first: a stop after the batch
        assert control.stop_requested
        signal.raise_signal(signal.SIGINT)  # the second: abandon
        raise AssertionError("the second Ctrl+C did not end the experiment")

    monkeypatch.setattr(runner, "run_experiment", interrupted_twice)
    from train_backend.experiments import EXPERIMENTS

    code = main(["experiment", next(iter(EXPERIMENTS)), "--steps", "2", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 130 and err[-1].startswith("abandoned: no report was written")
