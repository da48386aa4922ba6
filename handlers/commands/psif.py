"""`/psif`'s subcommands, by feature: the review, the team, the self-assessment and its
survey, the papers, reminders, privacy, fieldwork, the report and help. Each docstring is
its summary in `/psif help`."""

from __future__ import annotations

from bot.core.papers import PaperKind
from bot.fieldwork.service import fieldwork_session_form, show_plan
from bot.papers import service as pack
from bot.privacy.views import build_forget_me_confirmation
from bot.reminders.service import snooze_reminders, switch_reminders, upcoming_reminders
from bot.report import service as reporting
from bot.reviews import service as reviews
from bot.self_assessment import service as assessment
from bot.slack.help import build_help
from bot.slack.payloads import whole_number
from bot.slack.usergroups import group_members
from bot.survey.service import LINKS_USAGE, import_form, make_links, withdraw_unused_links
from bot.team.service import participants_command, peers_form, show_peers, team_command
from handlers.commands.router import CommandContext, subcommand

PAPERS_USAGE = (
    "Type `/psif papers` to see the pack, "
    "`/psif papers add &lt;title&gt; &lt;link&gt;` to add evidence, "
    "`/psif papers paper &lt;link&gt;` for the host's paper, "
    "`/psif papers remove &lt;number&gt;`, or "
    "`/psif papers send` to send the pack to the team."
)


# The review
@subcommand("/psif start", order=10)
def start(ctx: CommandContext) -> None:
    """open a new peer collaborative improvement review in this channel"""
    # Slack is asked (the form opened, the channel's privacy) once acknowledged.
    warning = reviews.start_form(ctx.deps, lambda: ctx.client, command=ctx.command)
    if warning:
        ctx.reply(warning)


@subcommand("/psif status", order=20)
def status(ctx: CommandContext) -> None:
    """where the review stands: stage, what's next, the team"""
    ctx.reply(*reviews.review_status(ctx.deps, **ctx.here))


@subcommand("/psif edit", order=21)
def edit(ctx: CommandContext) -> None:
    """change the review's Appendix 1 details and dates (leads); reminders follow"""
    ctx.open_modal(reviews.edit_form(ctx.deps, **ctx.here, response_url=ctx.response_url))


@subcommand("/psif stage [next]", order=30)
def stage(ctx: CommandContext) -> None:
    """what the current stage still needs; `next` moves on (leads)"""
    wants_next = ctx.args.lower() in ("next", "advance")
    if ctx.args and not wants_next:
        ctx.reply("Type `/psif stage` to see the stage, or `/psif stage next` to move on.")
        return
    ctx.reply(*reviews.stage_overview(ctx.deps, **ctx.here, wants_next=wants_next))


@subcommand("/psif close", order=36)
def close(ctx: CommandContext) -> None:
    """close the review once its plan is carried out (leads; it stays readable)"""
    ctx.reply(*reviews.propose_close(ctx.deps, **ctx.here))


@subcommand("/psif reopen", order=37)
def reopen(ctx: CommandContext) -> None:
    """reopen this channel's closed review (leads)"""
    ctx.reply(reviews.reopen(ctx.deps, **ctx.here, response_url=ctx.response_url))


@subcommand("/psif done <milestone>", order=40)
def done(ctx: CommandContext) -> None:
    """record a timeline milestone done (e.g. `papers`), which stops its reminders"""
    ctx.reply(*reviews.milestone_done(ctx.deps, **ctx.here, word=ctx.typed_args.strip()))


# The team: `peers edit` opens the leads' form, `participants send` gives them the papers
# and the schedule. Slack is asked only when adding people, so after the acknowledgement.
@subcommand("/psif team [add @a as peer|host|is [council] | remove @a | lead host|is @a]", order=22)
def team(ctx: CommandContext) -> None:
    """the review team by role; leads add and remove people and change leads"""
    url = ctx.response_url or None
    ctx.reply(
        *team_command(ctx.deps, lambda: ctx.client, **ctx.here, typed=ctx.args, response_url=url)
    )


@subcommand("/psif participants [add @a @b | remove @a | send]", order=24)
def participants(ctx: CommandContext) -> None:
    """the host's officers taking part in fieldwork; leads add them and send them the papers
    and the fieldwork schedule"""
    url = ctx.response_url or None
    if ctx.args.strip().lower() == "send":
        ctx.reply(pack.send_to_host_participants(ctx.deps, **ctx.in_team, response_url=url))
        return
    answer = participants_command(
        ctx.deps, lambda: ctx.client, **ctx.here, typed=ctx.args, response_url=url
    )
    ctx.reply(*answer)


