"""The demo's people and how they behave: who is in the review, how each stakeholder answers
the checklist (varied, from the seed), where the team puts its votes, what actions it logs."""

from __future__ import annotations

import json
import random
import re
from typing import Any

from bot.core.checklist import Answer
from bot.demo.cast import Cast, Person
from bot.demo.session import Demo
from bot.slack import ids

STAKEHOLDER_NAMES = (
    "Ailsa Campbell",
    "Ross MacDonald",
    "Fiona Stewart",
    "Graeme Wilson",
    "Kirsty Thomson",
    "Iain Murray",
    "Shona Paterson",
    "Euan Mackenzie",
    "Catriona Ross",
    "Douglas Brown",
    "Mhairi Scott",
    "Hamish Kerr",
)
# How each PSIF section tends to be answered: weights for strongly agree, agree, disagree,
# strongly disagree and don't know. Results (6) is where a service like this is weakest.
SECTION_CLIMATE: dict[int, tuple[int, int, int, int, int]] = {
    1: (30, 45, 15, 3, 7),
    2: (20, 45, 20, 5, 10),
    3: (10, 35, 30, 10, 15),
    4: (25, 50, 15, 3, 7),
    5: (25, 45, 15, 5, 10),
    6: (5, 25, 30, 10, 30),
}
SCALE = (
    Answer.STRONGLY_AGREE,
    Answer.AGREE,
    Answer.DISAGREE,
    Answer.STRONGLY_DISAGREE,
    Answer.DONT_KNOW,
)
# What people write in the comment boxes, by section: (what works well, what could improve).
# Each is written once, by whoever reaches it first.
COMMENTS: dict[int, tuple[tuple[str, str], ...]] = {
    1: (
        ("The roads asset plan is clear and up to date.", "Priorities change mid-year."),
        ("We consult community councils every spring.", "The plan is not shared with crews."),
        ("Targets are linked to the council plan.", "Too many priorities to remember."),
    ),
    2: (
        ("Crews know their patch and residents notice it.", "Training is cancelled first."),
        ("Managers are approachable.", "Vacancies take months to fill."),
        ("New starts get a good induction.", "Ideas from crews go nowhere."),
    ),
    3: (
        ("Good use of the asset management system.", "Partners don't share their programmes."),
        ("Depot equipment is well kept.", "Budget information arrives late."),
        ("The new vans have cut fuel use.", "The IT system crashes on site."),
    ),
    4: (
        ("Online defect reporting works well.", "Residents aren't told when repairs happen."),
        ("Emergency call-outs are quick.", "We rarely hear how complaints were resolved."),
        ("Disabled access is considered early.", "Processes differ between depots."),
    ),
    5: (
        ("Senior managers visit depots.", "Big decisions are not explained to crews."),
        ("The head of service backs new ideas.", "Risks are discussed but not written down."),
        ("Leaders work well with Police Scotland.", "We hear about changes from the press."),
    ),
    6: (
        ("Winter service results are good.", "We don't publish our results."),
        ("Condition surveys are done every year.", "We don't compare ourselves with others."),
        ("Absence has come down.", "Nobody asks residents if they are satisfied."),
    ),
}
# Key action, risks or costs, measure, outcome: by checklist section (0: added by the team).
IMPORTED_FROM = re.compile(r" — (\d+)\.\d+: ")
ACTIONS: dict[int, tuple[str, str, str, str]] = {
    0: (
        "Tell residents the expected repair date when a defect is reported",
        "Changes to the reporting system; about £8,000",
        "Share of reports given a date; complaints about repairs",
        "Residents know what will happen and when",
    ),
    1: (
        "Publish a one-page roads plan with three measurable priorities",
        "A month of the service manager's time",
        "Plan published and discussed at every team meeting",
        "Everyone knows what the service is aiming for",
    ),
    2: (
        "Protect the training budget and run a skills plan for every crew",
        "About £15,000 a year of training",
        "Training days delivered against the skills plan",
        "Crews have the skills the network needs",
    ),
    3: (
        "Agree joint aims and a shared programme with the utilities and Angus",
        "Officer time across partners",
        "Joint programme agreed and reviewed each quarter",
        "Fewer roads dug up twice",
    ),
    4: (
        "Map the defect reporting process with residents and remove delays",
        "Two workshops with residents and staff",
        "Time from report to repair; complaints",
        "Repairs happen sooner and residents see it",
    ),
    5: (
        "Hold quarterly open sessions between senior managers and crews",
        "Four half-days a year",
        "Staff survey: feeling listened to",
        "Decisions are understood and trusted",
    ),
    6: (
        "Publish a monthly road condition and satisfaction dashboard",
        "Two days of analyst time each month",
        "Dashboard live and discussed at committee each quarter",
        "Members and residents can see progress",
    ),
}
MORAY_TEAM = "T0MORAY01"
ACTION_DUE = ("2027-04-14", "2027-05-28", "2027-06-25", "2027-06-30")


