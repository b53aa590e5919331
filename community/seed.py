"""Demo accounts and community data for ``seed_demo``. Idempotent: keyed on emails."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from . import twofactor
from .enums import FACILITATORS_GROUP, GUIDE_EDITORS_GROUP, MemberState
from .services import user_create, username_from

DEMO_PASSWORD = "keep-in-pact-demo"

DEMO_ACCOUNTS = [
    # email, display name, group, staff
    ("facilitator@example.org", "Fatou Diallo", FACILITATORS_GROUP, True),
    ("editor@example.org", "Étienne Marchand", GUIDE_EDITORS_GROUP, True),
    ("member@example.org", "Mariana Costa", None, False),
]


def ensure_member(*, email: str, display_name: str, password: str | None = None, **fields):
    """Return the account with this email, creating it approved if it does not exist."""
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(email=email).first()
    if existing:
        return existing, False
    fields.setdefault("state", MemberState.APPROVED)
    fields.setdefault("state_changed_at", timezone.now())
    return user_create(email=email, display_name=display_name, password=password, **fields), True


def _verified_email(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def _verify_addresses(emails: list[str]) -> None:
    """Seeded members' addresses count as verified, as the demo accounts' do: without it a
    password reset leads them to a login that asks to verify the address first."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    known = set(EmailAddress.objects.filter(email__in=emails).values_list("email", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in User.objects.filter(email__in=emails).exclude(email__in=known)
    )


def seed_accounts(stdout) -> None:
    for email, name, group, staff in DEMO_ACCOUNTS:
        user, created = ensure_member(email=email, display_name=name, password=DEMO_PASSWORD, is_staff=staff)
        _verified_email(user)
        if group:
            user.groups.add(Group.objects.get(name=group))
        if (group or staff) and twofactor.totp_secret_of(user) is None:
            # Their role requires two factors: a fixed, documented secret keeps the demo usable
            # (``manage.py demo_totp`` prints the current code).
            twofactor.totp_enable(user=user, secret=twofactor.DEMO_TOTP_SECRET)
        if created:
            stdout.write(f"  created demo account {email}")


# --- Centres and members ------------------------------------------------------------------

NETWORK_TEAM = ("Keep in Pact network team", "Network team", "network-team", "Paris", "FR", "Europe/Paris")

# name, short name, slug, city, country, time zone
CENTRES = [
    ("Cité des métiers de Porto", "CdM Porto", "porto", "Porto", "PT", "Europe/Lisbon"),
    ("Cité des métiers de Lisboa", "CdM Lisboa", "lisboa", "Lisbon", "PT", "Europe/Lisbon"),
    ("Cité des métiers de Paris La Villette", "CdM Paris", "paris-la-villette", "Paris", "FR", "Europe/Paris"),
    ("Cité des métiers de Marseille Provence", "CdM Marseille", "marseille", "Marseille", "FR", "Europe/Paris"),
    ("Cité des métiers de Bruxelles", "CdM Bruxelles", "bruxelles", "Brussels", "BE", "Europe/Brussels"),
    ("Cité des métiers de Liège", "CdM Liège", "liege", "Liège", "BE", "Europe/Brussels"),
    ("Ciutat dels oficis de Barcelona", "CdO Barcelona", "barcelona", "Barcelona", "ES", "Europe/Madrid"),
    ("Città dei mestieri di Milano", "CdM Milano", "milano", "Milan", "IT", "Europe/Rome"),
    ("Città dei mestieri di Genova", "CdM Genova", "genova", "Genoa", "IT", "Europe/Rome"),
    ("Cité des métiers de Genève", "CdM Genève", "geneve", "Geneva", "CH", "Europe/Zurich"),
    ("Cité des métiers de Dakar", "CdM Dakar", "dakar", "Dakar", "SN", "Africa/Dakar"),
    ("Cité des métiers de Montréal", "CdM Montréal", "montreal", "Montreal", "CA", "America/Toronto"),
]

COUNTRY_LANGUAGES = {
    "PT": ["pt"],
    "FR": ["fr"],
    "BE": ["fr", "nl"],
    "ES": ["es", "ca"],
    "IT": ["it"],
    "CH": ["fr", "de"],
    "SN": ["fr", "wo"],
    "CA": ["fr"],
}

FIRST_NAMES = {
    "PT": ["Ana", "João", "Inês", "Rui", "Catarina", "Tiago", "Sofia", "Miguel"],
    "FR": ["Claire", "Julien", "Camille", "Nicolas", "Élodie", "Thomas", "Amandine", "Karim"],
    "BE": ["Lotte", "Pieter", "Sarah", "Mehdi", "Anouk", "Wouter"],
    "ES": ["Laia", "Jordi", "Marta", "Pau", "Núria", "Sergi"],
    "IT": ["Giulia", "Marco", "Chiara", "Luca", "Francesca", "Davide"],
    "CH": ["Léa", "Matthias", "Noémie", "Samuel"],
    "SN": ["Aminata", "Moussa", "Awa", "Ibrahima", "Khady", "Ousmane"],
    "CA": ["Geneviève", "Olivier", "Marie-Ève", "Félix", "Sophie"],
}
LAST_NAMES = {
    "PT": ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Rodrigues", "Almeida", "Sousa"],
    "FR": ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Benali"],
    "BE": ["Peeters", "Janssens", "Lambert", "Dupont", "Claes", "El Amrani"],
    "ES": ["Puig", "Vidal", "Ferrer", "Serra", "Soler", "Roca"],
    "IT": ["Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino"],
    "CH": ["Favre", "Müller", "Rochat", "Meier"],
    "SN": ["Ndiaye", "Diop", "Fall", "Sow", "Sarr", "Faye"],
    "CA": ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard"],
}

