"""The one exception type that user-facing code turns into a one-line message."""


class LatentkitError(Exception):
    """A problem with the user's input (a file, an option, a value), stated in one line.

    The command line prints the message and exits with code 2; library callers can catch it.
    """
