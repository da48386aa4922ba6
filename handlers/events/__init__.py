"""Listeners for Slack events; every module here has a `register(app, deps)`."""