JOB_TITLES = [
    "Partnership manager — entrepreneurship",
    "Partnership officer",
    "Communication officer",
    "Head of office",
    "Employer relations coordinator",
    "Partnerships and events manager",
    "Career guidance coordinator",
    "Project manager — youth employment",
    "Head of partnerships and communication",
    "Network development officer",
    "Training and partnerships coordinator",
    "Director",
]

EXPERTISE = [
    "Employer engagement",
    "Multi-partnership governance",
    "GDPR",
    "Event design",
    "Speed networking",
    "Social media",
    "Youth employment",
    "Entrepreneurship support",
    "Partnership evaluation",
    "Public funding",
    "Career guidance",
    "Digital inclusion",
    "Newcomer integration",
    "Gamification",
    "Adult learning",
    "Partnership agreements",
]

BIO_OPENINGS = [
    "I coordinate the partners who run workshops in our centre",
    "I look after our relations with employers and training bodies",
    "I manage the communication of our centre and its partner network",
    "I build and keep alive the cooperation between the public employment service, schools and associations",
    "I joined the centre to develop its partnerships with local companies",
]
BIO_SECONDS = [
    "Happy to share what worked for us — and what did not.",
    "I would like to learn how other centres keep partners involved over time.",
    "Ask me about partnership agreements and how we evaluate them every year.",
    "We recently tried a gamified format for partner meetings; I can tell you about it.",
    "I am looking for colleagues who work with employers' federations.",
]

PENDING_SIGNUPS = [
    # email, name, job title, city, country, centre slug, centre not listed
    (
        "lucia.gomez@example.org",
        "Lucía Gómez",
        "Employment counsellor",
        "Zaragoza",
        "ES",
        None,
        "Ciudad de los oficios de Zaragoza",
    ),
    ("tomasz.nowak@example.org", "Tomasz Nowak", "Partnership officer", "Kraków", "PL", None, ""),
    ("hannah.weber@example.org", "Hannah Weber", "Communication officer", "Geneva", "CH", "geneve", ""),
]

DEMO_PROFILES = {
    "member@example.org": {
        "centre": "porto",
        "job_title": "Partnership manager — entrepreneurship",
        "city": "Porto",
        "country": "PT",
        "time_zone": "Europe/Lisbon",
        "languages": ["pt", "en", "fr", "es"],
        "expertise": ["Entrepreneurship support", "Employer engagement", "Speed networking"],
        "bio": "I run the partnerships of the Porto centre with business incubators, the municipality and "
        "training bodies.\n\nLast year we tried **gamified speed networking** with our partners: ask me how it went.",
    },
    "facilitator@example.org": {
        "centre": "network-team",
        "job_title": "Network facilitator",
        "city": "Paris",
        "country": "FR",
        "time_zone": "Europe/Paris",
        "languages": ["fr", "en", "wo"],
        "expertise": ["Multi-partnership governance", "Event design"],
        "bio": "I facilitate the community of practice for the network team: meetings every two months, "
        "the human bookstore and the guide.",
    },
    "editor@example.org": {
        "centre": "network-team",
        "job_title": "Guide editor",
        "city": "Paris",
        "country": "FR",
        "time_zone": "Europe/Paris",
        "languages": ["fr", "en"],
        "expertise": ["Partnership evaluation", "Adult learning"],
        "bio": "I edit the *Guide for multi-partnership cooperation* with the contributions of members.",
    },
}

SEED_MEMBER_COUNT = 40


def _ensure_centres():
    from .models import Organisation

    rows = [(*NETWORK_TEAM, True)] + [(*row, False) for row in CENTRES]
    existing = set(Organisation.objects.filter(slug__in=[row[2] for row in rows]).values_list("slug", flat=True))
    Organisation.objects.bulk_create(
        [
            Organisation(name=name, short_name=short, slug=slug, city=city, country=country, is_network_team=team)
            for name, short, slug, city, country, _zone, team in rows
            if slug not in existing
        ]
    )
    return {o.slug: o for o in Organisation.objects.filter(slug__in=[row[2] for row in rows])}


