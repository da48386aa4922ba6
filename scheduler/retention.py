"""The retention pass, once a day: seal the answers of self-assessments that have closed,
and purge the self-assessment personal data of reviews closed more than PSIF_RETENTION_DAYS
ago (default 365).

Not a nudge rule (it sends nothing, so it defines no RULE); `scheduler.runner` runs it as
its own job, and `psif-bot scheduler --once` runs it after the nudge pass.
"""

from __future__ import annotations

from bot.deps import Deps
from bot.self_assessment.service import purge_expired, seal_closed_rounds


def purge_expired_reviews(deps: Deps) -> int:
    """Seal and purge what is due now; how many reviews were purged."""
    seal_closed_rounds(deps)
    return purge_expired(deps, now=deps.now())
