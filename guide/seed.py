"""Demo chapters and contributions for ``seed_demo``: deterministic and idempotent."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from community.enums import GUIDE_EDITORS_GROUP

from .enums import CoAuthorCredit, ContributionKind, ContributionState, Credit
from .models import Chapter, ChapterTranslation, CoAuthor, Contribution, ContributionTransition

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
    _seed_guide_in_english(stdout)
    seed_guide_languages(stdout)


def _seed_guide_in_english(stdout) -> None:
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
        _seed_coauthors(list(by_title.values()), authors=authors, rng=rng)
        stdout.write(f"  created {len(contributions)} guide contributions")


def _seed_coauthors(contributions, *, authors, rng: random.Random) -> None:
    """Every third published entry was written with a colleague of another centre, who agreed to be
    credited; one more entry waits for its co-author's answer."""
    published = sorted((c for c in contributions if c.state == S.PUBLISHED), key=lambda c: c.pk)
    rows = []
    for number, contribution in enumerate(published[::3]):
        others = [a for a in authors if a.pk != contribution.author_id and a.organisation_id != contribution.centre_id]
        if not others:
            continue
        rows.append(
            CoAuthor(
                contribution=contribution,
                member=rng.choice(others),
                credit=CoAuthorCredit.NAME if number % 2 == 0 else CoAuthorCredit.NAME_ONLY,
                consented_at=contribution.state_changed_at,
                invited_by=contribution.author,
            )
        )
    waiting = [c for c in contributions if c.state == S.SUBMITTED][:1]
    for contribution in waiting:
        others = [a for a in authors if a.pk != contribution.author_id]
        if others:
            rows.append(CoAuthor(contribution=contribution, member=rng.choice(others), invited_by=contribution.author))
    CoAuthor.objects.bulk_create(rows)


# Entries written in French and in Portuguese, and translations between the guide's languages:
# (chapter, kind, language, title, body, translations as (language, title, body, up to date)).
MULTILINGUAL = [
    (
        "governance",
        K.TESTIMONY,
        "fr",
        "Un comité de pilotage qui décide vraiment",
        "Nous réunissons les partenaires tous les deux mois. **Chaque réunion se termine par une décision** "
        "écrite, relue par tous avant de partir.\n\n- Un ordre du jour envoyé une semaine avant\n"
        "- Une personne de contact par partenaire",
        [
            (
                "pt",
                "Um comité de pilotagem que decide de verdade",
                "Reunimos os parceiros de dois em dois meses. **Cada reunião termina com uma decisão** escrita, "
                "relida por todos antes de sair.\n\n- Uma ordem de trabalhos enviada uma semana antes\n"
                "- Uma pessoa de contacto por parceiro",
                True,
            ),
            (
                "en",
                "A steering committee that really decides",
                "We bring the partners together every two months. **Each meeting ends with a written "
                "decision**, read back by everyone before leaving.",
                False,
            ),
        ],
    ),
    (
        "stimulating-links-between-partners",
        K.FIELD_EXAMPLE,
        "pt",
        "Um pequeno-almoço mensal entre parceiros no Porto",
        "Uma vez por mês, os parceiros que servem o mesmo público tomam o pequeno-almoço juntos no centro. "
        "Sem ordem de trabalhos: cada um apresenta **um caso difícil** e recebe ideias dos outros.",
        [
            (
                "fr",
                "Un petit-déjeuner mensuel entre partenaires à Porto",
                "Une fois par mois, les partenaires qui servent le même public prennent le petit-déjeuner "
                "ensemble au centre. Pas d'ordre du jour : chacun présente **un cas difficile** et repart "
                "avec les idées des autres.",
                True,
            ),
        ],
    ),
    (
        "data-protection-and-gdpr",
        K.OPERATIONAL,
        "fr",
        "Une fiche de consentement en une page",
        "Avant de transmettre les coordonnées d'un visiteur à un partenaire, nous lui faisons signer une "
        "fiche d'une page qui dit **qui recevra quoi, et pourquoi**.",
        [],
    ),
    (
        "onboarding-new-colleagues",
        K.TESTIMONY,
        "pt",
        "O meu primeiro mês como responsável de parcerias",
        "Cheguei sem conhecer ninguém. A minha antecessora deixou-me **uma lista de pessoas** a visitar, "
        "não de ficheiros: foi o melhor presente.",
        [],
    ),
]

