"""Scale the demo data to fifty times its size, for the page and search benchmarks.

On top of ``seed_demo`` it bulk-creates members, themes, meetings, answers and guide entries up to:
2,000 members, 530 themes, 138 meetings, 11,645 answers (615 of them on one meeting) and 10,040
guide entries, one chapter holding 200 published entries. Running it again tops up to the same
numbers and changes nothing once they are reached.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keepinpact_bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/seed_scale.py

It refuses production settings, like ``seed_demo``. Not part of the test run.
"""

import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

BATCH = 2000


@dataclass(frozen=True)
class Targets:
    """How many rows of each kind the database holds once scaled (the benchmark's by default)."""

    members: int = 2000
    themes: int = 530
    meetings: int = 138
    rsvps: int = 11645
    crowded_meeting_answers: int = 615
    entries: int = 10040
    big_chapter_entries: int = 200


BENCHMARK = Targets()

VOCABULARY = (
    "partnership network centre employers youth guidance training mentoring cooperation funding "
    "volunteers schools apprenticeship onboarding evaluation partners meeting workshop digital "
    "inclusion territory strategy charter governance communication newsletter visibility trust "
    "partenariat réseau emploi formation jeunes orientation accompagnement territoire financement "
    "coopération gouvernance confiance visibilité entreprises insertion évaluation atelier"
)
WORDS = VOCABULARY.split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6))).capitalize()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if os.environ["DJANGO_SETTINGS_MODULE"].endswith("production"):
        raise SystemExit("seed_scale refuses production settings: it writes thousands of demo rows.")
    import django

    django.setup()


def _top_up_members(rng, stdout, targets):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from community.enums import MemberState
    from community.models import BuddyPairing, MemberLanguage, Organisation

    User = get_user_model()
    missing = targets.members - User.objects.count()
    if missing <= 0:
        return
    centres = list(Organisation.objects.all())
    start = User.objects.filter(email__startswith="scale-member-").count()
    unusable = make_password(None)
    now = timezone.now()
    titles = ["Partnership manager", "Communication officer", "Head of office", "Project officer", "Coordinator"]
    users = []
    for n in range(start, start + missing):
        centre = centres[n % len(centres)]
        users.append(
            User(
                email=f"scale-member-{n}@example.org",
                username=f"scale-member-{n}",
                display_name=f"Member {n} {rng.choice(['Costa', 'Martin', 'García', 'Diallo', 'Rossi', 'Dubois'])}",
                password=unusable,
                state=MemberState.APPROVED,
                state_changed_at=now,
                job_title=rng.choice(titles),
                organisation=centre,
                city=centre.city,
                country=centre.country,
                preferred_language=rng.choice(["en", "fr"]),
                bio=_text(rng, 30),
                listed_in_directory=n % 13 != 0,
                date_joined=now - timedelta(days=rng.randint(1, 2000)),
            )
        )
    created = User.objects.bulk_create(users, batch_size=BATCH)
    MemberLanguage.objects.bulk_create(
        [MemberLanguage(member=u, code=code) for u in created for code in {"en", u.preferred_language}],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    # One newcomer in ten already has a buddy.
    BuddyPairing.objects.bulk_create(
        [BuddyPairing(newcomer=created[n], buddy=created[n + 1]) for n in range(0, len(created) - 1, 10)],
        batch_size=BATCH,
    )
    stdout.write(f"  members: +{len(created)}\n")


def _top_up_meetings(rng, stdout, targets):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from meetings.enums import AgendaKind, MeetingState, RSVPResponse
    from meetings.models import RSVP, ActionItem, AgendaItem, Meeting, Minutes

    User = get_user_model()
    missing = targets.meetings - Meeting.objects.count()
    now = timezone.now()
    if missing > 0:
        oldest = Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True).first() or now
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    title=f"Community meeting — archive {n + 1}",
                    description=_text(rng, 40),
                    starts_at=oldest - timedelta(days=30 * (n + 1)),
                    state=MeetingState.PUBLISHED,
                    published_at=oldest - timedelta(days=30 * (n + 1) + 20),
                    minutes_published_at=oldest - timedelta(days=30 * (n + 1) - 3),
                )
                for n in range(missing)
            ]
        )
        items = AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=m, kind=kind, title=str(kind.label), position=i)
                for m in meetings
                for i, kind in enumerate(
                    [AgendaKind.HOT_NEWS, AgendaKind.BARRIERS, AgendaKind.OPPORTUNITIES, AgendaKind.HUMAN_BOOKSTORE]
                )
            ]
        )
        Minutes.objects.bulk_create([Minutes(agenda_item=item, text=_text(rng, 60)) for item in items])
        # Each archived meeting agreed a few actions, most of them done; some owned by the demo member.
        owners = list(User.objects.filter(state="approved").values_list("pk", flat=True)[:300])
        demo = User.objects.filter(email="member@example.org").values_list("pk", flat=True).first()
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    meeting=m,
                    text=_title(rng),
                    owner_id=demo if n == 0 and demo else rng.choice(owners),
                    due_on=(m.starts_at + timedelta(days=30)).date(),
                    done_at=None if n == 0 else m.starts_at + timedelta(days=20),
                )
                for m in meetings
                for n in range(3)
            ],
            batch_size=BATCH,
        )
        stdout.write(f"  meetings: +{len(meetings)}\n")

    missing = targets.rsvps - RSVP.objects.count()
    if missing <= 0:
        return
    member_ids = list(User.objects.filter(state="approved").values_list("pk", flat=True))
    # The next meeting gets the crowd; the others share the rest.
    crowded = (
        Meeting.objects.filter(state=MeetingState.PUBLISHED, starts_at__gte=now).order_by("starts_at").first()
        or Meeting.objects.order_by("-starts_at").first()
    )
    taken = set(RSVP.objects.values_list("meeting_id", "member_id"))
    rows = []
    crowd_missing = targets.crowded_meeting_answers - sum(1 for meeting_id, _ in taken if meeting_id == crowded.pk)
    for member_id in member_ids:
        if crowd_missing <= 0 or len(rows) >= missing:
            break
        if (crowded.pk, member_id) not in taken:
            rows.append(RSVP(meeting=crowded, member_id=member_id, response=RSVPResponse.GOING))
            taken.add((crowded.pk, member_id))
            crowd_missing -= 1
    meeting_ids = list(Meeting.objects.exclude(pk=crowded.pk).values_list("pk", flat=True))
    responses = [RSVPResponse.GOING, RSVPResponse.GOING, RSVPResponse.MAYBE, RSVPResponse.NOT_GOING]
    while len(rows) < missing:
        key = (rng.choice(meeting_ids), rng.choice(member_ids))
        if key not in taken:
            taken.add(key)
            rows.append(RSVP(meeting_id=key[0], member_id=key[1], response=rng.choice(responses)))
    RSVP.objects.bulk_create(rows, batch_size=BATCH)
    stdout.write(f"  answers: +{len(rows)}\n")


