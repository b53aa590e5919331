"""What the search finds on a small French and English corpus: stems, accents, phrases, exclusions,
ranking, typos, privacy, and the index following every write."""

import pytest

from community.tests.factories import OrganisationFactory, UserFactory, pending_member, with_profile
from guide import services as guide_services
from guide.enums import ContributionState
from guide.tests.factories import ChapterFactory, ContributionFactory
from meetings import services as meeting_services
from meetings.tests.factories import AgendaItemFactory, MeetingFactory, ResourceFactory, draft_meeting
from search.selectors import PAGE_SIZE, search_page
from themes import services as theme_services
from themes.tests.factories import QuestionFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


def titles(user, q, kind="guide", language="en") -> list[str]:
    page = search_page(user=user, q=q, kind=kind, language=language)["page"]
    return [result.title for result in page.object_list] if page is not None else []


@pytest.fixture
def corpus():
    english, french = UserFactory(preferred_language="en"), UserFactory(preferred_language="fr")
    chapter = ChapterFactory(title="Building a partnership")

    def entry(title, body, author):
        return ContributionFactory(
            chapter=chapter, title=title, body=body, author=author, state=ContributionState.PUBLISHED
        )

    return {
        "charter": entry("A partnership charter", "Every partner signs the charter at the first meeting.", english),
        "speed": entry("Speed networking between partners", "Partners meet in short rounds.", english),
        "apart": entry("Quick rounds", "We value speed. Later, networking over lunch.", english),
        "reseau": entry("Un partenariat durable", "Le réseau des entreprises se réunit chaque mois.", french),
    }


def test_french_stems_find_the_singular(member, corpus):
    assert titles(member, "partenariats", language="fr") == ["Un partenariat durable"]


def test_english_stems_find_the_singular(member, corpus):
    assert titles(member, "charters signed") == ["A partnership charter"]


def test_a_word_without_its_accent_finds_it(member, corpus):
    assert titles(member, "reseau") == ["Un partenariat durable"]
    assert titles(member, "entreprises réseau", language="fr") == ["Un partenariat durable"]


def test_a_quoted_phrase_needs_the_words_side_by_side(member, corpus):
    assert titles(member, '"speed networking"') == ["Speed networking between partners"]
    assert sorted(titles(member, "speed networking")) == ["Quick rounds", "Speed networking between partners"]


def test_a_minus_word_is_left_out_in_every_language(member, corpus):
    assert sorted(titles(member, "partners -charter")) == ["Speed networking between partners"]
    assert titles(member, "partenariat -réseau", language="fr") == []


def test_a_title_match_ranks_above_a_text_match(member):
    body_only = ContributionFactory(
        state=ContributionState.PUBLISHED, title="Monthly breakfasts", body="Mentoring came up once."
    )
    in_title = ContributionFactory(
        state=ContributionState.PUBLISHED, title="Mentoring new colleagues", body="How we welcome them."
    )

    assert titles(member, "mentoring") == [in_title.title, body_only.title]


def test_title_matches_come_first_on_every_page(member):
    # More title matches than a page holds: the text matches start on the second page.
    chapter = ChapterFactory()
    for i in range(2):
        ContributionFactory(
            chapter=chapter, state=ContributionState.PUBLISHED, title=f"Entry {i}", body="Mentoring " * 5
        )
    for i in range(PAGE_SIZE + 1):
        ContributionFactory(chapter=chapter, state=ContributionState.PUBLISHED, title=f"Mentoring {i}", body="Lunch.")

    pages = [search_page(user=member, q="mentoring", kind="guide", page=n)["page"] for n in (1, 2)]

    assert [r.title for r in pages[0].object_list] == [f"Mentoring {i}" for i in range(PAGE_SIZE, 0, -1)]
    assert [r.title for r in pages[1].object_list] == ["Mentoring 0", "Entry 1", "Entry 0"]
    assert pages[0].paginator.count == PAGE_SIZE + 3


def test_text_matches_fill_a_page_when_few_titles_match(member):
    chapter = ChapterFactory()
    once = ContributionFactory(chapter=chapter, state=ContributionState.PUBLISHED, title="Once", body="Mentoring.")
    often = ContributionFactory(
        chapter=chapter, state=ContributionState.PUBLISHED, title="Often", body="Mentoring, mentoring and mentoring."
    )
    titled = ContributionFactory(chapter=chapter, state=ContributionState.PUBLISHED, title="Mentoring", body="")

    assert titles(member, "mentoring") == [titled.title, often.title, once.title]


def test_drafts_are_never_found(member):
    ContributionFactory(state=ContributionState.SUBMITTED, title="Mentoring draft")

    assert titles(member, "mentoring") == []


def test_an_entry_is_indexed_only_while_published(member, editor):
    entry = ContributionFactory(state=ContributionState.ACCEPTED, title="Mentoring circles")
    assert type(entry).objects.get(pk=entry.pk).search_vector is None

    guide_services.contribution_transition(contribution=entry, to=ContributionState.PUBLISHED, by=editor)
    assert titles(member, "mentoring") == ["Mentoring circles"]

    guide_services.contribution_transition(contribution=entry, to=ContributionState.ACCEPTED, by=editor)
    assert titles(member, "mentoring") == []
    assert type(entry).objects.get(pk=entry.pk).search_vector is None