CHAPTER_TRANSLATIONS = {
    "building-a-partnership": {
        "fr": ("Construire un partenariat", "Comment les centres trouvent des partenaires et lancent leurs actions."),
        "pt": ("Construir uma parceria", "Como os centros encontram parceiros e lançam as primeiras ações."),
        "es": ("Construir una alianza", "Cómo los centros encuentran socios y ponen en marcha las primeras acciones."),
    },
    "governance": {
        "fr": ("Gouvernance", "Comités de pilotage, conventions et décisions du quotidien."),
        "pt": ("Governação", "Comités de pilotagem, acordos e as decisões do dia a dia."),
        "es": ("Gobernanza", "Comités de dirección, convenios y las decisiones del día a día."),
    },
    "stimulating-links-between-partners": {
        "fr": ("Stimuler les liens entre partenaires", "Faire que des partenaires se connaissent vraiment."),
        "pt": ("Estimular os laços entre parceiros", "Fazer com que os parceiros se conheçam de verdade."),
    },
}


def seed_guide_languages(stdout) -> None:
    """Entries in French and Portuguese, published translations (one out of date) and
    translated chapter titles. Idempotent: what exists is left as it is."""
    User = get_user_model()
    authors = list(User.objects.approved().exclude(groups__name=GUIDE_EDITORS_GROUP).order_by("pk"))
    if not authors:
        return
    editor = User.objects.filter(groups__name=GUIDE_EDITORS_GROUP).order_by("pk").first()
    now = timezone.now()
    chapters = {c.slug: c for c in Chapter.objects.filter(slug__in=[row[0] for row in MULTILINGUAL])}
    created = []
    with transaction.atomic():
        for slug, languages in CHAPTER_TRANSLATIONS.items():
            chapter = Chapter.objects.filter(slug=slug).first()
            for language, (title, introduction) in languages.items():
                if chapter is not None:
                    ChapterTranslation.objects.get_or_create(
                        chapter=chapter, language=language, defaults={"title": title, "introduction": introduction}
                    )
        for index, (slug, kind, language, title, body, translations) in enumerate(MULTILINGUAL):
            if slug not in chapters or Contribution.objects.filter(title=title).exists():
                continue
            author = authors[(index * 3) % len(authors)]
            published = now - timedelta(days=40 + index)
            original = Contribution.objects.create(
                kind=kind,
                title=title,
                body=body,
                language=language,
                chapter=chapters[slug],
                centre_id=author.organisation_id,
                author=author,
                licence_consent=True,
                state=S.PUBLISHED,
                state_changed_at=published,
                published_at=published,
                order=100 + index,
                version=2,  # edited once after publication: a translation of version 1 is out of date
            )
            created.append(original)
            for number, (t_language, t_title, t_body, up_to_date) in enumerate(translations, start=1):
                translator = authors[(index * 3 + number) % len(authors)]
                translation = Contribution.objects.create(
                    kind=kind,
                    title=t_title,
                    body=t_body,
                    language=t_language,
                    chapter=chapters[slug],
                    translation_of=original,
                    original_version=original.version if up_to_date else 1,
                    centre_id=translator.organisation_id,
                    author=translator,
                    licence_consent=True,
                    state=S.PUBLISHED,
                    state_changed_at=published + timedelta(days=number),
                    published_at=published + timedelta(days=number),
                    order=original.order,
                )
                created.append(translation)
        _review_history(created, editor=editor)
    if created:
        stdout.write(f"  created {len(created)} guide entries in other languages and translations")


def _review_history(contributions, *, editor) -> None:
    """The path to publication of demo entries, dated before it (as for the English ones)."""
    steps = []
    for contribution in contributions:
        path = PATHS[S.PUBLISHED]
        for number, (frm, to) in enumerate(path):
            editor_move = frm != S.DRAFT
            step = ContributionTransition(
                contribution=contribution,
                from_state=frm,
                to_state=to,
                by=editor if editor_move else contribution.author,
                by_editor=editor_move,
                comment=COMMENTS[S.PUBLISHED] if to == S.PUBLISHED else "",
            )
            step.demo_at = contribution.state_changed_at - timedelta(days=2 * (len(path) - 1 - number))
            steps.append(step)
    ContributionTransition.objects.bulk_create(steps)
    for step in steps:
        step.at = step.demo_at
    ContributionTransition.objects.bulk_update(steps, ["at"])
    for contribution in contributions:
        contribution.created_at = contribution.state_changed_at - timedelta(days=2 * len(PATHS[S.PUBLISHED]) + 1)
    Contribution.objects.bulk_update(contributions, ["created_at"])
