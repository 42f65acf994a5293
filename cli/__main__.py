"""`python -m cli`: the `factmark` command, run from a checkout."""

from cli.main import run

run()
