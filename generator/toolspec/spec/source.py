"""Where a toolset came from: kept apart from the IR, read only to place diagnostics."""

from __future__ import annotations

from dataclasses import dataclass

from toolspec.ground.diagnostics import Position
from toolspec.spec.yaml_source import Document, SourceMap, YamlPath


@dataclass(frozen=True)
class SpecSource:
    """A spec file as the user names it, its lines, and the position of each of its parts."""

    path: str
    positions: SourceMap
    lines: tuple[str, ...]

    @classmethod
    def of(cls, document: Document) -> SpecSource:
        return cls(document.path, document.source, document.lines)

    def position(self, path: YamlPath, *, at_key: bool) -> Position:
        """Where path stands: its key (for a list item, the item), or its value."""
        return self.positions.key(path) if at_key else self.positions.value(path)