def build_cast(stakeholders: int) -> Cast:
    names = [
        STAKEHOLDER_NAMES[i] if i < len(STAKEHOLDER_NAMES) else f"Stakeholder {i + 1}"
        for i in range(stakeholders)
    ]
    return Cast(
        host_lead=Person("U01HOSTLD", "Morag Reid", "host lead, Fife Council"),
        host_team=Person("U02HOSTTM", "Callum Fraser", "host team, Fife Council"),
        is_lead=Person("U03ISLEAD", "Eilidh Grant", "Improvement Service lead"),
        is_team=Person("U04ISTEAM", "Jamie Robertson", "Improvement Service"),
        peers=(
            Person("U05PEERAN", "Niamh Docherty", "peer reviewer, Angus Council"),
            Person("U06PEERST", "Alasdair Munro", "peer reviewer, Stirling Council"),
            # From Moray's own Slack workspace, in the channel through Slack Connect.
            Person("U07PEERMO", "Gillian Souter", "peer reviewer, Moray Council", MORAY_TEAM),
        ),
        stakeholders=tuple(
            Person(f"U1{i:02d}STAKE", name, "stakeholder") for i, name in enumerate(names)
        ),
    )


def late(cast: Cast) -> tuple[Person, ...]:
    """Those who answer only after the reminders: about a quarter, at least one."""
    return cast.stakeholders[len(early(cast)) :]


