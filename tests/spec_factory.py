"""A seeded generator of varied specs: every parameter kind, nesting, unions, recursion,
awkward names and strings. Deterministic for a seed, so a failure names a spec to rerun."""

from __future__ import annotations

import random
from typing import Any

import yaml

AWKWARD_NAMES = [
    "from", "class", "order-id", "schema", "model_config", "json", "copy", "dict", "validate",
    "model_fields", "with space", "ünïcode", "123abc", "_private", "__dunder__", "None", "True",
    "self", "type", "fields", "construct", "a.b", "x-y-z", "CamelCase", "UPPER", "$dollar",
    # ToolArguments' own attribute, and pydantic's reserved `model_` names (renamed, then protected)
    "null_defaults", "null_defaults_", "model_dump", "model_validate_json", "model_post_init", "model_x",
    "schema_json", "parse_obj", "options",
]  # fmt: skip
AWKWARD_STRINGS = [
    'quote " and \' both', "triple \"\"\" quotes", "triple ''' single", "back\\slash \\n \\u0041",
    "{{ jinja }}", "{% if x %}block{% endif %}", "line one\nline two", "trailing quote\"",
    "ünïcødé — “smart” ✓ 日本語", "\"\"\"; import os; os.system('x') #", "tab\there", "# not a comment",
    "'''", "\\", "a\r\nb",
]  # fmt: skip
PATTERNS = [r"^[a-z]{1,8}$", r"^[A-Z]{3}$", r"^\d{4}-\d{2}$", r"^ORD-[0-9]{6}$", r"^(yes|no)$", r"^[a-f0-9]{2,6}$"]
FORMATS = ["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"]


