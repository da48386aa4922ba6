"""Listeners for Slack actions; every module here has a `register(app, deps)`."""