def _top_up_themes(rng, stdout, targets):
    from django.contrib.auth import get_user_model

    from themes.enums import ThemeReason, ThemeState
    from themes.models import Question, Theme, ThemeInterest

    User = get_user_model()
    missing = targets.themes - Theme.objects.count()
    if missing <= 0:
        return
    member_ids = list(User.objects.filter(state="approved").values_list("pk", flat=True))
    states = [ThemeState.PROPOSED] * 5 + [ThemeState.ARCHIVED, ThemeState.PRESENTED, ThemeState.WITHDRAWN]
    themes = Theme.objects.bulk_create(
        [
            Theme(
                title=_title(rng),
                summary=_text(rng, 50),
                reason=rng.choice(list(ThemeReason)),
                state=rng.choice(states),
                proposer_id=rng.choice(member_ids),
            )
            for _ in range(missing)
        ],
        batch_size=BATCH,
    )
    interests = {(t.pk, m) for t in themes for m in rng.sample(member_ids, rng.randint(0, 12))}
    ThemeInterest.objects.bulk_create(
        [ThemeInterest(theme_id=t, member_id=m) for t, m in interests], batch_size=BATCH, ignore_conflicts=True
    )
    Question.objects.bulk_create(
        [
            Question(theme=t, author_id=rng.choice(member_ids), body=_text(rng, 15))
            for t in themes
            for _ in range(rng.randint(0, 3))
        ],
        batch_size=BATCH,
    )
    stdout.write(f"  themes: +{len(themes)}\n")


def _top_up_guide(rng, stdout, targets):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from guide.enums import ContributionKind, ContributionState
    from guide.models import Chapter, Contribution

    User = get_user_model()
    now = timezone.now()
    big, _ = Chapter.objects.get_or_create(
        slug="field-examples-archive",
        defaults={"title": "Field examples — archive", "introduction": _text(rng, 40), "order": 99},
    )
    member_ids = list(User.objects.filter(state="approved").values_list("pk", flat=True))

    def entry(chapter, state):
        return Contribution(
            kind=rng.choice(list(ContributionKind)),
            title=_title(rng),
            body="\n\n".join(_text(rng, 60) for _ in range(3)),
            chapter=chapter,
            author_id=rng.choice(member_ids),
            licence_consent=True,
            state=state,
            state_changed_at=now,
            published_at=now - timedelta(days=rng.randint(1, 900)) if state == ContributionState.PUBLISHED else None,
        )

    in_big = Contribution.objects.filter(chapter=big, state=ContributionState.PUBLISHED).count()
    rows = [entry(big, ContributionState.PUBLISHED) for _ in range(targets.big_chapter_entries - in_big)]
    missing = targets.entries - Contribution.objects.count() - len(rows)
    others = list(Chapter.objects.exclude(pk=big.pk))
    states = [ContributionState.SUBMITTED, ContributionState.DRAFT, ContributionState.REJECTED]
    # Most of the archive waits in the editors' queue or in drafts; a few more are published elsewhere.
    rows += [
        entry(rng.choice(others), ContributionState.PUBLISHED if n % 25 == 0 else rng.choice(states))
        for n in range(max(missing, 0))
    ]
    Contribution.objects.bulk_create(rows, batch_size=BATCH)
    stdout.write(f"  guide entries: +{len(rows)}\n")


def seed_scale(stdout=sys.stdout, targets: Targets = BENCHMARK) -> None:
    """Fill the database up to ``targets`` (the benchmark's sizes by default; idempotent)."""
    from django.core.management import call_command

    from community.fragments import every_family_changed
    from themes.models import Theme
    from themes.services.lifecycle import theme_counts_refresh

    call_command("seed_demo", stdout=stdout)
    rng = random.Random(50)
    for step in (_top_up_members, _top_up_meetings, _top_up_themes, _top_up_guide):
        step(rng, stdout, targets)
    # Interest was written in bulk: fill the count columns the services keep.
    theme_counts_refresh(theme_ids=Theme.objects.values_list("pk", flat=True))
    every_family_changed()  # bulk writes send no signal: no kept page may show the data before


def main() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    seed_scale()
    print(f"scaled data ready in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
