"""What a comparison finds: changes, each with its code, its place and what it belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.change_rules import BY_CODE

if TYPE_CHECKING:
    from toolspec.breaking.sides import Side
    from toolspec.ground.change_rules import ChangeClass, ChangeRule
    from toolspec.ground.diagnostics import Position
    from toolspec.spec import ir
    from toolspec.spec.yaml_source import YamlPath


@dataclass(frozen=True)
class Anchor:
    """A line of the new spec where a suppression comment applies to a change."""

    path: str
    line: int
    column: int = 1


@dataclass(frozen=True)
class Change:
    code: str
    message: str
    toolset: str
    tool: str | None
    """The tool it belongs to (its new name; the old one for a removed tool), or None."""
    path: str
    """The spec the position is in: the new one, or the old one for something removed."""
    position: Position
    anchor: Anchor | None
    """Where a `# toolspec: ignore[CODE]` comment in the new spec accepts it; None: nowhere."""
    tokens_delta: int | None = None
    """The change in input tokens per request of what the change belongs to; None: not counted."""
    in_old: bool = False
    """Whether path and position are in the spec at the ref (something removed), not the new one."""

    @property
    def rule(self) -> ChangeRule:
        return BY_CODE[self.code]

    @property
    def change_class(self) -> ChangeClass:
        return self.rule.change_class

    def sort_key(self) -> tuple[str, str, int, int, str, str]:
        return (self.toolset, self.path, self.position.line, self.position.column, self.code, self.message)


ToolPair = tuple[CompiledTool | None, CompiledTool | None]


@dataclass(frozen=True)
class ObjectPair:
    """An object of the old side and the object it is in the new: their generated classes are
    compared once every pair is known (python_api.py)."""

    tool: str
    old: ir.Object
    new: ir.Object
    properties: tuple[tuple[ir.Property, ir.Property], ...]
    """The properties of both that are one: of the same name, or renamed."""


@dataclass
class Recorder:
    """Collects the changes of one toolset, placing each in the new or the old spec."""

    old: Side
    new: Side
    found: list[Change] = field(default_factory=list)
    tools: dict[str, ToolPair] = field(default_factory=dict)
    """Tool name as reported -> the tool on each side (for the tokens of each change)."""
    seen: set[tuple[str | None, str, str]] = field(default_factory=set)
    """(tool, old type, new type): named types compared already, so that recursion ends."""
    objects: list[ObjectPair] = field(default_factory=list)

    def at_new(self, code: str, at: YamlPath, message: str, tool: str | None, *, at_key: bool = True) -> None:
        """A change placed at path at of the new spec."""
        source = self.new.source
        position = source.position(at, at_key=at_key)
        self._add(code, message, tool, source.path, position, Anchor(source.path, position.line))

    def at_old(self, code: str, at: YamlPath, message: str, tool: str | None, *, anchor: YamlPath) -> None:
        """A change placed at path at of the old spec (something removed): a comment on the line of
        anchor in the new spec accepts it."""
        position = self.old.source.position(at, at_key=True)
        held = self.new.source.position(anchor, at_key=True)
        anchored = Anchor(self.new.source.path, held.line, held.column)
        self._add(code, message, tool, self.old.source.path, position, anchored, in_old=True)

    def _add(  # noqa: PLR0913 - a change is all of these
        self,
        code: str,
        message: str,
        tool: str | None,
        path: str,
        position: Position,
        anchor: Anchor | None,
        *,
        in_old: bool = False,
    ) -> None:
        assert code in BY_CODE, code
        self.found.append(Change(code, message, self.new.name, tool, path, position, anchor, in_old=in_old))
