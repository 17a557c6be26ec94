"""`python -m toolspec` runs the command line."""

from toolspec.cli import main

raise SystemExit(main())
