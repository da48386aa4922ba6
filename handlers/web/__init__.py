"""Pages the bot serves to people outside Slack, over plain HTTP."""
