"""The command line: a thin typer layer, one small module per command group."""

from argmap.cli.app import app, main

__all__ = ["app", "main"]
