"""Status you can trust: notifications expire and no status tip hides them; a failed download ends its busy
indicator; an offline download of torchvision's weights says what to do; predictions' captions say what the weights
are (fresh, trained here on which data set) and when their classes are not the data set's."""

from __future__ import annotations

import socket
import urllib.error

import pytest

from tests.imagefiles import gradient_rgb


def _offline(monkeypatch):
    import torch.hub

    def no_network(*args, **kwargs):
        raise urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))

    monkeypatch.setattr(torch.hub, "urlopen", no_network)


def test_offline_torchvision_weights_say_which_file_goes_where(monkeypatch):
    from torch.hub import get_dir

    from train_backend.io.checkpoints import CheckpointError
    from train_backend.io.weights import resolve_weights

    _offline(monkeypatch)
    with pytest.raises(CheckpointError) as caught:
        resolve_weights("torchvision")
    text = str(caught.value)
    first = text.splitlines()[0]
    assert "urlopen" not in first and "Errno" not in first and "no network" in first
    assert "alexnet-owt-7be5be79.pth" in text and f"{get_dir()}/checkpoints" in text


def test_a_failed_download_ends_the_busy_indicator_and_its_text(qtbot, window, monkeypatch):
    _offline(monkeypatch)
    monkeypatch.setattr("alexnet_gui.main_window.MainWindow.isVisible", lambda self: False)  # no message box
    before = window.lbl_progress.text()
    window.lab.load_weights("torchvision")
    qtbot.waitUntil(lambda: any(level == "error" for level, _ in window.lab.messages), timeout=30_000)
    qtbot.waitUntil(lambda: not window.status.progress.isVisible(), timeout=30_000)
    assert "downloading" not in window.lbl_progress.text() and window.lbl_progress.text() == before
    assert "alexnet-owt-7be5be79.pth" in window.lbl_message.toolTip()


def test_notifications_expire_and_a_status_tip_does_not_hide_them(qtbot, window, monkeypatch):
    from alexnet_gui import status_bar

    monkeypatch.setitem(status_bar.MESSAGE_TIMEOUT_S, "warning", 0.3)
    window.lab.notify("warning", "an experiment is running (Experiments panel): stop it or let it finish")
    window.statusBar().showMessage("Start, pause or resume training")  # what hovering a toolbar button does
    assert window.lbl_message.isVisible() and "experiment" in window.lbl_message.text()
    window.statusBar().clearMessage()
    qtbot.waitUntil(lambda: window.lbl_message.text() == "", timeout=5_000)
    assert ("warning", "an experiment is running (Experiments panel): stop it or let it finish") in window.lab.messages
    assert not any(a.statusTip() for a in window.actions())


def test_captions_say_fresh_trained_here_and_stale_classes(qtbot, window):
    window.lab.show_image(gradient_rgb(), "gradient")
    qtbot.waitUntil(lambda: window.lab.probe_idle() and window.predictions.prediction is not None, timeout=30_000)
    assert "fresh, untrained" in window.predictions.caption.text()
    window.lab.config = window.lab.config.replace(max_steps=3)
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.lab.start_training(fresh=True)
    qtbot.waitUntil(lambda: "trained here on synthetic (3 steps)" in window.predictions.caption.text(),
                    timeout=30_000)
    assert "training (step" not in window.predictions.caption.text()

    window.lab.set_dataset("fashion-mnist")  # the weights still answer in the synthetic set's classes
    caption = window.predictions.caption.text()
    assert "not fashion-mnist's" in caption and "trained here on synthetic" in caption
    window.lab.set_dataset("synthetic")
    assert "not " not in window.predictions.caption.text()

    window.act_untrained.trigger()
    qtbot.waitUntil(lambda: "fresh, untrained" in window.predictions.caption.text(), timeout=30_000)
