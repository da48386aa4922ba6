"""`/action list` counts its parts from measured lines and builds only those it shows: every
part shown, and the count, are what building and packing the whole list gave (kept here,
as it was, as the oracle), over generated reviews with hostile and long texts."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from bot.core.actions import ActionStatus, RagStatus
from bot.core.people import FORGOTTEN
from bot.core.roles import Role
from bot.deps import Deps
from bot.improvement_actions._rules import ListFilter, group_by_afi, select_actions
from bot.improvement_actions.service import MAX_LIST_MESSAGES, TOO_MANY, action_list
from bot.improvement_actions.views import LISTS, action_line, afi_text
from bot.slack.blocks import MESSAGE_BLOCKS_LIMIT, Block, context, header, section
from bot.slack.text import plural
from storage.db import transaction
from storage.models.improvement_actions import Action
from storage.repositories.afis import merge_afis
from storage.repositories.improvement_actions import review_action_items

from factories import add_afis, add_improvement_action, make_review, mark_afi_prioritised

# The oracle: `/action list` as it was at 5424f1b, building and packing every part.


def old_block_size(block: Block) -> int:
    return len(json.dumps(block, ensure_ascii=False))


class OldPager:
    def __init__(self, *, heading_blocks: int) -> None:
        self.max_blocks = MESSAGE_BLOCKS_LIMIT - heading_blocks
        self.max_chars = 10_000 - 400
        self.pages: list[list[Block]] = [[]]
        self._chars = 0

    def fits(self, unit: Sequence[Block], size: int) -> bool:
        page = self.pages[-1]
        return len(page) + len(unit) <= self.max_blocks and self._chars + size <= self.max_chars

    def add(self, unit: Sequence[Block], *, continuation: Sequence[Block] = ()) -> None:
        size = sum(old_block_size(block) for block in unit)
        if self.pages[-1] and not self.fits(unit, size):
            self.pages.append([])
            self._chars = 0
            self._place(continuation, sum(old_block_size(block) for block in continuation))
        self._place(unit, size)

    def _place(self, unit: Sequence[Block], size: int) -> None:
        self.pages[-1].extend(unit)
        self._chars += size

    def result(self) -> list[list[Block]]:
        return [page for page in self.pages if page]


def old_line_sections(lines: list[str]) -> list[Block]:
    sections: list[Block] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > 2900 and current:
            sections.append(section(current))
            candidate = line
        current = candidate
    if current:
        sections.append(section(current))
    return sections


def old_numbered_parts(
    pages: list[list[Block]], title: str, text: str, *, top: Sequence[Block] = ()
) -> list[tuple[str, list[Block]]]:
    messages = []
    for number, page in enumerate(pages, start=1):
        part = f" (part {number} of {len(pages)})" if len(pages) > 1 else ""
        heading = [header(f"{title}{part}"), *top]
        if not top and number > 1:
            heading.append(context(f"Continued from part {number - 1}."))
        messages.append((f"{title}{part}: {text}", [*heading, *page]))
    return messages


def old_build_action_list(
    groups: list[Any], *, which: ListFilter, today: date, total: int
) -> list[tuple[str, list[Block]]]:
    count = sum(len(group.actions) for group in groups)
    if not groups:
        empty = LISTS[which][1]
        hint = (
            "Log one with `/action log`." if total == 0 else "`/action list all` shows every one."
        )
        return [(empty + hint.replace("`", ""), [section(empty + hint)])]
    pager = OldPager(heading_blocks=2)
    for group in groups:
        heading = section(f"*{afi_text(group.afi)}*")
        body = old_line_sections([action_line(item, today=today) for item in group.actions])
        pager.add([heading, body[0]])
        for more in body[1:]:
            pager.add([more], continuation=[section(f"*{afi_text(group.afi)}* (continued)")])
    summary = f"{count} of {plural(total, 'action')} · `/action plan` posts the whole plan"
    return old_numbered_parts(
        pager.result(), LISTS[which][0], plural(count, "action"), top=[context(summary)]
    )


def old_action_list(
    deps: Deps, *, review_id: int, user_id: str, which: ListFilter
) -> list[tuple[str, list[Block] | None]]:
    today = deps.today()
    with transaction(deps.sessions) as session:
        items = review_action_items(session=session, review_id=review_id)
    chosen = select_actions(items, which, user_id=user_id, today=today)
    messages = old_build_action_list(
        group_by_afi(chosen), which=which, today=today, total=len(items)
    )
    if len(messages) <= MAX_LIST_MESSAGES:
        return list(messages)
    return [*messages[:MAX_LIST_MESSAGES], (TOO_MANY, None)]


# Generated reviews.

HOSTILE = st.sampled_from(["&", "<", ">", '"', "\\", "\n", "\t", "\x01", " ", "\u3000", "é", "😀"])
SHORT = st.text(alphabet=st.one_of(HOSTILE, st.sampled_from("abc xyz")), min_size=1, max_size=40)
# Long texts, truncated to 300 characters: repeated pieces (every character escaped, or
# whitespace where the cut falls), or a plain text with something else at the cut.
LONG = st.one_of(
    st.builds(
        lambda piece, times: piece * times,
        st.sampled_from(["&", "<>", "a", "ab ", '"x', "a\x01", " ", "&amp; "]),
        st.integers(100, 1000),
    ),
    st.builds(
        lambda around, cut, tail: "k" * cut + around + "k" * tail,
        st.sampled_from([" ", "  ", "\u3000 ", "&", "\n", "é"]),
        st.integers(290, 300),
        st.integers(0, 20),
    ),
)
TEXT = st.one_of(SHORT, SHORT, LONG)
OWNERS = st.sampled_from(["UHOST", "U2", "U123456789AB", FORGOTTEN, f"{FORGOTTEN}-3"])
ACTION = st.tuples(
    st.integers(0, 7),  # the AFI it's under (beyond those there are: none)
    TEXT,
    OWNERS,
    st.integers(-400, 400),  # due, in days from today
    st.sampled_from(list(ActionStatus)),
    st.sampled_from([None, *RagStatus]),
)
REVIEW = st.fixed_dictionaries(
    {
        "afis": st.lists(TEXT, max_size=6),
        "prioritised": st.lists(st.integers(0, 5), max_size=3, unique=True),
        "merged": st.booleans(),
        "actions": st.one_of(
            st.lists(ACTION, max_size=12),
            st.lists(ACTION, min_size=30, max_size=90),
        ),
        # Many actions alike in a few groups: short ones pack many to a section.
        "repeat": st.integers(1, 8),
    }
)
channels = itertools.count()


def seed(deps: Deps, review: dict[str, Any]) -> tuple[str, int]:
    channel = f"CPACK{next(channels)}"
    today = deps.today()
    with transaction(deps.sessions) as session:
        made = make_review(
            session,
            members=(("UHOST", Role.HOST_LEAD), ("U2", Role.PEER_REVIEWER)),
            channel=channel,
        )
        afis = add_afis(session, review_id=made.id, texts=review["afis"], author_id="UHOST")
        for rank, index in enumerate(review["prioritised"], start=1):
            if index < len(afis):
                mark_afi_prioritised(session, afi_id=afis[index].id, rank=rank)
        for afi, text, owner, days, status, rag in review["actions"] * review["repeat"]:
            action = add_improvement_action(
                session,
                review_id=made.id,
                key_action=text,
                owner_id=owner,
                due=today + timedelta(days=days),
                afi_id=afis[afi].id if afi < len(afis) else None,
            )
            session.execute(
                update(Action)
                .where(Action.id == action.id)
                .values(status=status.value, rag=rag.value if rag else None)
            )
        if review["merged"] and len(afis) > 2:
            for source, target in ((1, 2), (2, 0)):  # a chain: 1 counts under 0
                merge_afis(
                    session=session,
                    review_id=made.id,
                    source_id=afis[source].id,
                    target_id=afis[target].id,
                    now=deps.now(),
                )
        return channel, made.id


FEW_SHORT = {"afis": ["a", "b", "c", "d", "e"], "prioritised": [], "merged": False}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(review=REVIEW)
# 50 short actions under 5 AFIs are one message.
@example(
    review=FEW_SHORT
    | {
        "actions": [(n % 5, "Do it", "U2", 9, ActionStatus.OPEN, None) for n in range(50)],
        "repeat": 1,
    }
)
# Long hostile texts make more parts than are shown.
@example(
    review=FEW_SHORT
    | {
        "actions": [
            (n % 6, "&<" * 500, "UHOST", -3, ActionStatus.OPEN, RagStatus.RED) for n in range(40)
        ],
        "repeat": 2,
    }
)
def test_list_parts_are_those_of_packing_the_whole_list(deps: Deps, review: dict[str, Any]) -> None:
    channel, review_id = seed(deps, review)
    for which in ListFilter:
        old = old_action_list(deps, review_id=review_id, user_id="U2", which=which)
        new = action_list(deps, channel_id=channel, user_id="U2", which=which)
        assert new == old
