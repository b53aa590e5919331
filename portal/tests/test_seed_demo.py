import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection

from community.models import User

pytestmark = pytest.mark.django_db


def _row_counts() -> dict:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(("django_session", "django_celery_beat")):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_seed_demo_creates_demo_accounts_and_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = _row_counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert _row_counts() == first
    for email in ("facilitator@example.org", "editor@example.org", "member@example.org"):
        assert authenticate(email=email, password="keep-in-pact-demo") == User.objects.get(email=email)
    assert set(User.objects.get(email="facilitator@example.org").groups.values_list("name", flat=True)) == {
        "Facilitators"
    }
    assert set(User.objects.get(email="editor@example.org").groups.values_list("name", flat=True)) == {"Guide editors"}


def test_seed_demo_refused_where_not_allowed(settings):
    settings.SEED_DEMO_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == 0


def test_demo_facilitator_and_editor_get_the_documented_authenticator_secret():
    from allauth.mfa.models import Authenticator

    from community import twofactor

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    for email in ("facilitator@example.org", "editor@example.org"):
        user = User.objects.get(email=email)
        assert twofactor.totp_secret_of(user) == "KEEPINPACTDEMOTOTPSECRET"
        assert Authenticator.objects.filter(user=user).count() == 1
    assert twofactor.totp_secret_of(User.objects.get(email="member@example.org")) is None


def test_demo_totp_prints_the_current_code():
    from community import twofactor

    before = twofactor.totp_code(twofactor.DEMO_TOTP_SECRET)
    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    after = twofactor.totp_code(twofactor.DEMO_TOTP_SECRET)

    lines = out.getvalue().splitlines()
    # The code of the 30-second step the command ran in (a step may end in between).
    printed = [line.split("  ")[0].split(": ") for line in lines]
    assert [email for email, _code in printed] == ["facilitator@example.org", "editor@example.org"]
    assert {code for _email, code in printed} <= {before, after}
    assert "otpauth://totp/Keep%20in%20Pact:facilitator%40example.org?secret=KEEPINPACTDEMOTOTPSECRET" in lines[0]


def test_a_seeded_member_signs_in_after_a_password_reset():
    import re

    from django.core import mail
    from django.test import Client

    call_command("seed_demo", stdout=io.StringIO())
    demo = {"facilitator@example.org", "editor@example.org", "member@example.org"}
    seeded = User.objects.exclude(email__in=demo).filter(is_active=True).order_by("pk")
    assert seeded.exists()
    # Every seeded address counts as verified, as a demo account's does.
    unverified = seeded.exclude(emailaddress__verified=True, emailaddress__primary=True)
    assert list(unverified.values_list("email", flat=True)) == []
    person = seeded.filter(groups__isnull=True, is_staff=False).first()
    client = Client()

    client.post("/accounts/password/reset/", {"email": person.email})
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body).group(1)
    # The link's key is kept in the session, and the form is at a plain address.
    [(form_url, _status)] = client.get(link, follow=True).redirect_chain
    client.post(form_url, {"password1": "a-new-long-password-42", "password2": "a-new-long-password-42"})
    signed_in = client.post("/accounts/login/", {"login": person.email, "password": "a-new-long-password-42"})

    assert (signed_in.status_code, signed_in.url) == (302, "/")


def test_the_demo_shows_the_rhythm_actions_co_authors_and_a_buddy():
    """What a visitor of the demo meets first: the member's open actions and her buddy, entries
    written with a co-author; the facilitator sees the actions in the admin."""
    from django.test import Client

    from community.models import BuddyPairing
    from guide.models import CoAuthor
    from meetings.models import ActionItem

    call_command("seed_demo", stdout=io.StringIO())
    mariana = User.objects.get(email="member@example.org")

    open_actions = ActionItem.objects.filter(owner=mariana, done_at__isnull=True)
    assert open_actions.count() == 2
    assert ActionItem.objects.filter(done_at__isnull=False, done_by__isnull=False).exists()
    assert BuddyPairing.objects.get(newcomer=mariana).buddy.country == mariana.country
    assert CoAuthor.objects.filter(consented_at__isnull=False, contribution__state="published").exists()
    assert CoAuthor.objects.filter(consented_at__isnull=True, declined_at__isnull=True).count() == 1
    client = Client()
    client.force_login(mariana)
    dashboard = client.get("/").content.decode()
    assert "Share the partnership charter template with the two new centres" in dashboard
    profile = client.get(f"/members/{mariana.username}/")
    assert profile.context["pairings"]["buddy"] == BuddyPairing.objects.get(newcomer=mariana).buddy
