"""A Portuguese-speaking member uses the site in Portuguese: the pages, the emails, the PDF, and a
French entry of the guide read in its Portuguese translation.

The Portuguese expected here is the catalogue's (locale/pt/LC_MESSAGES/django.po).
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from community.tests.factories import UserFactory, guide_editor
from e2e.conftest import sign_in
from guide.enums import ContributionKind, ContributionState
from guide.models import ChapterTranslation, Contribution
from guide.services import contribution_transition
from guide.tests.factories import ChapterFactory, CommunityOrganisationFactory, ContributionFactory
from meetings.enums import RSVPResponse
from meetings.models import RSVP
from meetings.reminders import services as reminders
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from themes.tests.factories import ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

PASSWORD = "a-long-test-password"
FRENCH_BODY = "Chaque réunion du comité se termine par une décision écrite."
PORTUGUESE_BODY = "Cada reunião do comité termina com uma decisão escrita."


def _in_portuguese(page) -> None:
    assert page.locator("html").get_attribute("lang") == "pt", page.url


def _pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_a_portuguese_speaking_member_uses_the_site_gets_mail_and_the_guide_in_portuguese(page, new_page):
    porto = CommunityOrganisationFactory(name="Cité des métiers do Porto")
    mariana = UserFactory(
        display_name="Mariana Costa",
        email="mariana@example.org",
        preferred_language="pt",
        time_zone="Europe/Lisbon",
        organisation=porto,
    )
    editor = guide_editor(display_name="Élise Éditrice", email="elise@example.org", is_staff=True)
    meeting = MeetingFactory(
        title="Partnership officers — spring meeting",
        starts_at=(timezone.now() + timedelta(days=3)).replace(microsecond=0),
        capacity=None,
    )
    AgendaItemFactory(meeting=meeting, title="Hot news", position=1)
    ThemeFactory(title="Gamified speed networking", proposer=UserFactory(display_name="Kofi Mensah"))
    chapter = ChapterFactory(title="Governance", slug="governance", language="en")
    ChapterTranslation.objects.create(chapter=chapter, language="pt", title="Governação", introduction="Quem decide.")
    original = ContributionFactory(
        chapter=chapter,
        state=ContributionState.PUBLISHED,
        kind=ContributionKind.FIELD_EXAMPLE,
        language="fr",
        title="Un comité qui décide",
        body=FRENCH_BODY,
        author=UserFactory(display_name="Claire Martin", preferred_language="fr"),
    )

    # The dashboard, in her language (her preference wins over the browser's English).
    sign_in(page, mariana.email, PASSWORD)
    page.goto("/")
    _in_portuguese(page)
    expect(page.get_by_role("heading", name="Bem-vindo(a), Mariana Costa")).to_be_visible()
    expect(page.get_by_role("heading", name="Próxima reunião")).to_be_visible()
    expect(page.get_by_role("link", name="Reuniões", exact=True).first).to_be_visible()

    # The meetings, and her answer to the next one.
    page.goto("/meetings/")
    _in_portuguese(page)
    expect(page.get_by_role("heading", name="Reuniões", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Próximas")).to_be_visible()
    page.get_by_role("link", name="Partnership officers — spring meeting").click()
    _in_portuguese(page)
    expect(page.get_by_role("heading", name="Ordem de trabalhos")).to_be_visible()
    page.get_by_role("button", name="Vou", exact=True).click()
    expect(page.get_by_text("Vai participar. Até breve!")).to_be_visible()
    assert RSVP.objects.get(meeting=meeting, member=mariana).response == RSVPResponse.GOING

    # The reminder the day before reaches her in Portuguese.
    day_before = meeting.starts_at - timedelta(days=1)
    for meeting_id in reminders.reminders_dispatch(now=day_before).handed_out:
        reminders.deliveries_send(meeting_id=meeting_id, now=day_before)
    [reminder, *_] = [m for m in mail.outbox if m.to == [mariana.email]]
    assert reminder.subject.startswith("Lembrete: Partnership officers — spring meeting, ")
    assert reminder.body.startswith("Olá Mariana Costa,")
    assert "Este é um lembrete da reunião «Partnership officers — spring meeting»." in reminder.body
    mail.outbox.clear()

    # The human bookstore.
    page.goto("/themes/")
    _in_portuguese(page)
    expect(page.get_by_role("heading", name="Biblioteca humana")).to_be_visible()
    expect(page.get_by_role("link", name="Propor um tema")).to_be_visible()
    page.get_by_role("button", name="Quero ouvir sobre isto").click()
    expect(page.get_by_role("button", name="Tenho interesse")).to_be_visible()

    # The guide: a French entry, which she translates into Portuguese.
    page.goto("/guide/")
    _in_portuguese(page)
    expect(page.get_by_role("heading", name="Guia para a cooperação entre múltiplos parceiros")).to_be_visible()
    page.get_by_role("link", name="Governação").click()
    _in_portuguese(page)
    entry = page.locator(f"#entry-{original.pk}")
    expect(entry.get_by_role("heading", name="Un comité qui décide")).to_be_visible()
    expect(entry.locator(".prose[lang=fr]")).to_contain_text(FRENCH_BODY)
    entry.locator(f"a[href$='?translate={original.pk}']").click()
    _in_portuguese(page)
    assert page.locator("#id_language").input_value() == "pt"
    page.locator("#id_title").fill("Um comité que decide")
    page.locator("#id_body").fill(PORTUGUESE_BODY)
    page.locator("#id_licence_consent").check()
    page.get_by_role("button", name="Submeter para revisão").click()
    expect(page.get_by_text("Obrigado! A sua contribuição foi enviada aos editores do guia.")).to_be_visible()
    translation = Contribution.objects.get(translation_of=original)
    assert (translation.language, translation.state) == ("pt", ContributionState.SUBMITTED)

    # An editor accepts and publishes it (the admin's journey is the guide's own test); she is told, in Portuguese.
    contribution_transition(contribution=translation, to=ContributionState.ACCEPTED, by=editor)
    contribution_transition(contribution=translation, to=ContributionState.PUBLISHED, by=editor)
    subjects = [m.subject for m in mail.outbox if m.to == [mariana.email]]
    assert subjects == [
        "A sua contribuição para o guia «Um comité que decide»: Aceite",
        "A sua contribuição para o guia «Um comité que decide»: Publicada",
    ]
    assert "Élise Éditrice passou a sua contribuição «Um comité que decide» para: Publicada." in mail.outbox[-1].body

    # In the public guide, a Portuguese-speaking visitor reads the translation, with the link to the French original.
    visitor = new_page(locale="pt-PT")
    visitor.goto("/guide/")
    _in_portuguese(visitor)
    visitor.get_by_role("link", name="Governação").click()
    entry = visitor.locator(f"#entry-{original.pk}")
    expect(entry.get_by_role("heading", name="Um comité que decide")).to_be_visible()
    expect(entry.locator(".prose[lang=pt]")).to_contain_text(PORTUGUESE_BODY)
    expect(entry).to_contain_text("Mariana Costa")
    expect(entry).not_to_contain_text(FRENCH_BODY)
    entry.get_by_role("link", name="Francês").click()
    expect(visitor).to_have_url(re.compile(rf"/guide/governance/\?lang=fr#entry-{original.pk}$"))
    entry = visitor.locator(f"#entry-{original.pk}")
    expect(entry.get_by_role("heading", name="Un comité qui décide")).to_be_visible()
    expect(entry.locator(".prose[lang=fr]")).to_contain_text(FRENCH_BODY)
    expect(entry.get_by_role("link", name="Português")).to_be_visible()

    # She downloads the guide as a PDF, in Portuguese, with her translation in place of the original.
    page.goto("/guide/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Transferir o guia (PDF)").click()
    text = _pdf_text(download_info.value.path())
    assert "Guia para a cooperação entre múltiplos parceiros" in text
    assert "Índice" in text
    assert "Publicado sob a licença Creative Commons" in text
    assert text.count("Governação") == 2  # in the contents and at the head of its chapter
    assert text.count("Um comité que decide") == 2
    assert PORTUGUESE_BODY in text
    assert "Mariana Costa" in text
    assert FRENCH_BODY not in text
