"""Modules that toolspec copies, as they are, into the generated package."""
