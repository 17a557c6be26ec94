"""A seeded generator of varied specs: every parameter kind, nesting, unions, recursion,
awkward names and strings. Deterministic for a seed, so a failure names a spec to rerun."""

from __future__ import annotations

import functools
import random
from typing import Any

import yaml

from toolspec.compile.names import argument_class_name, method_name, parameters_constant_name, type_class_name

AWKWARD_NAMES = [
    "from", "class", "order-id", "schema", "model_config", "json", "copy", "dict", "validate",
    "model_fields", "with space", "ünïcode", "123abc", "_private", "__dunder__", "None", "True",
    "self", "type", "fields", "construct", "a.b", "x-y-z", "CamelCase", "UPPER", "$dollar",
    # ToolArguments' own attribute, and pydantic's reserved `model_` names (renamed, then protected)
    "null_defaults", "null_defaults_", "model_dump", "model_validate_json", "model_post_init", "model_x",
    "schema_json", "parse_obj", "options",
]  # fmt: skip
TYPE_NAMES = [
    # Names the generated module imports, or that case changes turn into one: each is renamed by
    # itself (`Field` is the class FieldModel), never by the rest of the toolset.
    "Field", "Any", "StrictInt", "StrictStr", "JsonDuration", "BaseModel", "RootModel", "Literal", "ConfigDict",
    "ToolArguments", "ToolArguments2", "TypeAliasType", "annotations", "class", "money", "_private", "Type0Model",
]  # fmt: skip
TOOL_NAMES = ["tool", "class", "abstractmethod", "Tool", "model_dump", "json", "import", "_", "get-ITEM", "x1"]
"""Tool names whose Python names are keywords, imports or the base class, each renamed by itself."""
AWKWARD_STRINGS = [
    'quote " and \' both', "triple \"\"\" quotes", "triple ''' single", "back\\slash \\n \\u0041",
    "{{ jinja }}", "{% if x %}block{% endif %}", "line one\nline two", "trailing quote\"",
    "ünïcødé — “smart” ✓ 日本語", "\"\"\"; import os; os.system('x') #", "tab\there", "# not a comment",
    "'''", "\\", "a\r\nb",
]  # fmt: skip
LINE_ENDS = ['"', '""', '"""', "'", "'''", "\\", '\\"', '" ', '"\t', "”"]
"""What a line of a text may end with that a docstring must escape, or keep apart from its closing
quotes: the first line of a description is the one-line docstring of a generated handler."""
PATTERNS = [r"^[a-z]{1,8}$", r"^[A-Z]{3}$", r"^\d{4}-\d{2}$", r"^ORD-[0-9]{6}$", r"^(yes|no)$", r"^[a-f0-9]{2,6}$"]
FORMATS = ["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"]
FORMAT_CHECKS: dict[str, list[dict[str, Any]]] = {
    # The string checks a format of a Python type other than str may have: each refuses some of
    # what hypothesis-jsonschema draws for the format, never all of it, nor all to llguidance.
    # No default is drawn for a format: the generated field would have the str as its Python
    # default, a type error for mypy.
    "date-time": [{"pattern": r"^[0-2]"}, {"maxLength": 27}, {"minLength": 21}],
    "date": [{"pattern": r"^[01]"}, {"pattern": r"-0[1-9]-"}, {"minLength": 10, "maxLength": 10}],
    "time": [{"pattern": r"^[01]"}, {"pattern": r"[+-]\d\d:\d\d$"}, {"minLength": 16}],
    "duration": [{"pattern": r"^P\d{1,2}D"}, {"maxLength": 11}, {"minLength": 10}],
    "uuid": [{"pattern": "^[0-7]"}, {"pattern": "^[0-9a-f-]+$"}, {"minLength": 36, "maxLength": 36}],
    "ipv4": [{"pattern": r"^1"}, {"maxLength": 13}, {"minLength": 9}],
    "ipv6": [{"pattern": "^[0-9a-f]"}, {"maxLength": 34}, {"minLength": 8}],
}


