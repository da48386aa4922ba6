"""Areas for improvement: text rules, dot-vote settings and ranking. No Slack, no database."""
