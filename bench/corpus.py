"""Seeded generator of synthetic toolspec projects, for benchmarking `lint` and `generate`.

The example specs are four small toolsets; timings on them say nothing about a project with
hundreds of tools. This writes projects of any size whose specs use what real specs use (enums,
nested and repeated objects, string formats, optional parameters with defaults, shared and
recursive named types, non-strict tools with free-form maps, examples), so that every lint rule
and every code path of the generator gets work. All choices come from one `random.Random(seed)`,
so a given (tools, seed) always gives byte-identical files and timings can be compared.

    python bench/corpus.py /tmp/corpus --tools 300 [--seed 0]
"""

from __future__ import annotations

import argparse
import copy
import functools
import random
import re
import uuid
from pathlib import Path
from typing import Any

import yaml

Schema = dict[str, Any]

# (domain, nouns, statuses, name of its recursive type): the vocabulary of one kind of toolset.
DOMAINS: list[tuple[str, list[str], list[str], str]] = [
    ("billing", ["invoice", "payment", "refund", "subscription"], ["draft", "open", "paid", "void"], "CostCenter"),
    ("support", ["ticket", "macro", "escalation", "survey"], ["new", "pending", "solved", "closed"], "Comment"),
    ("projects", ["task", "milestone", "board", "sprint"], ["todo", "doing", "review", "done"], "WorkItem"),
    ("inventory", ["product", "warehouse", "shipment", "supplier"], ["active", "backorder", "retired"], "Category"),
    ("crm", ["lead", "account", "deal", "campaign"], ["cold", "warm", "won", "lost"], "OrgUnit"),
    ("docs", ["document", "folder", "template", "revision"], ["draft", "published", "archived"], "Section"),
    ("hr", ["employee", "leave_request", "position", "review"], ["requested", "approved", "rejected"], "Department"),
    ("travel", ["booking", "itinerary", "traveller", "fare"], ["held", "ticketed", "cancelled"], "Leg"),
]
# verb: (effect, what it does); verbs that act on one existing thing take its ID first.
VERBS: dict[str, tuple[str, str]] = {
    "get": ("read", "Get one {n} by its ID, with its current status"),
    "list": ("read", "List the {n}s that match the filters, newest first"),
    "search": ("read", "Search {n}s by the words in their title and notes"),
    "count": ("read", "Count the {n}s that match the filters"),
    "export": ("read", "Export {n}s as a report the user can download"),
    "create": ("write", "Create a new {n}"),
    "update": ("write", "Change the fields of an existing {n}"),
    "assign": ("write", "Assign the {n} to a person or a team"),
    "schedule": ("write", "Schedule work on the {n} for a later time"),
    "tag": ("write", "Attach labels to the {n}"),
    "delete": ("destructive", "Delete the {n} for good"),
    "cancel": ("destructive", "Cancel the {n} that is still open"),
    "purge": ("destructive", "Purge the {n} and its history"),
    "revoke": ("destructive", "Revoke the {n} so that it can no longer be used"),
}
NEEDS_ID = {"get", "update", "assign", "schedule", "tag", "delete", "cancel", "purge", "revoke"}
WHEN = [
    "Use it when the user names a specific {n}.",
    "Call it only with values the user gave or confirmed.",
    "It returns the {n} as the service stores it, as JSON.",
    "Prefer it over browsing when the user knows what they want.",
]
# Strict mode allows only these formats (TS203); each with a value the argument models accept.
FORMAT_SAMPLES = {"date-time": "2026-03-01T10:00:00+01:00", "date": "2026-03-01", "email": "ada@example.com"}
# Patterns, in the API's regex syntax, with a value each matches (for examples and defaults).
PATTERN_SAMPLES = {
    "^[A-Z]{3}$": "EUR",
    "^[A-Z]{2}$": "DE",
    "^[0-9]{4,10}$": "10115",
    "^.{1,200}$": "quarterly report",
    "^.{0,500}$": "Call before delivery.",
    "^[a-z][a-z0-9-]{0,31}$": "urgent",
    r"^\+[1-9][0-9]{6,14}$": "+4930123456",
    "^[A-Z]{3}-[0-9]{4}$": "ABC-0042",
    "^[A-Za-z]+/[A-Za-z_]+$": "Europe/Berlin",
}


