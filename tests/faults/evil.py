import os


class Evil:
    """A pickle that would run a command when loaded without weights_only."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/alexnet_gui_pwned",))
