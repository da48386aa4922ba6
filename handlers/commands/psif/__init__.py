"""Subcommands of /psif, one module each."""
