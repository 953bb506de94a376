"""A user's journey through the run loop on a real display (run by tests/test_desktop.py on Xvfb, Qt's xcb platform):

launch → Start (the toolbar button, clicked) → Pause (Space) → close → reopen → the button says Continue → click →
the same run folder, one continuous curve, no second folder → Load weights → the button says Fine-tune before
anything runs.

``python -m tests.journey OUT_DIR``: the runs and settings live in OUT_DIR; screenshots of each step are written there
(idle.png, running.png, paused.png, continue.png, fine-tune.png); the findings are printed as one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(out: str) -> int:
    out_dir = Path(out)
    os.environ["ALEXNET_GUI_RUNS"] = str(out_dir / "runs")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from alexnet_gui.app import create_app, wait_for
    from alexnet_gui.main_window import LaunchOptions, MainWindow
    from train_backend.io.checkpoints import save_checkpoint

    app = create_app()
    found: dict = {"platform": app.platformName()}
    settings_file = str(out_dir / "settings.ini")

    def window() -> MainWindow:
        win = MainWindow(LaunchOptions(dataset=None, default_layout=True),
                         settings=QSettings(settings_file, QSettings.Format.IniFormat))
        win.resize(1280, 800)
        win.show()
        win.raise_()
        win.activateWindow()
        return win

    def start_button(win):
        return win.toolbar.widgetForAction(win.act_start)

    def shot(win, name: str) -> None:
        wait_for(app, lambda: False, 0.3)
        win.grab().save(str(out_dir / f"{name}.png"))

    def runs() -> list[str]:
        root = out_dir / "runs"
        return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []

    # 1. launch: a tiny network on the synthetic set (the settings a user would pick in the dialog)
    win = window()
    wait_for(app, lambda: win.lab.session.weights is not None, 120)
    win.lab.set_dataset("synthetic")
    win.lab.config = win.lab.config.replace(model_options={"width": 0.25, "hidden": 64, "init": "kaiming"}, input_size=67,
                                    batch_size=8, epochs=100, val_subset=16, val_every_steps=None, device="cpu",
                                    warmup_steps=0, schedule="constant")
    found["idle_button"] = start_button(win).text()
    found["idle_plan"] = win.lbl_progress.text()
    shot(win, "idle")
    width = start_button(win).width()
    # 2. Start: a click on the toolbar button
    QTest.mouseClick(start_button(win), Qt.MouseButton.LeftButton)
    wait_for(app, lambda: win.lab.state == "running" and win.curves.loss.total_added >= 4, 120)
    found["running_button"] = start_button(win).text()
    shot(win, "running")
    # 3. Pause: the Space key, as the tooltip says
    QTest.keyClick(win, Qt.Key.Key_Space)
    found["pressed_pause"] = start_button(win).text()
    wait_for(app, lambda: win.lab.state == "paused", 60)
    found["paused_button"] = start_button(win).text()
    found["paused_status"] = win.lbl_progress.text()
    found["width_kept"] = start_button(win).width() == width
    shot(win, "paused")
    # 4. close (stops with a checkpoint), 5. reopen
    win.close()
    found["runs_after_close"] = runs()
    stopped_at = max(json.loads(line)["step"] for line in
                     (out_dir / "runs" / runs()[0] / "metrics.jsonl").read_text().splitlines()
                     if '"kind": "step"' in line)
    found["stopped_at"] = stopped_at
    win = window()
    wait_for(app, lambda: start_button(win).text() == "Continue", 60)
    found["reopened_button"] = start_button(win).text()
    found["reopened_tooltip"] = win.act_start.toolTip()
    shot(win, "continue")
    # 6. Continue: a click; it trains on from where it stopped, in the same folder
    QTest.mouseClick(start_button(win), Qt.MouseButton.LeftButton)
    wait_for(app, lambda: win.lab.state == "running" and len(win.curves.loss.x) and
             win.curves.loss.x[-1] >= stopped_at + 3, 120)
    with_history = [float(x) for x in win.curves.loss.x]
    win.lab.stop_training()
    wait_for(app, lambda: win.lab.last_end is not None, 60)
    found["runs_after_continue"] = runs()
    steps = [json.loads(line)["step"] for line in
             (out_dir / "runs" / runs()[0] / "metrics.jsonl").read_text().splitlines() if '"kind": "step"' in line]
    found["logged_steps_continuous"] = steps == list(range(1, len(steps) + 1))
    found["curve_continuous"] = with_history[0] == 1 and with_history == sorted(with_history) and \
        len(with_history) == len(set(with_history))
    # 7. Load weights → the button says Fine-tune before anything runs
    w = win.lab.worker.weights
    weights = out_dir / "trained.pt"
    save_checkpoint(str(weights), w.model, w.classes, w.input)
    win.lab.load_weights(str(weights))
    wait_for(app, lambda: start_button(win).text() == "Fine-tune", 60)
    found["loaded_button"] = start_button(win).text()
    found["loaded_tooltip"] = win.act_start.toolTip()
    found["trained_before_click"] = win.lab.worker.training
    shot(win, "fine-tune")
    win.close()
    print(json.dumps(found), flush=True)
    return 0


if __name__ == "__main__":
    started = time.monotonic()
    code = main(sys.argv[1])
    print(f"journey: {time.monotonic() - started:.1f} s", file=sys.stderr)
    raise SystemExit(code)