# The named types a toolset may share between its tools; RECURSIVE (a domain's own name) is a
# hierarchy that refers to itself through an array, which strict mode supports and TS210 allows.
TYPES_YAML = r"""
CurrencyCode: {type: string, pattern: '^[A-Z]{3}$', description: "ISO 4217 currency code, e.g. EUR."}
Money: {type: object, description: An amount of money., properties: {
  amount: {type: number, minimum: 0, description: "The amount, in units of the currency."},
  currency: {type: CurrencyCode}}}
Address: {type: object, description: A postal address., properties: {
  street: {type: string, pattern: '^.{1,200}$', description: Street and number.},
  postcode: {type: string, pattern: '^[0-9]{4,10}$', description: The postal code.},
  country: {type: string, pattern: '^[A-Z]{2}$', description: "ISO 3166 country code, e.g. DE."}}}
Contact: {type: object, description: A person to reach., properties: {
  name: {type: string, pattern: '^.{1,200}$', description: Full name.},
  email: {type: string, format: email, description: Their e-mail address.},
  phone: {type: string, pattern: '^\+[1-9][0-9]{6,14}$', description: "E.164 phone number, or null.", optional: true},
  address: {type: Address, nullable: true, description: "Where to send letters, or null."}}}
RECURSIVE: {type: object, description: "A node of the hierarchy, with its own children.", properties: {
  title: {type: string, pattern: '^.{1,200}$', description: What the node is called.},
  position: {type: integer, minimum: 0, description: "Its place among its siblings, from 0."},
  children: {type: array, items: {type: RECURSIVE}, description: Child nodes in order; empty for a leaf.}}}
"""
# Candidate parameters, by name; NOUN and STATUSES come from the tool's domain.
POOL_YAML = r"""
query: {type: string, pattern: '^.{1,200}$', description: Words to look for in the NOUN.}
limit: {type: integer, minimum: 1, maximum: 100, description: How many to return. Default 20.,
  optional: true, default: 20}
offset: {type: integer, minimum: 0, description: How many to skip. Default 0., optional: true, default: 0}
status: {type: string, enum: STATUSES, description: The NOUN's status; null for any., optional: true, default: null}
sort_order: {type: string, enum: [asc, desc], description: Order of the results. Default desc.,
  optional: true, default: desc}
created_after: {type: string, format: date-time, description: "Only those created after this time, with an offset."}
due_date: {type: string, format: date, description: The day it is due.}
owner_email: {type: string, format: email, description: The owner's e-mail address.}
priority: {type: integer, enum: [1, 2, 3, 4, 5], description: 1 is the most urgent.}
discount: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 1, description: "The fraction taken off, e.g. 0.15."}
note: {type: string, pattern: '^.{0,500}$', nullable: true, description: "A note for the people involved, or null."}
code: {type: string, pattern: '^[A-Z]{3}-[0-9]{4}$', description: "The reference code, e.g. ABC-0042."}
time_zone: {type: string, pattern: '^[A-Za-z]+/[A-Za-z_]+$', description: "IANA time zone, e.g. Europe/Berlin."}
dry_run: {type: boolean, description: Only report what would change. Default false., optional: true, default: false}
amount: {type: Money, description: The amount of the NOUN.}
billing_address: {type: Address, optional: true}
contacts: {type: array, items: {type: Contact}, maxItems: 20, description: The people to keep informed.}
outline: {type: array, items: {type: RECURSIVE}, description: The NOUN's structure as a tree.}
tags: {type: array, maxItems: 10, description: "Labels, in lower case.", optional: true,
  items: {type: string, pattern: '^[a-z][a-z0-9-]{0,31}$', description: "A label, e.g. urgent."}}
reminder: {description: When to remind the owner., optional: true, anyOf: [
  {type: integer, minimum: 0, description: Minutes before.},
  {type: string, format: duration, description: "An ISO 8601 duration before, e.g. PT15M."}]}
options: {type: object, description: How to carry out the request., properties: {
  include_archived: {type: boolean, description: Include archived NOUNs too.},
  language: {type: string, enum: [en, de, fr, es], description: The language of the answer.},
  notify: {type: object, description: Whom to tell about it., properties: {
    channel: {type: string, enum: [email, sms, none], description: How to tell them.},
    recipient: {type: string, format: email, description: Their e-mail address.}}}}}
line_items: {type: array, minItems: 1, maxItems: 50, description: "The lines, in order.", items: {
  type: object, description: One line., properties: {
    sku: {type: string, pattern: '^[A-Z]{3}-[0-9]{4}$', description: "The product code, e.g. ABC-0042."},
    quantity: {type: integer, minimum: 1, maximum: 999, description: How many.},
    unit_price: {type: Money}}}}
"""
# The parameter each tool of a deep corpus has besides its others: objects five levels down, two
# arrays on the way, a named type at the bottom (strict mode allows 10 levels; TS205).
DEEP_YAML = r"""
plan: {type: object, description: "How the NOUN is carried out, step by step.", properties: {
  phases: {type: array, maxItems: 10, description: The phases in order., items: {
    type: object, description: One phase., properties: {
      name: {type: string, pattern: '^.{1,200}$', description: What the phase is called.},
      steps: {type: array, maxItems: 20, description: Its steps in order., items: {
        type: object, description: One step., properties: {
          action: {type: string, enum: [check, approve, notify, archive], description: What is done.},
          owner: {type: object, description: Who does it., properties: {
            contact: {type: Contact},
            backup: {type: object, description: Who stands in., nullable: true, properties: {
              contact: {type: Contact},
              after_hours: {type: integer, minimum: 1, maximum: 72, description: Hours before they step in.}}}}}}}}}}}}}
"""
# What only `strict: false` allows (TS201, TS202, TS204, TS211): free-form maps and the rest.
LOOSE_YAML = """
metadata: {type: object, additionalProperties: {type: string}, description: Keys and values to attach.}
extra: {type: object, additionalProperties: true, description: Anything else to keep., optional: true}
value: {type: any, description: A value of the field's own type.}
labels: {type: array, items: {type: string, description: A label.}, uniqueItems: true,
  description: "Labels, each once."}
title: {type: string, minLength: 1, maxLength: 120, description: A title of at most 120 characters.}
"""


