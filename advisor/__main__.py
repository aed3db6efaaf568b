"""``python -m advisor`` entry point."""

from .cli import app

app()
