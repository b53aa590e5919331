"""Demo themes for ``seed_demo``: about thirty, in every state. Idempotent and deterministic."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from community.enums import FACILITATORS_GROUP
from meetings.enums import MeetingState
from meetings.models import Meeting

from .enums import PresenterStatus, ThemeReason, ThemeState
from .models import (
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
from .services import _fill_agenda_item

DIF, TQ, INN = ThemeReason.DIFFICULTY, ThemeReason.QUESTION, ThemeReason.INNOVATION
P, S, PR, A, W, X = (
    ThemeState.PROPOSED,
    ThemeState.SCHEDULED,
    ThemeState.PRESENTED,
    ThemeState.ARCHIVED,
    ThemeState.WITHDRAWN,
    ThemeState.DECLINED,
)

# title, reason, state, topics, summary
THEMES = [
    (
        "Respecting GDPR when partners share jobseekers' data",
        DIF,
        PR,
        ["GDPR", "Data sharing"],
        "Our partners want a shared list of the people we accompany. How do we stay within GDPR: consent, "
        "data-sharing agreements, retention periods, and what to do when a partner asks for 'just an Excel file'?",
    ),
    (
        "Valorising a partnership: showing partners what they gain",
        INN,
        PR,
        ["Partnership valorisation", "Communication"],
        "We built a yearly 'partnership report' with figures and testimonies for each partner. It changed how "
        "our partners' boards see us, and two of them increased their commitment.",
    ),
    (
        "Gamified speed networking between partners",
        INN,
        A,
        ["Inter-partner links", "Speed networking", "Events"],
        "Partners working with the same jobseekers did not know each other. A gamified speed-networking morning "
        "(cards, timers, a passport to stamp) created links that still work a year later.",
    ),
    (
        "Keeping partners engaged between two steering committees",
        DIF,
        S,
        ["Inter-partner links", "Governance"],
        "Steering committees meet twice a year; in between, partners drift away. What rhythms and small rituals "
        "keep them involved without adding meetings?",
    ),
    (
        "A shared calendar of partner events",
        INN,
        S,
        ["Inter-partner links", "Tools"],
        "One online calendar where every partner publishes its workshops and job fairs, so we stop organising "
        "three events on the same afternoon.",
    ),
    (
        "Measuring the impact of a multi-partner job fair",
        TQ,
        P,
        ["Evaluation", "Events"],
        "Which indicators do you use after a job fair with ten partners? Attendance is easy, hires are hard to "
        "trace. We would like to compare methods.",
    ),
    (
        "Onboarding a new partnership officer in three weeks",
        INN,
        PR,
        ["Onboarding", "Training"],
        "A checklist, a partner map and 'shadow days' with three partners: how we onboard new colleagues fast.",
    ),
    (
        "When a historic partner withdraws",
        DIF,
        P,
        ["Governance", "Partnership valorisation"],
        "Our oldest partner left the agreement after a change of management. How did you handle a withdrawal "
        "without losing the other partners' trust?",
    ),
    (
        "Writing a partnership agreement that people actually read",
        TQ,
        P,
        ["Governance", "Legal"],
        "Our agreements are twenty pages nobody reads. Who has a two-page model that still protects everyone?",
    ),
    (
        "Co-designing a workshop with employers",
        INN,
        S,
        ["Employers", "Co-design"],
        "Employers co-designed our 'first interview' workshop. Their presence changed how jobseekers prepared.",
    ),
    (
        "Sharing a customer-relationship tool between partners",
        TQ,
        P,
        ["Tools", "Data sharing", "GDPR"],
        "Several partners want a common CRM. Which tools did you try, and how did you split access rights?",
    ),
    (
        "Inter-partner peer coaching",
        INN,
        PR,
        ["Inter-partner links", "Training"],
        "Counsellors from different partners coach each other in trios once a month. Results after one year.",
    ),
    (
        "Hybrid meetings that include everyone",
        DIF,
        P,
        ["Meetings", "Tools"],
        "Half the room online, half on site: the online half always loses. What works for truly hybrid meetings?",
    ),
    (
        "Social media campaigns with several partner logos",
        TQ,
        A,
        ["Communication"],
        "Who validates what, and how fast, when a post carries eight logos? Our process and its pitfalls.",
    ),
    (
        "Translating our services for newcomers",
        INN,
        P,
        ["Inclusion", "Communication"],
        "We translated our service leaflet into seven languages with partner associations. What we learned.",
    ),
    (
        "A partners' barometer: a yearly satisfaction survey",
        INN,
        PR,
        ["Evaluation", "Partnership valorisation"],
        "A ten-question survey sent to every partner each year, and how we present the results back to them.",
    ),
    (
        "Funding a coordinator post with several partners",
        TQ,
        P,
        ["Funding", "Governance"],
        "Three partners co-fund our coordinator. How did you share the costs and the line management?",
    ),
    (
        "Welcoming people with disabilities across partners",
        DIF,
        S,
        ["Inclusion", "Accessibility"],
        "Each partner has its own accessibility practices. How do you build a common minimum that all respect?",
    ),
    (
        "Mapping who does what in the local network",
        INN,
        A,
        ["Inter-partner links", "Tools"],
        "A living map of services for jobseekers, kept up to date by the partners themselves.",
    ),
    (
        "Partner breakfasts: an informal format that works",
        INN,
        PR,
        ["Inter-partner links", "Events"],
        "A monthly breakfast, no agenda, fifteen minutes of 'news from the field'. Simple and surprisingly useful.",
    ),
    (
        "Handling a conflict between two partners",
        DIF,
        P,
        ["Governance", "Mediation"],
        "Two partners compete for the same funding and stopped speaking to each other. How would you mediate?",
    ),
    (
        "Open badges to recognise partners' staff skills",
        INN,
        X,
        ["Training", "Partnership valorisation"],
        "We award open badges to partner staff who complete our training days. Does anyone else use them?",
    ),
    (
        "Sharing job offers between partners without duplicates",
        TQ,
        P,
        ["Data sharing", "Employers", "Tools"],
        "The same offer reaches jobseekers four times through four partners. How do you deduplicate?",
    ),
    (
        "Evaluating a partnership with the partners, not about them",
        TQ,
        S,
        ["Evaluation", "Co-design"],
        "A participatory evaluation day where partners assess the partnership together. How to prepare it?",
    ),
    (
        "Video testimonies of jobseekers for partners",
        INN,
        W,
        ["Communication", "GDPR"],
        "Short videos of jobseekers telling their path, shown to partners. Consent forms included.",
    ),
    (
        "Keeping a partnership alive after the project funding ends",
        DIF,
        P,
        ["Funding", "Governance"],
        "The European project ended and so did the budget. What kept your partners together afterwards?",
    ),
    (
        "A newsletter written by the partners",
        INN,
        A,
        ["Communication", "Inter-partner links"],
        "Each issue is written by a different partner. It lightened our load and partners read it more.",
    ),
    (
        "Training partners' front-desk staff on our services",
        INN,
        PR,
        ["Training", "Onboarding"],
        "Front-desk staff send people to us better since a two-hour training. The format and the quiz.",
    ),
    (
        "Choosing a video-conference tool every partner can use",
        TQ,
        W,
        ["Tools", "Meetings"],
        "Each partner's IT allows a different tool. How did you settle on one?",
    ),
    (
        "Signing a charter instead of a contract",
        TQ,
        X,
        ["Governance", "Legal"],
        "A light charter of values instead of a formal contract: naive or effective?",
    ),
]

SHEETS = {
    "Respecting GDPR when partners share jobseekers' data": (
        "A data-sharing agreement signed by the six partners, a one-page consent form for jobseekers, and a "
        "shared folder where only named staff have access. We review access every six months.",
        "- Partners know exactly what they may share and why.\n- Jobseekers understand what they sign.\n"
        "- Our data protection officer validated the whole set once, for everyone.",
        "- It took five months to get every partner's legal department to sign.\n- Staff turnover: access "
        "rights must follow people who leave.\n- Do not promise partners a shared database: keep to what is needed.",
        "Works anywhere GDPR applies. Start from your own DPO's template; adapt the list of data to what your "
        "partners really use; plan the access review in the steering committee's calendar.",
    ),
    "Valorising a partnership: showing partners what they gain": (
        "A yearly report per partner: the number of people they sent us and what happened to them, two "
        "testimonies, one photo, and what we did together. Presented in person to their management.",
        "- Partners' boards finally see the results.\n- It gives us a reason to meet each partner's director.",
        "- Collecting figures from partners takes time: ask early.\n- Keep it short: four pages maximum.",
        "Any centre with a few key partners can do it. Begin with your two most committed partners.",
    ),
    "Gamified speed networking between partners": (
        "A morning with 40 staff of 12 partners: rounds of seven minutes in pairs, a conversation card per round, "
        "a 'passport' to stamp, and a prize for the fullest passport. Pairs never repeat and never come from the "
        "same organisation.",
        "- Everybody meets eight new people in an hour.\n- The cards avoid awkward silences.\n"
        "- Follow-ups are written down before leaving.",
        "- Needs a facilitator with a loud voice and a big screen timer.\n- Prepare the pairings in advance.\n"
        "- Some people dislike games: keep it optional.",
        "Very transferable: it works online with breakout rooms too. Adapt the cards to your local partners' "
        "vocabulary.",
    ),
}

QUESTIONS = [
    "How long did it take to set up?",
    "Did you involve your partners' management from the start?",
    "What would you do differently today?",
    "How many people does it need to run?",
    "Did it cost anything?",
    "How did you convince the reluctant partners?",
    "Can you share your templates?",
    "How do you measure that it works?",
]

PITCHES = [
    "I led this in our centre for two years and can share the pitfalls.",
    "We tried it with five partners; I can show our documents.",
    "I can tell what worked and what did not.",
]


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
