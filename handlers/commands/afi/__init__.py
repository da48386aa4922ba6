"""Subcommands of /afi, one module each."""
