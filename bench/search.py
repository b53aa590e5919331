"""Benchmark: the site search over a scaled corpus, in process, through the page's own selector.

Fills the database it is given with the demo data (unless it has some, e.g. from
``bench/seed_scale.py``), then bulk-inserts up to 10,000 published guide entries, 2,000 members,
530 themes and 138 meetings of English and French text (the database's triggers index every row as
it is inserted). It then runs 20 queries (English and French; one word, several words, a phrase, an
exclusion, names and a typo) through ``search.selectors.search_page`` — what ``/search/?q=``
renders, every kind with its counts and snippets, and a page of guide entries — and prints p50 and
p95, then ``EXPLAIN ANALYZE`` of the guide page's two queries (counts, a page of 20) for a common
word, run as the page runs them, and the load average (the machine is shared).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kip_search_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/search.py [--rounds 5]

It migrates the database it is given and keeps the corpus for the next run (rows are only added up
to the targets). Not part of the test run.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

TARGETS = {"entries": 10_000, "members": 2_000, "themes": 530, "meetings": 138}


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH = _words(
    "partnership partners partner employers employer network networking speed shared calendar volunteering "
    "volunteers charter press kit newsletter apprenticeship apprentices training onboarding colleagues young "
    "jobseekers companies local council funding budget governance meeting steering committee evaluation "
    "report testimonies visibility trust agreement consent data protection GDPR mentoring breakfast forum "
    "career guidance digital tools workshop fair recruitment skills schools families associations"
)
FRENCH = _words(
    "partenariat partenariats partenaires partenaire employeurs réseau réseaux entreprises bénévoles "
    "bénévolat charte formation nouveaux collègues jeunes apprentissage apprentis collectivités financement "
    "gouvernance réunion comité pilotage évaluation rapport témoignages visibilité confiance accord "
    "consentement données protection tutorat petit-déjeuner salon orientation métiers outils numériques "
    "atelier recrutement compétences écoles familles associations mission locale chômeurs insertion"
)
FILLER = [f"mot{n}" for n in range(20000)]
FIRST = _words("Mariana Giulia Ana Lucía Fatou Étienne Pedro Sofia Jonas Amélie Karim Inès Tomás Nadia Hugo Léa")
LAST = _words("Costa Rossi Lima Gómez Diallo Marchand Silva Dubois Martin Moreau Haddad Ferreira Novak Bernard")

QUERIES = [
    "partnership",
    "volunteering",
    "employers",
    "GDPR",
    "partenariats",
    "reseau",
    "bénévoles",
    "entreprises",
    "speed networking partners",
    "shared calendar employers",
    "formation des nouveaux collègues",
    "jeunes apprentissage entreprises",
    '"speed networking"',
    '"réseau des partenaires"',
    '"press kit"',
    "partnership -charter",
    "Mariana Costa",
    "Costa",
    "Giulia",
    "Mariana Kosta",
]


def _text(rng: random.Random, words: int, french: bool) -> str:
    vocabulary = FRENCH if french else ENGLISH
    glue = ("des", "les", "avec", "pour", "et") if french else ("the", "with", "for", "and", "of")
    out = []
    for _ in range(words):
        roll = rng.random()
        out.append(rng.choice(vocabulary) if roll < 0.1 else rng.choice(glue) if roll < 0.35 else rng.choice(FILLER))
    return " ".join(out)


def build_corpus(*, entries: int, members: int, themes: int, meetings: int, seed: int = 13) -> None:
    """Bring the database up to the given numbers of rows (demo data first). Swappable as a whole."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from guide.enums import ContributionKind, ContributionState
    from guide.models import Chapter, Contribution
    from meetings.enums import MeetingState
    from meetings.models import Meeting
    from themes.enums import ThemeReason
    from themes.models import Theme

    User = get_user_model()
    rng = random.Random(seed)
    if not Chapter.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", verbosity=0, stdout=quiet)
    now = timezone.now()

    missing = members - User.objects.count()
    if missing > 0:
        start = User.objects.count()
        users = [
            User(
                username=f"bench-{start + i}",
                email=f"bench-{start + i}@bench.example.org",
                display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                password="!",
                preferred_language=rng.choice(("en", "fr")),
                state="approved",
                job_title=_text(rng, 4, rng.random() < 0.5),
                city=rng.choice(("Porto", "Liège", "Lyon", "Lisboa", "Dakar", "Montréal")),
                listed_in_directory=rng.random() < 0.9,
            )
            for i in range(missing)
        ]
        User.objects.bulk_create(users, batch_size=500)
        tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0] for name in ENGLISH[:20]]
        user_type = ContentType.objects.get_for_model(User)
        created = User.objects.filter(username__startswith="bench-").values_list("pk", flat=True)
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(content_type=user_type, object_id=pk, tag=tag)
                for pk in created
                for tag in rng.sample(tags, 2)
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )

    authors = list(User.objects.values_list("pk", flat=True)[:500])
    missing = meetings - Meeting.objects.count()
    if missing > 0:
        Meeting.objects.bulk_create(
            [
                Meeting(
                    title=f"Meeting: {_text(rng, 4, rng.random() < 0.5)}",
                    description=_text(rng, 60, rng.random() < 0.5),
                    starts_at=now,
                    state=MeetingState.PUBLISHED,
                    created_by_id=rng.choice(authors),
                )
                for _ in range(missing)
            ]
        )

    missing = themes - Theme.objects.count()
    if missing > 0:
        Theme.objects.bulk_create(
            [
                Theme(
                    title=_text(rng, 6, french := rng.random() < 0.5),
                    summary=_text(rng, 50, french),
                    reason=ThemeReason.QUESTION,
                    proposer_id=rng.choice(authors),
                )
                for _ in range(missing)
            ],
            batch_size=500,
        )

    # Published entries are what the guide search reads (a scaled database holds mostly drafts).
    missing = entries - Contribution.objects.published().count()
    if missing > 0:
        chapters = list(Chapter.objects.all())
        Contribution.objects.bulk_create(
            [
                Contribution(
                    kind=ContributionKind.FIELD_EXAMPLE,
                    title=_text(rng, 7, french := rng.random() < 0.5),
                    body=_text(rng, 150, french),
                    chapter=rng.choice(chapters),
                    author_id=rng.choice(authors),
                    licence_consent=True,
                    state=ContributionState.PUBLISHED,
                    published_at=now,
                )
                for _ in range(missing)
            ],
            batch_size=500,
        )
    # As autovacuum would: merge the GIN pending lists filled by the bulk inserts, refresh statistics.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from guide.models import Contribution
    from meetings.models import Meeting
    from search.selectors import search_page
    from themes.models import Theme

    assert connection.vendor == "postgresql", "the search benchmark needs PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_corpus(**TARGETS)
    User = get_user_model()
    print(
        f"corpus: {Contribution.objects.published().count()} published guide entries "
        f"({Contribution.objects.count()} in all), {User.objects.count()} members, "
        f"{Theme.objects.count()} themes, {Meeting.objects.count()} meetings "
        f"(ready in {time.perf_counter() - started:.1f} s)"
    )
    reader = User.objects.get(email="member@example.org")
    print(f"load average at the start: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")

    for label, kind in (("/search/?q= (every kind, counts, snippets)", ""), ("/search/?q=&kind=guide", "guide")):
        samples: dict[str, list[float]] = {q: [] for q in QUERIES}
        totals: dict[str, int] = {}
        for round_ in range(args.rounds + 1):
            for q in QUERIES:
                language = "fr" if any(ch in q for ch in "éè") or q in ("partenariats", "reseau") else "en"
                begin = time.perf_counter()
                context = search_page(user=reader, q=q, kind=kind, language=language)
                if kind:
                    list(context["page"].object_list)
                elapsed = (time.perf_counter() - begin) * 1000
                if round_:  # the first round warms the caches
                    samples[q].append(elapsed)
                totals[q] = context["total"]
        everything = [value for values in samples.values() for value in values]
        print(f"\n{label}: {len(everything)} runs")
        for q in QUERIES:
            print(f"  {q!r:38} {totals[q]:6} results  median {statistics.median(samples[q]):6.1f} ms")
        print(f"  p50 {_percentile(everything, 0.5):.1f} ms   p95 {_percentile(everything, 0.95):.1f} ms")

    # The plans of the page's own queries (as it runs them: sequential scans discouraged).
    with CaptureQueriesContext(connection) as page_queries:
        list(search_page(user=reader, q="partnership", kind="guide", language="en")["page"].object_list)
    selects = [query["sql"] for query in page_queries.captured_queries if query["sql"].startswith("SELECT")]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for title, sql in zip(("counts per kind", "a page of 20 guide entries"), selects[-2:], strict=True):
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
            print(f"\nEXPLAIN ANALYZE of /search/?q=partnership&kind=guide, {title}:")
            for (line,) in cursor.fetchall():
                print("  " + line)
    print(f"\nload average at the end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
