"""Writing the demo themes: states, presenters, interest, questions, placements on meetings."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from community.enums import FACILITATORS_GROUP
from meetings.enums import MeetingState
from meetings.models import Meeting

from ..enums import PresenterStatus
from ..models import (
    ExperienceSheet,
    PresenterRole,
    Question,
    QuestionVote,
    SheetAttachment,
    TaggedTheme,
    Theme,
    ThemeInterest,
    ThemeTopic,
    ThemeTransition,
)
from ..services.lifecycle import _fill_agenda_item, theme_counts_refresh
from .data import PITCHES, PR, QUESTIONS, SHEETS, THEMES, A, P, S, W, X


def seed_themes(stdout) -> None:
    titles = [row[0] for row in THEMES]
    if Theme.objects.filter(title__in=titles).exists():
        return
    members = list(get_user_model().objects.approved().order_by("email"))
    if len(members) < 2:
        return
    rng = random.Random(20201015)
    now = timezone.now()
    published = Meeting.objects.filter(state=MeetingState.PUBLISHED)
    past_meetings = list(published.filter(starts_at__lt=now).order_by("starts_at"))
    upcoming = list(published.filter(starts_at__gte=now).order_by("starts_at"))
    facilitator = (
        get_user_model().objects.approved().filter(groups__name=FACILITATORS_GROUP).order_by("email").first()
        or members[0]
    )

    topics = {}
    for name in sorted({topic for row in THEMES for topic in row[3]}):
        topics[name], _created = ThemeTopic.objects.get_or_create(slug=slugify(name), defaults={"name": name})

    themes = []
    # A two-hour meeting holds two human-bookstore sessions; the rest wait in the backlog.
    places_left = 2 * len(upcoming)
    for index, (title, reason, state, _topics, summary) in enumerate(THEMES):
        if state == S:
            if places_left:
                places_left -= 1
            else:
                state = P
        themes.append(
            Theme(
                title=title,
                summary=summary,
                reason=reason,
                state=state,
                proposer=members[(index * 7) % len(members)],
                state_changed_by=facilitator,
            )
        )
    Theme.objects.bulk_create(themes)

    placements = _placements(themes, past_meetings, upcoming)
    roles, interests, transitions, sheets, questions = [], [], [], [], []
    for index, theme in enumerate(themes):
        meeting = placements.get(theme.pk)
        age = timedelta(days=30 + 25 * (len(themes) - index))
        session = meeting.starts_at if meeting else now - age + timedelta(days=75)
        created = session - timedelta(days=75) if theme.state in (S, PR, A) else now - age
        moments = {
            P: created,
            S: session - timedelta(days=40),
            PR: session + timedelta(hours=2),
            A: min(session + timedelta(days=60), now - timedelta(days=1)),
            W: created + timedelta(days=20),
            X: created + timedelta(days=20),
        }
        theme.created_at = created
        theme.state_changed_at = moments[theme.state]
        TaggedTheme.objects.bulk_create(
            [TaggedTheme(content_object=theme, tag=topics[name]) for name in THEMES[index][3]]
        )
        others = [m for m in members if m.pk != theme.proposer_id]
        for member in rng.sample(others, k=min(len(others), rng.randint(1, 9))):
            interests.append(ThemeInterest(theme=theme, member=member))

        presenter_count = {P: rng.choice([0, 0, 1, 2]), S: 2, PR: rng.choice([1, 2]), A: 1, W: 0, X: 0}[theme.state]
        chosen = rng.sample(members, k=min(len(members), presenter_count))
        for slot, member in enumerate(chosen, start=1):
            confirmed = theme.state != P or rng.random() < 0.5
            roles.append(
                PresenterRole(
                    theme=theme,
                    member=member,
                    slot=slot,
                    status=PresenterStatus.CONFIRMED if confirmed else PresenterStatus.VOLUNTEERED,
                    pitch=PITCHES[(index + slot) % len(PITCHES)],
                    status_changed_at=created,
                    status_changed_by=facilitator if confirmed else member,
                )
            )

        history = [(P, P, theme.proposer, "")]
        if theme.state in (S, PR, A):
            history.append((P, S, facilitator, ""))
        if theme.state in (PR, A):
            history.append((S, PR, facilitator, ""))
        if theme.state == A:
            history.append((PR, A, facilitator, ""))
        if theme.state == W:
            history.append((P, W, theme.proposer, "I changed jobs and cannot follow this theme any more."))
        if theme.state == X:
            history.append((P, X, facilitator, "Already covered in the guide: see the chapter on governance."))
            theme.state_note = history[-1][3]
        for source, target, by, note in history:
            transitions.append(
                ThemeTransition(
                    theme=theme,
                    from_state=source,
                    to_state=target,
                    by=by,
                    note=note,
                    meeting=meeting if target in (S, PR, A) else None,
                )
            )
            transitions[-1]._at = moments[target] if source != target or target != P else created

        if theme.state in (S, PR, A) or (theme.state == P and chosen and index % 3 == 0):
            content = SHEETS.get(theme.title) or (
                f"How we ran “{theme.title}” in our centre, step by step.",
                "- Partners appreciated it.\n- Little budget needed.",
                "- Takes time to prepare.\n- Depends on one motivated person.",
                "Transferable to most centres; adapt the timing to your partners' calendar.",
            )
            sheets.append(
                ExperienceSheet(
                    theme=theme,
                    activity=content[0],
                    strengths=content[1],
                    weaknesses=content[2],
                    transferability=content[3],
                    updated_by=chosen[0] if chosen else None,
                )
            )
        if theme.state in (P, S, PR, A):
            for number in range(rng.randint(0, 4)):
                author = rng.choice(members)
                answered = theme.state in (PR, A) and number % 2 == 0
                asked = created + timedelta(days=10 + 7 * number)
                questions.append(
                    Question(
                        theme=theme,
                        author=author,
                        body=QUESTIONS[(index + number) % len(QUESTIONS)],
                        answered_at=session + timedelta(hours=1) if answered else None,
                        answered_by=chosen[0] if answered and chosen else None,
                        answer="We will share the templates after the session." if answered and number == 0 else "",
                    )
                )
                questions[-1]._asked = asked

    Theme.objects.bulk_update(themes, ["created_at", "state_changed_at", "state_note"])
    ThemeInterest.objects.bulk_create(interests)
    PresenterRole.objects.bulk_create(roles)
    theme_counts_refresh(theme_ids=[theme.pk for theme in themes])
    ThemeTransition.objects.bulk_create(transitions)
    for transition in transitions:
        transition.at = transition._at
    ThemeTransition.objects.bulk_update(transitions, ["at"])
    ExperienceSheet.objects.bulk_create(sheets)
    Question.objects.bulk_create(questions)
    for question in questions:  # bulk_create stamps "now" on auto_now_add fields
        question.created_at = question._asked
    Question.objects.bulk_update(questions, ["created_at"])

    by_title = {sheet.theme.title: sheet for sheet in sheets}
    SheetAttachment.objects.bulk_create(
        [
            SheetAttachment(
                sheet=by_title["Respecting GDPR when partners share jobseekers' data"],
                title="EDPB guidelines on consent",
                url="https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052020-consent-under-regulation-2016679_en",
            ),
            SheetAttachment(
                sheet=by_title["Gamified speed networking between partners"],
                title="Conversation cards (example)",
                url="https://en.wikipedia.org/wiki/Speed_networking",
            ),
        ]
    )
    votes = []
    for question in questions:
        voters = [m for m in members if m.pk != question.author_id]
        for member in rng.sample(voters, k=min(len(voters), rng.randint(0, 5))):
            votes.append(QuestionVote(question=question, member=member))
    QuestionVote.objects.bulk_create(votes)

    _place_on_meetings(themes, placements)
    stdout.write(f"  created {len(themes)} themes")


def _placements(themes, past_meetings, upcoming) -> dict:
    """Presented themes go on past meetings (latest first), scheduled ones on the coming meetings."""
    presented = [t for t in themes if t.state in (PR, A)]
    scheduled = [t for t in themes if t.state == S]
    placements = dict(zip((t.pk for t in presented), reversed(past_meetings), strict=False))
    for index, theme in enumerate(scheduled):
        placements[theme.pk] = upcoming[index % len(upcoming)]
    return placements


def _place_on_meetings(themes, placements) -> None:
    """Fill each meeting's human bookstore item with its theme and presenters.

    The presenters of a session that took place were there: their attendance is recorded.
    """
    from meetings.models import Attendance

    present = []
    for theme in themes:
        if theme.pk in placements:
            meeting = placements[theme.pk]
            _fill_agenda_item(theme, meeting)
            theme.save(update_fields=["meeting", "agenda_item"])
            if theme.state in (PR, A):
                present += [Attendance(meeting=meeting, member=lead) for lead in theme.agenda_item.leads.all()]
    Attendance.objects.bulk_create(present, ignore_conflicts=True)
