"""The command line: `toolspec init | lint | generate | check | breaking | stats | scaffold | schema | rule`,
and `import | export`.

app.py parses the arguments and runs the commands; import_export.py adds `import` and `export`;
the modules beside them are the reports that have no stage of their own (stats, export, the
rules' documentation, the table of every code).
"""

from __future__ import annotations

from toolspec.cli.app import main, run

__all__ = ["main", "run"]
