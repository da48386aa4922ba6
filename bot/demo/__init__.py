"""`psif-bot demo`: the real app played through a whole review against a local fake Slack."""
