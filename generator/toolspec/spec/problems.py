"""The spec errors found in a document, with their positions (or only their paths, when silent)."""

from __future__ import annotations

from toolspec.ground.diagnostics import Diagnostic
from toolspec.ground.fixed_codes import fixed_diagnostic
from toolspec.spec.yaml_source import Document, YamlPath


class Problems:
    """Collects spec errors with their positions (or, when silent, only their paths)."""

    def __init__(self, document: Document, *, silent: bool = False) -> None:
        self.document = document
        self.silent = silent
        self.paths: list[YamlPath] = []
        self.codes: list[str] = []
        self.found: list[Diagnostic] = []

    def add(self, code: str, message: str, path: YamlPath, *, at_key: bool = True) -> None:
        self.paths.append(path)
        self.codes.append(code)
        if self.silent:
            return
        source = self.document.source
        position = source.key(path) if at_key else source.value(path)
        self.found.append(fixed_diagnostic(self.document.path, position, code, message))
