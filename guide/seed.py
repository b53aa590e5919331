"""Demo chapters and contributions for ``seed_demo``: deterministic and idempotent."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from community.enums import GUIDE_EDITORS_GROUP

from .enums import ContributionKind, ContributionState, Credit
from .models import Chapter, Contribution, ContributionTransition

S = ContributionState
K = ContributionKind

CHAPTERS = [
    (
        "building-a-partnership",
        "Building a partnership",
        "How centres find partners, agree on a shared purpose and set up the first joint actions.",
    ),
    (
        "governance",
        "Governance",
        "Steering committees, agreements and the daily decisions that keep several partners pulling together.",
    ),
    (
        "valorising-a-partnership",
        "Valorising a partnership",
        "Showing what the partnership achieves, to the partners themselves, to funders and to the public.",
    ),
    (
        "data-protection-and-gdpr",
        "Data protection and GDPR",
        "Sharing information about visitors and partners lawfully and with respect.",
    ),
    (
        "stimulating-links-between-partners",
        "Stimulating links between partners",
        "Making partners who serve the same people actually know each other and work together.",
    ),
    (
        "onboarding-new-colleagues",
        "Onboarding new colleagues",
        "Welcoming a new partnership officer and handing over the relationships, not just the files.",
    ),
]

TITLES = {
    "building-a-partnership": [
        (K.STRATEGIC, "Start from a shared diagnosis of the territory"),
        (K.OPERATIONAL, "A one-page partnership charter everyone signs"),
        (K.TESTIMONY, "How we convinced the regional employment service to join"),
        (K.FIELD_EXAMPLE, "Mapping the partners with a visitor journey"),
        (K.OPERATIONAL, "The first hundred days of a new partnership"),
        (K.STRATEGIC, "Choose partners for complementarity, not size"),
        (K.FIELD_EXAMPLE, "Joint open day as a founding act"),
    ],
    "governance": [
        (K.STRATEGIC, "A steering committee that decides, not one that listens"),
        (K.OPERATIONAL, "Rotating chairs among partner organisations"),
        (K.TESTIMONY, "When a founding partner left the network"),
        (K.FIELD_EXAMPLE, "Shared dashboard of joint actions"),
        (K.OPERATIONAL, "Writing minutes that partners actually read"),
        (K.STRATEGIC, "Budget lines for the partnership itself"),
        (K.FIELD_EXAMPLE, "A yearly partners' seminar with an external facilitator"),
    ],
    "valorising-a-partnership": [
        (K.FIELD_EXAMPLE, "A yearly activity report co-signed by every partner"),
        (K.OPERATIONAL, "Counting joint actions without double counting"),
        (K.TESTIMONY, "Our local newspaper series on partner stories"),
        (K.STRATEGIC, "Valorise people, not logos"),
        (K.FIELD_EXAMPLE, "Short videos of visitors helped by two partners"),
        (K.OPERATIONAL, "A press kit that names every partner"),
        (K.TRAINING_FEEDBACK, "Feedback on the storytelling workshop"),
    ],
    "data-protection-and-gdpr": [
        (K.OPERATIONAL, "A data-sharing agreement template between partners"),
        (K.STRATEGIC, "Collect less: the minimal visitor record"),
        (K.FIELD_EXAMPLE, "Consent forms in plain language"),
        (K.TRAINING_FEEDBACK, "Feedback on the GDPR awareness session"),
        (K.TESTIMONY, "What we learned from a data breach drill"),
        (K.OPERATIONAL, "Retention periods for event registrations"),
    ],
    "stimulating-links-between-partners": [
        (K.FIELD_EXAMPLE, "Gamified speed networking between partner staff"),
        (K.OPERATIONAL, "Cross-visits: one day in another partner's office"),
        (K.TESTIMONY, "The breakfast that started a joint programme"),
        (K.STRATEGIC, "Link people at every level, not only the heads"),
        (K.FIELD_EXAMPLE, "A shared directory of who does what"),
        (K.TRAINING_FEEDBACK, "Feedback on the joint reception training"),
        (K.OPERATIONAL, "Thematic working groups with a clear end date"),
    ],
    "onboarding-new-colleagues": [
        (K.OPERATIONAL, "A partner tour in the first month"),
        (K.TRAINING_FEEDBACK, "Feedback on the newcomers' induction week"),
        (K.TESTIMONY, "My first partners' meeting, seen from the inside"),
        (K.FIELD_EXAMPLE, "A handover file built around relationships"),
        (K.STRATEGIC, "Pair every newcomer with an experienced officer"),
        (K.OPERATIONAL, "Glossary of the network's acronyms"),
    ],
}

PARAGRAPHS = [
    "We tried this over two years with partners of very different sizes. What made the difference was "
    "agreeing early on what each partner gains, and writing it down in a few lines everyone understands.",
    "**What worked:** short meetings with a clear decision at the end, a shared calendar, and one contact "
    "person per partner who answers within a week.",
    "**Points of attention:** the approach takes time at the start, and it depends on people more than on "
    "procedures. When a key contact leaves, plan a handover meeting with the partner.",
    "**Transferability:** any centre can adapt it. Small centres may start with two or three partners and "
    "grow from there.",
    "- Prepare a one-page summary before each meeting\n- Name who does what, and by when\n"
    "- Share the results with every partner, not only the funders",
    "We would be glad to share our templates with colleagues of the network: ask us during a meeting.",
]

# Every state of the workflow, published ones most often: the demo guide must have content.
STATE_CYCLE = [
    S.PUBLISHED,
    S.PUBLISHED,
    S.SUBMITTED,
    S.PUBLISHED,
    S.IN_REVIEW,
    S.PUBLISHED,
    S.CHANGES_REQUESTED,
    S.ACCEPTED,
    S.PUBLISHED,
    S.DRAFT,
    S.PUBLISHED,
    S.REJECTED,
]

PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [(S.DRAFT, S.SUBMITTED)],
    S.IN_REVIEW: [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.IN_REVIEW)],
    S.CHANGES_REQUESTED: [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.IN_REVIEW), (S.IN_REVIEW, S.CHANGES_REQUESTED)],
    S.ACCEPTED: [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.IN_REVIEW), (S.IN_REVIEW, S.ACCEPTED)],
    S.PUBLISHED: [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.IN_REVIEW),
        (S.IN_REVIEW, S.ACCEPTED),
        (S.ACCEPTED, S.PUBLISHED),
    ],
    S.REJECTED: [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.IN_REVIEW), (S.IN_REVIEW, S.REJECTED)],
}
COMMENTS = {
    S.CHANGES_REQUESTED: (
        "Thank you! Could you add one concrete example from your centre and the number of partners involved?"
    ),
    S.REJECTED: (
        "This overlaps a lot with an entry already published in the same chapter; "
        "could you add your experience to it instead?"
    ),
    S.PUBLISHED: "Published in the guide. Thank you for sharing!",
}


def seed_guide(stdout) -> None:
    rng = random.Random(2020)
    with transaction.atomic():
        chapters = {}
        for order, (slug, title, intro) in enumerate(CHAPTERS, start=1):
            chapters[slug], created = Chapter.objects.get_or_create(
                slug=slug, defaults={"title": title, "introduction": intro, "order": order}
            )
            if created:
                stdout.write(f"  created guide chapter {title}")
        all_titles = [title for entries in TITLES.values() for _kind, title in entries]
        if Contribution.objects.filter(title__in=all_titles).exists():
            return
        User = get_user_model()
        authors = list(User.objects.approved().exclude(groups__name=GUIDE_EDITORS_GROUP).order_by("pk"))
        editors = list(User.objects.filter(groups__name=GUIDE_EDITORS_GROUP).order_by("pk"))
        if not authors:
            stdout.write("  no approved members yet: guide contributions skipped")
            return
        editor = editors[0] if editors else None
        now = timezone.now()
        contributions, plans = [], []
        index = 0
        for slug, entries in TITLES.items():
            for position, (kind, title) in enumerate(entries, start=1):
                state = STATE_CYCLE[index % len(STATE_CYCLE)]
                author = authors[index % len(authors)]
                body = "\n\n".join(rng.sample(PARAGRAPHS, 3))
                changed = now - timedelta(days=rng.randint(3, 900))
                contributions.append(
                    Contribution(
                        kind=kind,
                        title=title,
                        body=body,
                        chapter=chapters[slug],
                        centre_id=author.organisation_id,
                        author=author,
                        licence_consent=True,
                        credit=Credit.ANONYMOUS if index % 5 == 4 else Credit.NAME,
                        state=state,
                        state_changed_at=changed if state != S.DRAFT else None,
                        published_at=changed if state == S.PUBLISHED else None,
                        order=position,
                    )
                )
                plans.append((state, author, changed))
                index += 1
        bulk_create_with_history(contributions, Contribution, default_change_reason="demo data")
        by_title = {c.title: c for c in Contribution.objects.filter(title__in=all_titles)}
        steps, written = [], []
        for contribution, (state, author, changed) in zip(contributions, plans, strict=True):
            stored = by_title[contribution.title]
            path = PATHS[state]
            # The review history leads up to the last change of state, a few days apart.
            written.append((stored.pk, changed - timedelta(days=2 * len(path) + 1)))
            for number, (frm, to) in enumerate(path):
                editor_move = frm != S.DRAFT
                steps.append(
                    ContributionTransition(
                        contribution=stored,
                        from_state=frm,
                        to_state=to,
                        by=editor if editor_move else author,
                        by_editor=editor_move,
                        comment=COMMENTS.get(to, "") if number == len(path) - 1 else "",
                    )
                )
                steps[-1].demo_at = changed - timedelta(days=2 * (len(path) - 1 - number))
        ContributionTransition.objects.bulk_create(steps)
        # ``at`` and ``created_at`` take the current time on creation; date them back in the story.
        for step in steps:
            step.at = step.demo_at
        ContributionTransition.objects.bulk_update(steps, ["at"])
        Contribution.objects.bulk_update([Contribution(pk=pk, created_at=at) for pk, at in written], ["created_at"])
        stdout.write(f"  created {len(contributions)} guide contributions")
