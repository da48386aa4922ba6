"""`/psif help`, which lists every command's subcommands."""