@subcommand("/psif peers [edit]", order=23)
def peers(ctx: CommandContext) -> None:
    """the peer councils approached and what they said; leads record answers and add partner
    organisations"""
    word = ctx.args.strip().lower()
    if not word:
        ctx.reply(*show_peers(ctx.deps, **ctx.here))
    elif word == "edit":
        ctx.open_modal(peers_form(ctx.deps, **ctx.here, response_url=ctx.response_url))
    else:
        ctx.reply(
            "`/psif peers` shows the peer councils and their answers; leads record them "
            "with `/psif peers edit`."
        )


# The self-assessment
@subcommand(assessment.INVITE_USAGE, order=30)
def invite(ctx: CommandContext) -> None:
    """invite stakeholders to the PSIF self-assessment (each gets a direct message)"""
    # A user group invites its members. ctx.client defers to after the acknowledgement, so
    # read it only when a group needs it.
    ctx.reply(
        assessment.invite_mentioned(
            ctx.deps,
            **ctx.here,
            typed=ctx.args,
            members_of=lambda group: group_members(ctx.client, group),
            response_url=ctx.response_url,
        )
    )


@subcommand("/psif checklist [close | close-date DD/MM/YYYY]", order=31)
def checklist(ctx: CommandContext) -> None:
    """open or carry on with your self-assessment; leads can close it early or set its
    closing date"""
    word, _, rest = ctx.args.partition(" ")
    if word.lower() == "close-date":
        url = ctx.response_url
        ctx.reply(
            assessment.change_closing_date(
                ctx.deps, **ctx.here, typed=rest.strip(), response_url=url
            )
        )
    elif word.lower() == "close" and not rest.strip():
        ctx.reply(*assessment.close_confirmation(ctx.deps, **ctx.here))
    elif word:
        ctx.reply(
            "Type `/psif checklist` to open your self-assessment; (leads) "
            "`/psif checklist close` to close it now, or "
            "`/psif checklist close-date 2027-03-01` to change when it closes."
        )
    else:
        opened = assessment.own_self_assessment(ctx.deps, **ctx.here)
        if isinstance(opened, tuple):
            ctx.reply(*opened)
            return
        ctx.open_modal(opened, unrecorded=True)


@subcommand("/psif results [export | repost]", order=32)
def results(ctx: CommandContext) -> None:
    """once the self-assessment has closed: post its results here once (private channels
    only; leads can repost), or get the totals as spreadsheets"""
    word = ctx.args.lower()
    if word == "export":
        answers = assessment.export_results(ctx.deps, **ctx.here)
    elif word in ("", "repost"):
        assessment.ask_channel_results(  # answered by the worker, which asks Slack and analyses
            ctx.deps, **ctx.in_team, response_url=ctx.response_url, repost=word == "repost"
        )
        return
    else:
        answers = [
            "Type `/psif results` to post the self-assessment results here (or see where they "
            "were posted), `/psif results export` to get them as spreadsheet files, or "
            "(leads) `/psif results repost` to post them again."
        ]
    for answer in answers:
        ctx.reply(answer)


@subcommand(LINKS_USAGE, order=33)
def links(ctx: CommandContext) -> None:
    """make one-time links to the self-assessment for people without Slack (sent to you as a
    CSV to mail-merge), or withdraw the unused ones"""
    if ctx.args.strip().lower() == "withdraw":
        ctx.reply(withdraw_unused_links(ctx.deps, **ctx.here))
    else:
        ctx.reply(make_links(ctx.deps, **ctx.here, typed=ctx.args))


@subcommand("/psif import-answers", order=34)
def import_answers(ctx: CommandContext) -> None:
    """add self-assessment answers collected outside Slack, from a survey tool's CSV export
    (you see what I understood before anything is added)"""
    ctx.open_modal(import_form(ctx.deps, **ctx.here))


# Fieldwork: its papers and its plan
@subcommand("/psif papers [add <title> <link> | paper <link> | remove <n> | send]", order=33)
def papers(ctx: CommandContext) -> None:
    """the papers for fieldwork: the host's paper, the self-assessment report, evidence"""
    word, _, rest = ctx.typed_args.strip().partition(" ")
    word, where = word.lower(), ctx.in_team
    if not word:
        ctx.reply(*pack.show_pack(ctx.deps, **where))
    elif word in ("add", "paper"):
        kind = PaperKind.EVIDENCE if word == "add" else PaperKind.HOST_PAPER
        ctx.reply(pack.add_link(ctx.deps, text=rest, kind=kind, **where))
    elif word == "remove" and (number := whole_number(rest.strip(), digits=4)) is not None:
        ctx.reply(pack.remove_link(ctx.deps, number=number, **where))
    elif word == "send" and not rest:
        ctx.reply(
            pack.send_pack(ctx.deps, lambda: ctx.client, response_url=ctx.response_url, **where)
        )
    else:
        ctx.reply(PAPERS_USAGE)