class SpecFactory:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.types: dict[str, Any] = {}
        self.building: set[str] = set()
        """Types being defined: a required, non-nullable reference to one could never end."""
        self.strict = True
        """Whether the tool being drawn is strict: only a non-strict one may have free-form objects
        and untyped values."""

    def text(self) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(AWKWARD_STRINGS)
        return self.rng.choice(["The value.", "How many.", "Where to look.", "A name."])

    def name(self, taken: set[str]) -> str:
        while True:
            candidate = self.rng.choice(AWKWARD_NAMES) if self.rng.random() < 0.35 else f"p{self.rng.randrange(1000)}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    def scalar(self) -> dict[str, Any]:
        kind = self.rng.choice(["string", "string", "integer", "number", "boolean"])
        node: dict[str, Any] = {"type": kind}
        roll = self.rng.random()
        if kind == "string":
            if roll < 0.25:
                node["enum"] = self.rng.sample(["a", "b", "c d", *AWKWARD_STRINGS[:6]], self.rng.randint(1, 4))
            elif roll < 0.45:
                node["pattern"] = self.rng.choice(PATTERNS)
            elif roll < 0.7:
                node["format"] = self.rng.choice(FORMATS)
            elif roll < 0.75:
                node["const"] = self.rng.choice(AWKWARD_STRINGS)
        elif kind == "integer":
            if roll < 0.3:
                node["enum"] = self.rng.sample([-3, 0, 1, 7, 42], self.rng.randint(1, 3))
            else:
                if self.rng.random() < 0.6:
                    node["minimum"] = self.rng.randint(-10, 5)
                if self.rng.random() < 0.5:
                    node["maximum"] = self.rng.randint(6, 100)
                if self.rng.random() < 0.2:
                    node["multipleOf"] = self.rng.choice([2, 3, 5])
                if self.rng.random() < 0.2:
                    node["exclusiveMinimum"] = -20
        elif kind == "number":
            if self.rng.random() < 0.5:
                node["minimum"] = self.rng.choice([-1.5, 0, 2.25])
            if self.rng.random() < 0.5:
                node["exclusiveMaximum"] = self.rng.choice([10, 99.5])
            if self.rng.random() < 0.2:
                node["multipleOf"] = self.rng.choice([0.5, 0.25])
        return node

    def free_form(self, depth: int) -> dict[str, Any]:
        """What only a non-strict tool can have: objects of any keys, values of any type."""
        choice = self.rng.randrange(4)
        if choice == 0:
            return {"type": "object"}
        if choice == 1:
            return {"type": "object", "additionalProperties": True}
        if choice == 2:
            return {"type": "any"}
        return {"type": "object", "properties": self.properties(depth + 1, 1), "additionalProperties": True}

    def schema(self, depth: int) -> dict[str, Any]:
        roll = self.rng.random()
        if not self.strict and self.rng.random() < 0.3:
            node = self.free_form(depth)
        elif depth >= 3 or roll < 0.5:
            node = self.scalar()
        elif roll < 0.65:
            node = {"type": "array", "items": self.schema(depth + 1)}
            if self.rng.random() < 0.4:
                node["minItems"] = self.rng.randint(0, 2)
            if self.rng.random() < 0.4:
                node["maxItems"] = self.rng.randint(3, 5)
        elif roll < 0.8:
            node = {"type": "object", "properties": self.properties(depth + 1, self.rng.randint(1, 3))}
        elif roll < 0.9:
            record = {"type": "object", "properties": {"k": {"type": "string", "description": "K."}}}
            branches = self.rng.sample(
                [{"type": "string"}, {"type": "integer", "minimum": 0}, {"type": "boolean"},
                 {"type": "array", "items": {"type": "integer"}}, record],
                2,
            )  # fmt: skip
            node = {"anyOf": branches}
        else:
            node = {"type": self.named_type()}
        if self.rng.random() < 0.15:
            node["nullable"] = True
        node["description"] = self.text()
        return node

    def named_type(self) -> str:
        finished = sorted(set(self.types) - self.building)
        if finished and self.rng.random() < 0.5:
            return self.rng.choice(finished)
        name = f"Type{len(self.types)}"
        self.types[name] = {}  # reserved first, so that the type may refer to itself
        self.building.add(name)
        recursive = self.rng.random() < 0.5
        strict, self.strict = self.strict, True  # a named type may be used by strict tools too
        properties = self.properties(2, self.rng.randint(1, 3))
        self.strict = strict
        self.building.discard(name)
        if recursive:
            properties["children"] = {"type": "array", "items": {"type": name}, "description": "Nested."}
            if self.rng.random() < 0.5:
                properties["parent"] = {"type": name, "nullable": True, "description": "Up."}
        self.types[name] = {"type": "object", "description": self.text(), "properties": properties}
        return name

    def properties(self, depth: int, count: int) -> dict[str, Any]:
        taken: set[str] = set()
        result: dict[str, Any] = {}
        for _ in range(count):
            node = self.schema(depth)
            if self.rng.random() < 0.3:
                node["optional"] = True
                default = self.default_for(node)
                if default is not None:
                    node["default"] = default
                elif self.rng.random() < 0.4:
                    node["default"] = None  # the same as no default: the handler gets None
            result[self.name(taken)] = node
        return result

    def default_for(self, node: dict[str, Any]) -> Any:
        if self.rng.random() < 0.4 or "anyOf" in node:
            return None
        if "enum" in node:
            return node["enum"][0]
        if "const" in node:
            return node["const"]
        kind = node.get("type")
        if kind == "boolean":
            return self.rng.choice([True, False])
        if kind == "string" and not {"pattern", "format"} & set(node):
            return self.rng.choice(AWKWARD_STRINGS)
        if kind == "integer" and not {"multipleOf", "minimum", "maximum"} & set(node):
            return 7
        if kind == "array" and not node.get("minItems"):
            return []
        return None

    def toolset(self, index: int) -> dict[str, Any]:
        self.types = {}
        tools = []
        for number in range(self.rng.randint(1, 3)):
            tools.append(
                {
                    "name": f"tool_{index}_{number}" if self.rng.random() < 0.7 else f"Tool-{index}-{number}",
                    "description": self.text(),
                    "parameters": self.properties(1, self.rng.randint(1, 5)),
                }
            )
        if self.rng.random() < 0.5:
            self.strict = False
            parameters = self.properties(1, self.rng.randint(1, 5))
            self.strict = True
            tools.append(
                {"name": f"loose_{index}", "description": self.text(), "strict": False, "parameters": parameters}
            )
        spec: dict[str, Any] = {"toolset": f"random_{index}", "description": self.text()}
        if self.types:
            spec["types"] = self.types
        spec["tools"] = tools
        return spec


def random_specs(count: int, seed: int = 20261121) -> dict[str, str]:
    """count spec files, name -> YAML text."""
    factory = SpecFactory(seed)
    return {
        f"random_{index}.yaml": yaml.safe_dump(factory.toolset(index), sort_keys=False, allow_unicode=True)
        for index in range(count)
    }
