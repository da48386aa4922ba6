"""Subcommands of /action, one module each."""
