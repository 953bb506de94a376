import os
import tempfile
from pathlib import Path

#: the file the pickle would create: one per test process, so parallel workers (pytest-xdist) never share it
MARKER = Path(tempfile.gettempdir()) / f"alexnet_gui_pwned-{os.getpid()}"


class Evil:
    """A pickle that would run a command when loaded without weights_only."""

    def __reduce__(self):
        return (os.system, (f"touch {MARKER}",))