def early(cast: Cast) -> tuple[Person, ...]:
    count = len(cast.stakeholders)
    return cast.stakeholders[: count - max(1, count // 4)]


def unused_comments() -> dict[int, list[tuple[str, str]]]:
    return {section: list(pairs) for section, pairs in COMMENTS.items()}


def answers_for(
    view: dict[str, Any], rng: random.Random, comments: dict[int, list[tuple[str, str]]]
) -> dict[str, Any]:
    """One section's answers (a blank now and then) and, sometimes, comments from `comments`
    (used up as they are written)."""
    section = int(json.loads(view["private_metadata"])["section"])
    weights = SECTION_CLIMATE.get(section, SECTION_CLIMATE[1])
    inputs: dict[str, Any] = {}
    for block in view["blocks"]:
        name = str(block.get("block_id", "")).split(":")[0]
        if name.startswith(ids.CHECKLIST_STATEMENT):
            tilt = rng.uniform(-0.5, 0.5)
            tilted = [w * (1 + tilt) for w in weights[:2]] + [w * (1 - tilt) for w in weights[2:4]]
            answer = rng.choices(SCALE, [*tilted, weights[4]])[0]
            inputs[name] = None if rng.random() < 0.02 else answer.value
    left = comments.get(section, [])
    if left and rng.random() < 0.3:
        strength, improvement = left.pop(rng.randrange(len(left)))
        inputs[f"{ids.CHECKLIST_STRENGTHS}{section}"] = strength
        inputs[f"{ids.CHECKLIST_IMPROVEMENTS}{section}"] = improvement
    return inputs


def vote_buttons(message: dict[str, Any]) -> dict[int, str]:
    """AFI number → its Vote button's value, read from the voting message."""
    buttons: dict[int, str] = {}
    number = 0
    for block in message["blocks"]:
        text = block.get("text", {}).get("text", "") if block["type"] == "section" else ""
        if text.startswith("*") and ".*" in text:
            number = int(text[1 : text.index(".*")])
        for element in block.get("elements", []):
            if element.get("action_id") == ids.AFI_VOTE_ADD:
                buttons[number] = element["value"]
    return buttons


def afi_texts(message: dict[str, Any]) -> dict[int, str]:
    """AFI number → its text, read from the voting message ("*3.* Staff are asked …")."""
    texts: dict[int, str] = {}
    for block in message["blocks"]:
        text = block.get("text", {}).get("text", "") if block["type"] == "section" else ""
        if text.startswith("*") and ".*" in text:
            first_line = text.partition("\n")[0]
            texts[int(text[1 : text.index(".*")])] = first_line.partition(".* ")[2]
    return texts


def choose_votes(buttons: dict[int, str], rng: random.Random) -> list[int]:
    """Three different areas, favouring the first few (the self-assessment's weakest)."""
    numbers = sorted(buttons)
    weights = [len(numbers) - position for position in range(len(numbers))]
    chosen: list[int] = []
    while len(chosen) < min(3, len(numbers)):
        pick = rng.choices(numbers, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def action_for(demo: Demo, afi_label: str) -> tuple[str, str, str, str]:
    """A fitting action for an area for improvement ("AFI 3: <text, maybe cut short>")."""
    number_text, _, shown = afi_label.partition(": ")
    number = int(number_text.removeprefix("AFI "))
    text = demo.memory.get("afi_texts", {}).get(number) or shown.removesuffix("…")
    return ACTIONS.get(section_of(demo, text), ACTIONS[0])


def prioritised_options(view: dict[str, Any]) -> list[tuple[str, str]]:
    """The action modal's prioritised areas, as (value, label)."""
    for block in view["blocks"]:
        element = block.get("element", {})
        for group in element.get("option_groups", []):
            if group["label"]["text"] == "Prioritised areas":
                return [(o["value"], o["text"]["text"]) for o in group["options"]]
    return []


def option_for(view: dict[str, Any], afi_label: str) -> tuple[str, str] | None:
    """The first option for improvement fieldwork found for this AFI ("AFI 3: …"), as
    (value, label), if the action form offers one."""
    group_label = afi_label.partition(":")[0]
    for block in view["blocks"]:
        if str(block.get("block_id", "")).split(":")[0] != ids.ACTION_OPTION:
            continue
        for group in block["element"].get("option_groups", []):
            if group["label"]["text"] == group_label:
                first = group["options"][0]
                return first["value"], first["text"]["text"]
    return None


def action_form(
    index: int, afi_value: str, action: tuple[str, str, str, str], owner: Person
) -> dict[str, Any]:
    key, risks, measure, outcome = action
    return {
        ids.ACTION_AFI: afi_value,
        ids.ACTION_KEY: key,
        ids.ACTION_OWNER: owner.id,
        ids.ACTION_DUE: ACTION_DUE[index % len(ACTION_DUE)],
        ids.ACTION_RISKS: risks,
        ids.ACTION_MEASURE: measure,
        ids.ACTION_OUTCOME: outcome,
    }


def section_of(demo: Demo, text: str) -> int:
    """The checklist section of the statement an AFI was imported from (0 when none): an
    imported AFI names its statement ("… — 6.01: 0% agree of 3")."""
    if not text:
        return 0
    named = IMPORTED_FROM.search(text)
    if named:
        return int(named.group(1))
    for checklist in demo.deps.checklists.values():
        for section in checklist.sections:
            if any(statement.text.startswith(text) for statement in section.statements):
                return section.number
    return 0
