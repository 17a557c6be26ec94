"""`toolspec breaking`: what a change to the specs breaks, for the model and for Python code.

git.py finds the ref and reads its files; sides.py loads and compiles both sides; model.py and
schemas.py compare tools and parameters; python_api.py compares the generated classes; the codes are
ground/change_rules.py's; report.py accepts and prints; tokens.py is the hook for the token counts;
run.py puts them together.
"""
