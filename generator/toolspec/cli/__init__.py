"""The command line: `toolspec lint | generate | check | breaking | stats | scaffold | schema | rule | import | export`.

app.py parses the arguments and runs the commands; import_export.py adds `import` and `export`;
the modules beside them are the reports that have no stage of their own (stats, export, the
rules' documentation, the table of every code).
"""

from toolspec.cli.app import main

__all__ = ["main"]
