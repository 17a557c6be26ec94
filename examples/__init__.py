"""Implementations of the four example toolsets (specs/*.yaml), and a demo of the tool loop.

`python -m examples.demo` runs the loop against a local stand-in for the model, or against the
real API when OPENAI_API_KEY is set.
"""
