"""The one error model from the pipeline to the command line.

A problem found in the specs is a value (a Diagnostic, or the pipeline's Refused); a problem
that stops a command (a path, the configuration, the output directory, the vocabulary) is a
ToolspecError, whose status is the exit status the command line returns. cli.main catches this
one type and prints its message: no traceback, and no list of types to keep in step.
"""

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
"""Exit statuses: all is well; findings or drift; a usage, configuration or I/O error."""


class ToolspecError(Exception):
    """A problem that stops a command; its message says what and where."""

    status = EXIT_ERROR


class UsageError(ToolspecError):
    """A path or argument that cannot be used; exit status 2."""