class SpecFactory:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = random.Random(seed + 1)
        """Draws the awkward type and tool names, apart, so that the schemas drawn stay the same."""
        self.checks = random.Random(seed + 2)
        """Draws the string checks of formats (FORMAT_CHECKS), apart, for the same reason."""
        self.lines = random.Random(seed + 3)
        """Draws the lines of awkward texts, apart, for the same reason."""
        self.python_names: set[str] = set()
        """The Python names the toolset's types and tools have so far: a drawn name must not clash."""
        self.types: dict[str, Any] = {}
        self.building: set[str] = set()
        """Types being defined: a required, non-nullable reference to one could never end."""
        self.strict = True
        """Whether the tool being drawn is strict: only a non-strict one may have free-form objects
        and untyped values."""

    def text(self) -> str:
        if self.rng.random() < 0.3:
            return self.awkward_text(self.rng.choice(AWKWARD_STRINGS))
        return self.rng.choice(["The value.", "How many.", "Where to look.", "A name."])

    def awkward_text(self, first: str) -> str:
        """first alone, or first and another awkward string on two lines that end in LINE_ENDS."""
        if self.lines.random() < 0.4:
            return first
        end, then = self.lines.choice(LINE_ENDS), self.lines.choice(AWKWARD_STRINGS)
        return f"{first}{end}\n{then}{self.lines.choice(LINE_ENDS)}"

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
                if node["format"] in FORMAT_CHECKS and self.checks.random() < 0.5:
                    node.update(self.format_checks(node["format"]))
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

    def format_checks(self, form: str) -> dict[str, Any]:
        """One or two of the string checks of a format: the model checks them on the string."""
        checks: dict[str, Any] = {}
        for check in self.checks.sample(FORMAT_CHECKS[form], self.checks.randint(1, 2)):
            checks.update(check)
        return checks

    def checked_format(self) -> dict[str, Any]:
        """A string of a format with string checks."""
        form = self.checks.choice(sorted(FORMAT_CHECKS))
        return {"type": "string", "format": form, **self.format_checks(form)}

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
            # A branch of a format with string checks is a type alias of its own.
            branches = [
                self.checked_format() if branch == {"type": "string"} and self.checks.random() < 0.5 else branch
                for branch in branches
            ]
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
        if self.names.random() < 0.3:
            awkward = self.names.choice(TYPE_NAMES)
            if awkward not in self.types and type_class_name(awkward) not in self.python_names:
                name = awkward
        self.python_names.add(type_class_name(name))
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

    def tool_name(self, name: str) -> str:
        """name, or one of TOOL_NAMES that clashes with no Python name of the toolset so far."""
        if self.names.random() < 0.25:
            awkward = self.names.choice(TOOL_NAMES)
            if not set(_tool_python_names(awkward)) & self.python_names:
                name = awkward
        self.python_names.update(_tool_python_names(name))
        return name

    def toolset(self, index: int) -> dict[str, Any]:
        self.types = {}
        self.python_names = set()
        tools = []
        for number in range(self.rng.randint(1, 3)):
            tools.append(
                {
                    "name": f"tool_{index}_{number}" if self.rng.random() < 0.7 else f"Tool-{index}-{number}",
                    "description": self.text(),
                    "parameters": self.properties(1, self.rng.randint(1, 5)),
                }
            )
        # Named after the types are drawn, so that an argument model never takes a type's class.
        for tool in tools:
            tool["name"] = self.tool_name(tool["name"])
        if self.rng.random() < 0.5:
            self.strict = False
            parameters = self.properties(1, self.rng.randint(1, 5))
            self.strict = True
            tools.append(
                {
                    "name": self.tool_name(f"loose_{index}"),
                    "description": self.text(),
                    "strict": False,
                    "parameters": parameters,
                }
            )
        spec: dict[str, Any] = {"toolset": f"random_{index}", "description": self.text()}
        if self.types:
            spec["types"] = self.types
        spec["tools"] = tools
        return spec


def _tool_python_names(name: str) -> tuple[str, ...]:
    return argument_class_name(name), method_name(name), parameters_constant_name(name)


def clashing_specs(count: int, seed: int = 20261122) -> dict[str, tuple[str, str]]:
    """count spec files, name -> (YAML text, the name of the last tool or type, which clashes): a
    random toolset with one more tool or named type whose Python names another has first (TS309)."""
    factory = SpecFactory(seed)
    specs: dict[str, tuple[str, str]] = {}
    for index in range(count):
        spec = factory.toolset(index)
        tool = factory.rng.choice(spec["tools"])
        types = spec.get("types", {})
        if types and factory.rng.random() < 0.5:
            # `money` and `Money`, `Field` and `FieldModel`, `class` and `_class`: one class.
            name = factory.rng.choice(sorted(types))
            wanted = type_class_name(name)
            candidates = [wanted, wanted[:1].lower() + wanted[1:], f"_{name}", f"{name}_"]
            clash = next(c for c in candidates if c not in types and type_class_name(c) == wanted)
            types[clash] = {"type": "string", "description": "Clashes."}
            tool["parameters"]["clashing"] = {"type": clash, "description": "Uses the clashing type."}
        else:
            # get_item, get-item and GET_ITEM: one argument model, method or constant.
            name = tool["name"]
            taken = {other["name"] for other in spec["tools"]}
            candidates = [name.replace("_", "-"), name.replace("-", "_"), name.upper(), f"{name}_", f"_{name}"]
            clash = next(
                c
                for c in factory.rng.sample(candidates, len(candidates))
                if c not in taken and set(_tool_python_names(c)) & set(_tool_python_names(name))
            )
            spec["tools"].append({"name": clash, "description": "Clashes.", "parameters": {}})
        specs[f"clashing_{index}.yaml"] = (yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), clash)
    return specs


def random_specs(count: int, seed: int = 20261121) -> dict[str, str]:
    """count spec files, name -> YAML text (made once per test process: several test modules
    draw the same ones)."""
    return dict(_random_specs(count, seed))


@functools.cache
def _random_specs(count: int, seed: int) -> dict[str, str]:
    factory = SpecFactory(seed)
    return {
        f"random_{index}.yaml": yaml.safe_dump(factory.toolset(index), sort_keys=False, allow_unicode=True)
        for index in range(count)
    }


@functools.cache
def parsed(text: str) -> Any:
    """A spec's YAML text as data, parsed once per test process; read it, never change it."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, libyaml's where present


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader, ten times faster than PyYAML's own, which gives the same data."""