@functools.cache
def _parse(text: str) -> dict[str, Schema]:
    """Parse a filled-in template once; callers get deep copies."""
    parsed: dict[str, Schema] = yaml.safe_load(text)
    return parsed


def _load(template: str, noun: str = "", statuses: str = "[]", recursive: str = "Node") -> dict[str, Schema]:
    """Fill in a template; a fresh copy each time because tools change their parameters."""
    text = template.replace("NOUN", noun).replace("STATUSES", statuses).replace("RECURSIVE", recursive)
    return copy.deepcopy(_parse(text))


def _example(rng: random.Random, schema: Schema, types: dict[str, Schema], strict: bool) -> Any:
    """A value that `schema` accepts: examples are checked by lint (TS601), so they must be valid."""
    schema = schema["anyOf"][0] if "anyOf" in schema else schema
    typ = schema.get("type")
    if typ in types:  # a named type is one class for all tools, always typed the strict way
        return _example(rng, types[typ], types, True)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    if typ == "array":
        return [_example(rng, schema["items"], types, strict)]
    if typ == "object":  # a free-form map gets one string entry
        return _object_example(rng, schema.get("properties", {"key": {"type": "string"}}), types, strict)
    if schema.get("format") == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    text = FORMAT_SAMPLES.get(schema.get("format", ""), PATTERN_SAMPLES.get(schema.get("pattern", ""), "text"))
    return {"string": text, "integer": schema.get("minimum", 1), "number": 0.5, "boolean": True}.get(str(typ), "any")


def _object_example(rng: random.Random, props: dict[str, Schema], types: dict[str, Schema], strict: bool) -> Any:
    """Strict mode needs every key, optional ones as null; elsewhere an optional key may be left out.
    A recursive type's `children` stay empty, so that the example ends."""
    out: dict[str, Any] = {}
    for name, schema in props.items():
        if schema.get("optional") and rng.random() < 0.4:
            if strict:
                out[name] = None
        else:
            out[name] = [] if name == "children" else _example(rng, schema, types, strict)
    return out


def _tool(rng: random.Random, number: int, domain: tuple[str, list[str], list[str], str], deep: bool = False) -> Schema:
    """One tool of 3 to 12 parameters; the number makes its name unique in the project (TS302, TS303, TS308).
    deep: one of them is DEEP_YAML's plan, nested five objects down."""
    _, nouns, statuses, recursive = domain
    effect = rng.choices(["read", "write", "destructive"], weights=[50, 35, 15])[0]
    verb = rng.choice([verb for verb, (kind, _) in VERBS.items() if kind == effect])
    noun, what = rng.choice(nouns), VERBS[verb][1]
    strict, text = rng.random() >= 0.08, noun.replace("_", " ")
    pool = _load(POOL_YAML + ("" if strict else LOOSE_YAML), text, f"[{', '.join(statuses)}]", recursive)
    params: dict[str, Schema] = {}
    if verb in NEEDS_ID:
        params[f"{noun}_id"] = {"type": "string", "format": "uuid", "description": f"The {text}'s ID."}
    if not strict:  # every non-strict tool has a free-form map, the reason to opt out
        params["metadata"] = pool.pop("metadata")
    if deep:
        params["plan"] = _load(DEEP_YAML, text)["plan"]
    for name in rng.sample(sorted(pool), rng.randint(3, 12) - len(params)):
        schema = params[name] = pool[name]
        if "optional" not in schema and schema.get("type") in ("string", "integer") and rng.random() < 0.2:
            schema["optional"] = True
            schema["description"] += " Null to leave it unset." if strict else " Leave it out to keep it unset."
    confirm = " Ask the user to confirm first." if effect == "destructive" else ""
    tool: Schema = {"name": f"{verb}_{noun}_{number}"}
    tool["description"] = f"{what.format(n=text)}. {rng.choice(WHEN).format(n=text)}{confirm}"
    tool["effect"] = effect  # always said: a tool that does not say is a write
    if not strict:
        tool["strict"] = False
    tool["parameters"] = params
    if rng.random() < 0.4:
        tool["examples"] = [_object_example(rng, params, _load(TYPES_YAML, recursive=recursive), strict)]
    return tool


