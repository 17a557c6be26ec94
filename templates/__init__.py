"""The Jinja2 templates of the generated package (shipped as toolspec.templates)."""
