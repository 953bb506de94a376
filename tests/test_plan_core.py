"""The core under the window's run loop (issue 23), without Qt: validation early in a run, a refused start that writes
no folder, a continued run's history read back from its folder, the run left unfinished found after a restart."""

from __future__ import annotations

import json

from tests.tiny import tiny_config
from train_backend.engine import Trainer
from train_backend.engine.trainer import validation_due
from train_backend.payloads import StepMetrics
from train_backend.runs import run_history
from train_backend.session import last_unfinished_run


def test_a_run_validates_twice_before_its_first_regular_validation():
    assert [s for s in range(1, 301) if validation_due(s, 100)] == [25, 50, 100, 200, 300]
    assert [s for s in range(1, 13) if validation_due(s, 4)] == [4, 8, 12]  # too few steps to split


def test_a_start_refused_at_set_up_writes_no_folder(tmp_path):
    run = tmp_path / "runs" / "new-run"
    end = Trainer(tiny_config(dataset="folder", data_root=str(tmp_path / "missing")), run_dir=run).run()
    assert end.reason == "config" and "does not exist" in end.message
    assert not run.exists()


def test_a_refused_start_never_removes_a_folder_it_did_not_make(tmp_path):
    run = tmp_path / "kept"
    run.mkdir()
    (run / "notes.txt").write_text("mine")
    end = Trainer(tiny_config(dataset="folder", data_root=str(tmp_path / "missing")), run_dir=run).run()
    assert end.reason == "config" and (run / "notes.txt").read_text() == "mine"


def _step(step: int) -> dict:
    m = StepMetrics(step, 0, step, 100, 100, 1.0 / step, 0.5, 0.01, 100.0, float(step), None)
    return {"kind": "step", **m.__dict__}


def test_history_is_the_runs_past_up_to_the_checkpoint_it_continues_from(tmp_path):
    records = [{"kind": "start", "step": 0}, *map(_step, range(1, 6)),
               {"kind": "validation", "epoch": 0, "step": 5, "loss": 1.0, "top1_error": 0.5, "top5_error": 0.1,
                "images": 16, "ten_crop": False, "subset": True},
               *map(_step, range(6, 9)), {"kind": "end", "reason": "stopped"},
               {"kind": "start", "step": 5}, _step(6)]  # continued from an older checkpoint, at step 5
    lines = [json.dumps(r) for r in records] + ["{not json", '{"kind": "step", "step": 2}']
    (tmp_path / "metrics.jsonl").write_text("\n".join(lines) + "\n")
    events = run_history(tmp_path, 5)
    assert [k for k, _ in events] == ["steps", "validation"]
    assert [m.step for m in events[0][1]] == [1, 2, 3, 4, 5] and events[1][1].step == 5
    assert run_history(tmp_path / "nothing-here", 5) == []


def test_the_newest_run_is_offered_after_a_restart_only_when_unfinished(tmp_path):
    from train_backend.engine import Callback, TrainControl

    root = tmp_path / "runs"
    done = root / "20261201-000000-quick-synthetic"
    assert Trainer(tiny_config(max_steps=2), run_dir=done).run().reason == "max_steps"
    assert last_unfinished_run(root) is None  # the newest run finished

    control = TrainControl()

    class StopAt3(Callback):
        def on_batch_end(self, trainer, m):
            if m.step >= 3:
                control.stop()

    stopped = root / "20261202-000000-quick-synthetic"
    end = Trainer(tiny_config(max_steps=50, metrics_every=1), [StopAt3()], control, run_dir=stopped).run()
    assert end.reason == "stopped"
    target = last_unfinished_run(root)
    assert target is not None and target.run_dir == str(stopped) and target.step == end.step
    assert target.checkpoint == str(stopped / "last.pt") and target.config.max_steps == 50
    assert last_unfinished_run(tmp_path / "no-runs") is None
