"""`council`: the command line, on top of the import graph (it composes the web app and the evals)."""

from cli.main import EXIT_SKIPPED, app, lower_priority, main

__all__ = ["EXIT_SKIPPED", "app", "lower_priority", "main"]
