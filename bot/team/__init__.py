"""The review team: roles, `/psif team` and `/psif peers`."""
