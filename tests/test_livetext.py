"""LiveText: a label whose new text repaints it without re-laying out the window (alexnet_gui/widgets/livetext.py)."""

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QToolTip, QVBoxLayout, QWidget

from alexnet_gui.widgets.livetext import LiveText

pytestmark = pytest.mark.gui


class LayoutRequests(QObject):
    """Counts the LayoutRequest events a widget receives."""

    def __init__(self, widget):
        super().__init__()
        self.count = 0
        self.widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, obj, ev):
        if obj is self.widget and ev.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def window_with(qtbot, label):
    """A main window with a dock whose panel holds `label` in a layout, shown and settled."""
    win = QMainWindow()
    qtbot.addWidget(win)
    panel = QWidget()
    lay = QVBoxLayout(panel)
    lay.addWidget(label)
    lay.addWidget(QLabel("something else in the panel"))
    dock = QDockWidget("panel", win)
    dock.setWidget(panel)
    win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    win.setCentralWidget(QLabel("centre"))
    win.resize(600, 400)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(50)
    return win


@pytest.mark.parametrize("kind", ["QLabel", "LiveText"])
def test_a_new_text_relayouts_the_window_only_for_a_qlabel(qtbot, kind):
    label = QLabel("step 0") if kind == "QLabel" else LiveText("step 0")
    win = window_with(qtbot, label)
    requests = LayoutRequests(win)
    for step in range(1, 6):
        label.setText(f"step {step:,} · loss {1 / step:.4f}")
        qtbot.wait(20)
    if kind == "QLabel":  # the cost LiveText removes: every text re-lays out the main window
        assert requests.count >= 5
    else:
        assert requests.count == 0
        assert label.text() == "step 5 · loss 0.2000"


def test_size_hint_does_not_depend_on_the_text(qtbot):
    t = LiveText("short", lines=2, chars=30)
    qtbot.addWidget(t)
    hint = t.sizeHint()
    t.setText("a much longer text " * 20)
    assert t.sizeHint() == hint
    assert hint.height() >= 2 * t.fontMetrics().lineSpacing()
    assert t.minimumSizeHint().width() < hint.width()


def painted_pixels(widget, colour=None):
    img = widget.grab().toImage()
    bg = img.pixelColor(0, 0)
    n = 0
    for x in range(img.width()):
        for y in range(img.height()):
            c = img.pixelColor(x, y)
            if colour is None:
                n += c != bg
            else:
                n += abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < 60
    return n


def test_plain_rich_and_coloured_text_are_drawn(qtbot):
    plain = LiveText("epoch 1 · step 10/100")
    rich = LiveText("<b>GPU 1</b>: kernels 1–48<br>mean colour selectivity <b>0.67</b>", lines=2, rich=True,
                    alignment=Qt.AlignmentFlag.AlignHCenter)
    empty = LiveText("")
    for w in (plain, rich, empty):
        qtbot.addWidget(w)
        w.resize(w.sizeHint())
    assert painted_pixels(plain) > 20 and painted_pixels(rich) > 40
    assert rich.accessibleName() == "GPU 1: kernels 1–48\nmean colour selectivity 0.67"  # for screen readers
    assert plain.accessibleName() == plain.text()
    assert painted_pixels(empty) == 0
    red = QColor("#a01020")
    assert painted_pixels(plain, red) == 0
    plain.setColour(red.name())
    assert painted_pixels(plain, red) > 10


def test_a_text_that_does_not_fit_is_elided_and_shown_whole_in_the_tooltip(qtbot, monkeypatch):
    t = LiveText("")
    qtbot.addWidget(t)
    t.resize(120, t.sizeHint().height())
    t.setText("short")
    assert t.fits()
    long_text = "validation at step 1,000: top-1 error 12.34%, top-5 error 1.23% (1,000 images)"
    t.setText(long_text)
    assert not t.fits()
    shown = []
    monkeypatch.setattr(QToolTip, "showText", lambda pos, text, *a: shown.append(text))
    t.event(QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), t.mapToGlobal(QPoint(5, 5))))
    assert shown == [long_text]
    t.setText("short")
    t.event(QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), t.mapToGlobal(QPoint(5, 5))))
    assert shown == [long_text]  # nothing more: it fits


def test_wrapped_text_fits_by_lines(qtbot):
    t = LiveText("", lines=2, chars=20)
    qtbot.addWidget(t)
    t.resize(160, t.sizeHint().height())
    t.setText("step 1,234, epoch 2")
    assert t.fits()
    t.setText("step 1,234, epoch 2; changed 12.3% since the run started; GPU 1 is the more colour-specific tower")
    assert not t.fits()
