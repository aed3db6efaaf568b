"""``python -m advisor`` entry point."""

from .cli import main

main()
