"""The one exception type that user-facing code turns into a one-line message."""

from __future__ import annotations


class LatentkitError(Exception):
    """A problem with the user's input (a file, an argument, a value), stated in one line.

    `arguments` names the arguments that resolve it (``"overwrite"``), so that a front end can
    point at its own spelling of them; the message itself never names a command-line flag. The
    command line prints the message and exits with code 2; library callers can catch it.
    """

    def __init__(self, message: str, arguments: tuple[str, ...] = ()):
        super().__init__(message)
        self.arguments = tuple(arguments)


class TrainingInterrupted(Exception):
    """SIGINT or SIGTERM stopped a run after a complete step; its checkpoint is written."""

    def __init__(self, signum: int, step: int, folder):
        super().__init__(f"interrupted at step {step}; checkpoint written in {folder}")
        self.signum, self.step, self.folder = signum, step, folder

    @property
    def exit_code(self) -> int:
        return 128 + self.signum
