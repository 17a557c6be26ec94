"""Render the generated package, write it to disk, and prove it current."""
