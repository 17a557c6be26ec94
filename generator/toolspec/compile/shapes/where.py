"""Places in a source file: the file and a JSON pointer (RFC 6901), as messages and reports name them.

A problem with the input is a SourceError at such a place: the command line prints it and exits
with status 2, having written nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolspec.ground.errors import UsageError


@dataclass(frozen=True)
class Where:
    """A value of a source: its file and its path of keys and indexes from the document's root."""

    file: str
    path: tuple[str | int, ...] = ()

    def __truediv__(self, part: str | int) -> Where:
        return Where(self.file, (*self.path, part))

    def join(self, *parts: str | int) -> Where:
        return Where(self.file, (*self.path, *parts))

    @property
    def pointer(self) -> str:
        """The JSON pointer of the value: "" for the root, "/0/function/parameters" below it."""
        return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in self.path)

    def relative_to(self, base: Where) -> str:
        """The pointer of this place below base (a tool), for reports that already name the tool;
        a place elsewhere in the document (an OpenAPI component) is `#` and its whole pointer."""
        if self.path[: len(base.path)] != base.path:
            return "#" + self.pointer
        return Where(self.file, self.path[len(base.path) :]).pointer or "/"

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}" if self.path else self.file


class SourceError(UsageError):
    """Input that cannot be imported: a message at a place. Nothing is written (exit status 2)."""

    def __init__(self, where: Where | str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
