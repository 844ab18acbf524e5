"""``python -m archml`` runs the command line."""

from archml.cli import app

app(prog_name="archml")
