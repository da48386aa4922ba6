"""Listeners for Slack views; every module here has a `register(app, deps)`."""
