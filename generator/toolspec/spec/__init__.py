"""The spec language: its JSON Schema, its intermediate representation, and the parser."""
