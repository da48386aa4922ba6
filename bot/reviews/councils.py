"""The 32 Scottish councils and the LGBF family groups used to choose peer councils."""

from __future__ import annotations

COUNCILS: tuple[str, ...] = (
    "Aberdeen City",
    "Aberdeenshire",
    "Angus",
    "Argyll and Bute",
    "City of Edinburgh",
    "Clackmannanshire",
    "Dumfries and Galloway",
    "Dundee City",
    "East Ayrshire",
    "East Dunbartonshire",
    "East Lothian",
    "East Renfrewshire",
    "Falkirk",
    "Fife",
    "Glasgow City",
    "Highland",
    "Inverclyde",
    "Midlothian",
    "Moray",
    "Na h-Eileanan Siar",
    "North Ayrshire",
    "North Lanarkshire",
    "Orkney Islands",
    "Perth and Kinross",
    "Renfrewshire",
    "Scottish Borders",
    "Shetland Islands",
    "South Ayrshire",
    "South Lanarkshire",
    "Stirling",
    "West Dunbartonshire",
    "West Lothian",
)

# Names met in the wild, mapped to the official name.
_ALIASES: dict[str, str] = {
    "edinburgh, city of": "City of Edinburgh",
    "edinburgh": "City of Edinburgh",
    "eilean siar": "Na h-Eileanan Siar",
    "comhairle nan eilean siar": "Na h-Eileanan Siar",
    "western isles": "Na h-Eileanan Siar",
    "argyll & bute": "Argyll and Bute",
    "perth & kinross": "Perth and Kinross",
    "dumfries & galloway": "Dumfries and Galloway",
    "glasgow": "Glasgow City",
    "aberdeen": "Aberdeen City",
    "dundee": "Dundee City",
}

# LGBF family groups; the groupings are revised from time to time, so they are data.
PEOPLE_FAMILY_GROUPS: dict[int, tuple[str, ...]] = {
    1: (
        "East Renfrewshire",
        "East Dunbartonshire",
        "Aberdeenshire",
        "City of Edinburgh",
        "Perth and Kinross",
        "Aberdeen City",
        "Shetland Islands",
        "Orkney Islands",
    ),
    2: (
        "Moray",
        "Stirling",
        "East Lothian",
        "Angus",
        "Scottish Borders",
        "Highland",
        "Argyll and Bute",
        "Midlothian",
    ),
    3: (
        "Falkirk",
        "Dumfries and Galloway",
        "Fife",
        "South Ayrshire",
        "West Lothian",
        "South Lanarkshire",
        "Renfrewshire",
        "Clackmannanshire",
    ),
    4: (
        "Na h-Eileanan Siar",
        "Dundee City",
        "East Ayrshire",
        "North Ayrshire",
        "North Lanarkshire",
        "Inverclyde",
        "West Dunbartonshire",
        "Glasgow City",
    ),
}
OTHER_FAMILY_GROUPS: dict[int, tuple[str, ...]] = {
    1: (
        "Na h-Eileanan Siar",
        "Argyll and Bute",
        "Shetland Islands",
        "Highland",
        "Orkney Islands",
        "Scottish Borders",
        "Dumfries and Galloway",
        "Aberdeenshire",
    ),
    2: (
        "Perth and Kinross",
        "Stirling",
        "Moray",
        "South Ayrshire",
        "East Ayrshire",
        "East Lothian",
        "North Ayrshire",
        "Fife",
    ),
    3: (
        "Angus",
        "Clackmannanshire",
        "Midlothian",
        "South Lanarkshire",
        "Inverclyde",
        "Renfrewshire",
        "West Lothian",
        "East Renfrewshire",
    ),
    4: (
        "North Lanarkshire",
        "Falkirk",
        "East Dunbartonshire",
        "Aberdeen City",
        "City of Edinburgh",
        "West Dunbartonshire",
        "Dundee City",
        "Glasgow City",
    ),
}


def canonical_council(name: str) -> str | None:
    """The official name for `name` (case-insensitive, common variants), or None."""
    wanted = " ".join(name.split()).casefold()
    for council in COUNCILS:
        if council.casefold() == wanted:
            return council
    return _ALIASES.get(wanted)


def family_groups(council: str) -> tuple[int, int]:
    """(people-services group, other-services group) of an official council name."""
    people = next(n for n, members in PEOPLE_FAMILY_GROUPS.items() if council in members)
    other = next(n for n, members in OTHER_FAMILY_GROUPS.items() if council in members)
    return people, other
