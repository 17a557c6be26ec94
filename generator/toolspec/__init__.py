"""toolspec: one reviewed YAML spec for the tools an OpenAI model may call."""

__version__ = "0.1.0"