def _refs(node: Any, names: dict[str, Schema]) -> set[str]:
    """The named types that a schema (or a list of them) mentions as `type`."""
    if isinstance(node, list):
        return set().union(*(_refs(item, names) for item in node))
    if not isinstance(node, dict):
        return set()
    found = {node["type"]} if node.get("type") in names else set()
    return found.union(*(_refs(value, names) for value in node.values()))


def _used_types(tools: list[Schema], types: dict[str, Schema]) -> dict[str, Schema]:
    """Only the types some tool reaches, directly or through other types: lint warns on the rest (TS404)."""
    used = _refs(tools, types)
    while (more := _refs([types[name] for name in used], types) - used) != set():
        used |= more
    return {name: schema for name, schema in types.items() if name in used}


def _dump(path: Path, spec: Schema) -> None:
    """Block-style YAML in the keys' own order; pyyaml quotes every string YAML 1.2 would misread."""
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=110)
    path.write_text("# Synthetic spec written by bench/corpus.py.\n" + text, encoding="utf-8")


def write_project(root: Path, tools: int, *, seed: int = 0, tools_per_toolset: int = 11, deep: bool = False) -> None:
    """Write root/pyproject.toml and root/specs/*.yaml holding `tools` tools in total, spread over
    toolsets of about tools_per_toolset tools each (fewer than 20, so TS304 stays quiet); deep:
    every tool has a parameter nested five objects down (DEEP_YAML)."""
    if tools < 1 or tools_per_toolset < 1:
        raise ValueError("a project needs at least one tool, and toolsets at least one each")
    rng = random.Random(seed)
    specs = root / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    for old in specs.glob("ts[0-9][0-9][0-9][0-9]_*.yaml"):  # a rerun must not keep stale toolsets
        old.unlink()
    config = '[tool.toolspec]\nspecs = "specs"\noutput = "generated"\npackage = "generated"\n'
    (root / "pyproject.toml").write_text(config, encoding="utf-8")
    sets = max(1, -(-tools // tools_per_toolset))
    number = 0
    for index in range(sets):
        domain = rng.choice(DOMAINS)
        toolset = f"ts{index + 1:04d}_{domain[0]}"
        size = tools // sets + (1 if index < tools % sets else 0)
        tool_list = [_tool(rng, number + k + 1, domain, deep) for k in range(size)]
        number += size
        types = _used_types(tool_list, _load(TYPES_YAML, recursive=domain[3]))
        about = f"Synthetic {domain[0]} tools, set {index + 1}."
        _dump(specs / f"{toolset}.yaml", {"toolset": toolset, "description": about, "types": types, "tools": tool_list})


def change_one_spec(root: Path) -> Path:
    """Append or bump a revision number in the first tool's description of the first spec: a small
    edit that changes what the model reads, so generate must rewrite that toolset's output."""
    path = sorted((root / "specs").glob("*.yaml"))[0]
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    tool = spec["tools"][0]
    match = re.fullmatch(r"(.*) \(revision (\d+)\)", tool["description"], re.DOTALL)
    base, revision = (match.group(1), int(match.group(2))) if match else (tool["description"], 0)
    tool["description"] = f"{base} (revision {revision + 1})"
    _dump(path, spec)
    return path


def main() -> None:
    """Command line: python bench/corpus.py ROOT --tools N [--seed S] [--per-toolset K] [--deep]."""
    parser = argparse.ArgumentParser(description="Write a synthetic toolspec project for benchmarks.")
    parser.add_argument("root", type=Path, help="the project directory to write")
    parser.add_argument("--tools", type=int, required=True, help="how many tools in all")
    parser.add_argument("--seed", type=int, default=0, help="the seed of the random choices")
    parser.add_argument("--per-toolset", type=int, default=11, help="about how many tools per toolset")
    parser.add_argument("--deep", action="store_true", help="a parameter nested five objects down in every tool")
    args = parser.parse_args()
    write_project(args.root, args.tools, seed=args.seed, tools_per_toolset=args.per_toolset, deep=args.deep)


if __name__ == "__main__":
    main()