def _add_profile_details(members_with_details) -> None:
    """Languages and expertise for freshly created members, in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from .models import MemberLanguage, User

    MemberLanguage.objects.bulk_create(
        [MemberLanguage(member=m, code=code) for m, langs, _tags in members_with_details for code in langs],
        ignore_conflicts=True,
    )
    names = sorted({name for _m, _langs, tags in members_with_details for name in tags})
    tags = {}
    for name in names:
        tags[name] = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    user_type = ContentType.objects.get_for_model(User)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=user_type, object_id=m.pk, tag=tags[name])
            for m, _langs, names_ in members_with_details
            for name in names_
        ]
    )


def seed_community(stdout) -> None:
    """Centres, the network team, forty approved members, three pending sign-ups, demo profiles."""
    import random

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    centres = _ensure_centres()
    rng = random.Random(2020)
    now = timezone.now()
    details = []

    # Demo accounts get a full profile the first time (their job title is the marker).
    for email, profile in DEMO_PROFILES.items():
        user = User.objects.filter(email=email, job_title="").first()
        if user is None:
            continue
        user.organisation = centres[profile["centre"]]
        for field in ("job_title", "city", "country", "time_zone", "bio"):
            setattr(user, field, profile[field])
        user.save(update_fields=["organisation", "job_title", "city", "country", "time_zone", "bio"])
        details.append((user, profile["languages"], profile["expertise"]))

    # Forty members spread over the centres, the same every run.
    plan = []
    used_names = set()
    for n in range(SEED_MEMBER_COUNT):
        centre_row = CENTRES[n % len(CENTRES)]
        slug = centre_row[2]
        country, zone = centre_row[4], centre_row[5]
        while True:
            name = f"{rng.choice(FIRST_NAMES[country])} {rng.choice(LAST_NAMES[country])}"
            if name not in used_names:
                used_names.add(name)
                break
        languages = list(COUNTRY_LANGUAGES[country])
        if "en" not in languages and rng.random() < 0.8:
            languages.append("en")
        if rng.random() < 0.3:
            languages.append(rng.choice(["es", "it", "de", "pt", "ar"]))
        plan.append(
            {
                "email": f"{slugify(name)}@example.org",
                "display_name": name,
                "username": slugify(name),
                "job_title": rng.choice(JOB_TITLES),
                "centre": centres[slug],
                "city": centre_row[3],
                "country": country,
                "time_zone": zone,
                "languages": sorted(set(languages)),
                "expertise": sorted(rng.sample(EXPERTISE, rng.randint(2, 4))),
                "bio": f"{rng.choice(BIO_OPENINGS)} in {centre_row[3]}. {rng.choice(BIO_SECONDS)}",
                "show_email": rng.random() < 0.6,
                "listed": n % 13 != 12,  # a few chose not to be listed
                "joined_days_ago": rng.randint(30, 1800),
            }
        )
    existing = set(User.objects.filter(email__in=[p["email"] for p in plan]).values_list("email", flat=True))
    taken = set(User.objects.filter(username__in=[p["username"] for p in plan]).values_list("username", flat=True))
    for p in plan:
        if p["email"] not in existing and p["username"] in taken:
            p["username"] = username_from(p["display_name"])
    unusable = make_password(None)
    new_members = User.objects.bulk_create(
        [
            User(
                email=p["email"],
                username=p["username"],
                display_name=p["display_name"],
                password=unusable,
                state=MemberState.APPROVED,
                # Approved when they joined: only the recent ones are newcomers (first steps, buddy).
                state_changed_at=now - timedelta(days=p["joined_days_ago"]),
                job_title=p["job_title"],
                organisation=p["centre"],
                city=p["city"],
                country=p["country"],
                time_zone=p["time_zone"],
                preferred_language="fr" if "fr" in p["languages"] else "en",
                bio=p["bio"],
                show_email=p["show_email"],
                listed_in_directory=p["listed"],
                date_joined=now - timedelta(days=p["joined_days_ago"]),
            )
            for p in plan
            if p["email"] not in existing
        ]
    )
    _verify_addresses([p["email"] for p in plan])
    by_email = {p["email"]: p for p in plan}
    details += [(m, by_email[m.email]["languages"], by_email[m.email]["expertise"]) for m in new_members]

    for email, name, title, city, country, centre_slug, centre_other in PENDING_SIGNUPS:
        user, created = ensure_member(
            organisation=centres.get(centre_slug),
            email=email,
            display_name=name,
            state=MemberState.PENDING,
            state_changed_at=None,
            job_title=title,
            city=city,
            country=country,
            organisation_other=centre_other,
        )
        if created:
            _verified_email(user)
            details.append((user, ["en", COUNTRY_LANGUAGES.get(country, ["en"])[0]], ["Career guidance"]))

    _add_profile_details(details)
    _pair_a_newcomer(new_members)
    if new_members:
        stdout.write(f"  created {len(centres)} centres and {len(new_members)} members")


def _pair_a_newcomer(new_members) -> None:
    """The demo member, a newcomer, was given a buddy of her country (the first time the members are
    created); the other newcomers wait for a facilitator to pair them."""
    from .models import BuddyPairing

    User = get_user_model()
    newcomer = User.objects.approved().filter(email="member@example.org", buddy_pairing__isnull=True).first()
    if newcomer is None or not new_members:
        return
    colleagues = sorted((m for m in new_members if m.country == newcomer.country), key=lambda m: m.date_joined)
    if colleagues:
        BuddyPairing.objects.create(newcomer=newcomer, buddy=colleagues[0], introduced_at=timezone.now())
