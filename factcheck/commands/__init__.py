"""Subcommands of the command line, one module each (add_arguments, run)."""