def test_a_typo_or_a_prefix_in_a_name_still_finds_the_member(member):
    with_profile(member, job_title="Partnership manager")

    assert titles(member, "Mariana Kosta", kind="members") == ["Mariana Costa"]
    assert titles(member, "marian", kind="members") == ["Mariana Costa"]


def test_members_are_found_by_centre_city_title_and_expertise(member):
    centre = OrganisationFactory(name="Cité des métiers de Liège", short_name="CdM Liège")
    found = with_profile(
        UserFactory(display_name="Giulia Rossi"), organisation=centre, city="Liège", job_title="Head of office"
    )
    found.expertise.add("Protection des données")

    for q in ("liege", "head office", "données", "CdM"):
        assert titles(member, q, kind="members") == ["Giulia Rossi"], q


def test_members_out_of_the_directory_are_not_found(member):
    with_profile(UserFactory(display_name="Hidden Person", listed_in_directory=False), expertise=["GDPR"])
    with_profile(pending_member(display_name="Pending Person"), expertise=["GDPR"])
    listed = with_profile(UserFactory(display_name="Listed Person"), expertise=["GDPR"])
    assert titles(member, "gdpr", kind="members") == ["Listed Person"]

    listed.listed_in_directory = False
    listed.save(update_fields=["listed_in_directory"])

    assert titles(member, "gdpr", kind="members") == []
    assert titles(member, "listed person", kind="members") == []
    assert type(listed).objects.get(pk=listed.pk).search_vector == ""


def test_a_member_is_found_by_expertise_added_later_and_a_renamed_centre(member):
    centre = OrganisationFactory(name="Old name")
    colleague = with_profile(UserFactory(display_name="Ana Lima"), organisation=centre)

    colleague.expertise.add("Apprenticeships")
    centre.name = "Cité des métiers de Lisboa"
    centre.save()

    assert titles(member, "apprenticeship", kind="members") == ["Ana Lima"]
    assert titles(member, "lisboa", kind="members") == ["Ana Lima"]
    colleague.expertise.remove("Apprenticeships")
    assert titles(member, "apprenticeship", kind="members") == []


def test_a_theme_is_found_by_its_sheet_and_answered_questions(member):
    theme = ThemeFactory(title="Valorising a partnership", summary="Showing partners what they gain.")
    presenter(theme, member)
    theme_services.sheet_update(
        theme=theme, by=member, activity="A yearly report", strengths="Testimonies", weaknesses="", transferability=""
    )
    question = QuestionFactory(theme=theme, body="Which infographics?")
    assert titles(member, "infographics", kind="themes") == []

    theme_services.question_answer(question=question, by=member, answer="Canva templates.")

    assert titles(member, "testimonies", kind="themes") == ["Valorising a partnership"]
    assert titles(member, "infographics canva", kind="themes") == ["Valorising a partnership"]


def test_a_meeting_is_found_by_its_minutes_once_published(member, facilitator):
    meeting = MeetingFactory(title="Bimonthly meeting — June")
    item = AgendaItemFactory(meeting=meeting)
    meeting_services.minutes_save(item=item, text="We agreed on a shared volunteering calendar.", by=facilitator)
    assert titles(member, "volunteering", kind="meetings") == []

    meeting_services.minutes_publish(meeting=meeting, by=facilitator)

    assert titles(member, "volunteering", kind="meetings") == ["Bimonthly meeting — June"]


def test_draft_meetings_and_their_resources_are_hidden(member, facilitator):
    draft = draft_meeting(title="GDPR draft meeting")
    ResourceFactory(meeting=draft, title="GDPR draft checklist")
    ResourceFactory(title="GDPR checklist")

    assert titles(member, "gdpr", kind="meetings") == []
    assert titles(facilitator, "gdpr", kind="meetings") == ["GDPR draft meeting"]
    assert titles(facilitator, "gdpr", kind="resources") == ["GDPR checklist"]


def test_an_entry_follows_its_authors_language(member):
    author = UserFactory(preferred_language="en")
    ContributionFactory(state=ContributionState.PUBLISHED, title="Réseaux locaux", body="", author=author)
    # A quoted word is matched by stem only; indexed in English, "locaux" has no stem "local".
    assert titles(member, '"local"', language="fr") == []

    author.preferred_language = "fr"
    author.save(update_fields=["preferred_language"])

    assert titles(member, '"local"', language="fr") == ["Réseaux locaux"]


def test_the_snippet_marks_the_match_and_escapes_the_rest(member):
    ContributionFactory(
        state=ContributionState.PUBLISHED,
        title="Consent forms",
        body='Consent <script>alert(1)</script> form: 3 < 4 & "partners".',
    )

    [result] = search_page(user=member, q="consent form", kind="guide")["page"].object_list

    # PostgreSQL drops the tags; what is left is escaped, and only the marks are markup.
    assert result.snippet == "<mark>Consent</mark> alert(1) <mark>form</mark>: 3 &lt; 4 &amp; &quot;partners"