@subcommand("/psif fieldwork [plan]", order=34)
def fieldwork(ctx: CommandContext) -> None:
    """the interview and focus-group plan; `plan` adds a session (leads)"""
    word = ctx.args.strip().lower()
    if not word:
        ctx.reply(*show_plan(ctx.deps, **ctx.in_team))
    elif word in ("plan", "add"):
        url = ctx.response_url
        ctx.open_modal(fieldwork_session_form(ctx.deps, **ctx.in_team, response_url=url))
    else:
        ctx.reply(
            "Type `/psif fieldwork` to see the plan, or `/psif fieldwork plan` to plan a session."
        )


# Reminders: the next 14 days, switched off or on by leads; snoozed by anyone, e.g. for leave
@subcommand("/psif reminders [off|on [kind]]", order=60)
def reminders(ctx: CommandContext) -> None:
    """what reminders are coming in the next 14 days; leads switch them off or on"""
    word, _, rest = ctx.args.strip().partition(" ")
    word, kind = word.lower(), rest.strip().lower()
    if word in ("off", "on"):
        ctx.reply(switch_reminders(ctx.deps, **ctx.here, on=word == "on", kind=kind))
    elif not word:
        message = upcoming_reminders(ctx.deps, **ctx.here)
        ctx.reply(message.text, message.blocks)
    else:
        ctx.reply(
            "Type `/psif reminders` to see what's coming, or `/psif reminders off` / "
            "`/psif reminders on` (optionally with a kind, e.g. `/psif reminders off digest`)."
        )


@subcommand("/psif snooze 7d | until 2027-03-10 | off", order=61)
def snooze(ctx: CommandContext) -> None:
    """pause your own reminders while you're away"""
    ctx.reply(snooze_reminders(ctx.deps, user_id=ctx.user_id, typed=ctx.args))


@subcommand("/psif forget-me", order=90)
def forget_me(ctx: CommandContext) -> None:
    """remove yourself from the bot's records (your answers stay anonymous)"""
    ctx.reply(*build_forget_me_confirmation())  # its buttons: handlers/interactions


# The report: a numbered draft, open comments, the host lead's final version, the public
# summary for the LGBF website and the elected members' briefing
@subcommand("/psif report [comments | final [n] | summary | briefing]", order=36)
def report(ctx: CommandContext) -> None:
    """build the draft report (Word and Markdown); comments, the final version (the host
    lead), the LGBF summary and the members' briefing (leads)"""
    word, _, rest = ctx.args.strip().lower().partition(" ")
    where, url = ctx.in_team, ctx.response_url
    number = whole_number(rest, digits=4)
    if not word:
        reporting.ask_for_draft(
            ctx.deps, **where, response_url=url
        )  # the worker answers, once saved
    elif word == "comments" and not rest:
        ctx.reply(*reporting.list_open_comments(ctx.deps, **where))
    elif word == "final" and (not rest or number is not None):
        ctx.reply(*reporting.finalise(ctx.deps, lambda: ctx.client, number=number, **where))
    elif word == "summary" and not rest:
        ctx.reply(reporting.publish_summary(ctx.deps, **where, response_url=url))
    elif word == "briefing" and not rest:
        ctx.reply(reporting.publish_briefing(ctx.deps, **where, response_url=url))
    else:
        ctx.reply(
            "Type `/psif report` to build a draft, `/psif report comments` for open comments, "
            "`/psif report final [version]` to mark one final (the host lead), "
            "`/psif report summary` for the LGBF website summary, or `/psif report briefing` "
            "for the elected members' briefing."
        )


@subcommand("/psif help [command]", order=99)
def show_help(ctx: CommandContext) -> None:
    """the commands, or more on one (`/psif help team`, `/psif help afi vote`)"""
    # Also shown for `/psif` alone and for words the bot doesn't know.
    ctx.reply(*build_help(ctx.all_help(), topic=ctx.args))


SUBCOMMANDS = (
    *(start, status, edit, stage, close, reopen, done),
    *(team, participants, peers),
    *(invite, checklist, results, links, import_answers),
    *(papers, reminders, snooze, forget_me, fieldwork, report, show_help),
)
