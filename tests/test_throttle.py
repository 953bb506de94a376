"""The redraw throttle: bounded rate, newest value wins, nothing lost at the end."""

import time

import pytest

pytestmark = pytest.mark.gui


def test_throttle_draws_the_newest_value_at_a_bounded_rate(qtbot):
    from alexnet_gui.widgets.throttle import Throttle

    drawn = []
    t = Throttle(0.2, drawn.append)
    t.submit(1)  # nothing drawn before: at once
    assert drawn == [1]
    for v in range(2, 30):  # a burst within the interval: coalesced into one draw of the newest
        t.submit(v)
    assert drawn == [1] and t.pending
    qtbot.waitUntil(lambda: drawn == [1, 29], timeout=2000)
    assert not t.pending
    t0 = time.monotonic()
    t.submit(30)
    qtbot.waitUntil(lambda: drawn[-1] == 30, timeout=2000)
    assert time.monotonic() - t0 >= 0.15  # waited out the interval since the last draw


def test_throttle_now_and_flush(qtbot):
    from alexnet_gui.widgets.throttle import Throttle

    drawn = []
    t = Throttle(10.0, drawn.append)
    t.submit("a")
    t.submit("b")
    t.flush()  # e.g. training ended: show the last figures now
    assert drawn == ["a", "b"]
    t.submit("c", now=True)
    assert drawn == ["a", "b", "c"]
    t.flush()  # nothing pending: nothing drawn again
    assert drawn == ["a", "b", "c"] and not t.pending
