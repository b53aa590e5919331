"""The PDF in each language: the entries' translations, the chapters' and the front matter's."""

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from pypdf import PdfReader

from guide import pdf, selectors, services
from guide.enums import ContributionState
from guide.models import ChapterTranslation, GuideEdition
from guide.services import contribution_transition

from .factories import ChapterFactory, ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState

FRENCH_BODY = "Chaque réunion se termine par une décision."
PORTUGUESE_BODY = "Cada reunião termina com uma decisão."


def _reader(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _text(reader: PdfReader) -> str:
    return _flat(" ".join(page.extract_text() for page in reader.pages))


def _stored_text(edition: GuideEdition) -> str:
    with default_storage.open(edition.file.name, "rb") as stored:
        return _text(PdfReader(io.BytesIO(stored.read())))


@pytest.fixture
def chapter():
    chapter = ChapterFactory(title="Governance", introduction="Who decides, and how.", language="en")
    ChapterTranslation.objects.create(
        chapter=chapter, language="pt", title="Governação", introduction="Quem decide, e como."
    )
    return chapter


@pytest.fixture
def french_entry(chapter):
    return ContributionFactory(
        chapter=chapter, state=S.PUBLISHED, language="fr", title="Un comité qui décide", body=FRENCH_BODY
    )


def _translate(original, *, language="pt", state=S.PUBLISHED, title="Um comité que decide", body=PORTUGUESE_BODY):
    return ContributionFactory(
        chapter=original.chapter,
        kind=original.kind,
        state=state,
        language=language,
        translation_of=original,
        original_version=original.version,
        title=title,
        body=body,
    )


def test_portuguese_pdf_reads_the_portuguese_translation_and_french_pdf_the_original(client, french_entry):
    _translate(french_entry)

    portuguese = _reader(client.get("/guide/guide.pdf?lang=pt"))
    french = _reader(client.get("/guide/guide.pdf?lang=fr"))

    text = _text(portuguese)
    # In the contents and in its chapter, with the chapter's title and introduction as translated.
    assert text.count("Um comité que decide") == 2
    assert PORTUGUESE_BODY in text
    assert ("Un comité qui décide" in text, FRENCH_BODY in text) == (False, False)
    assert text.count("Governação") == 2
    assert "Quem decide, e como." in text
    assert "Governance" not in text
    text = _text(french)
    assert text.count("Un comité qui décide") == 2
    assert FRENCH_BODY in text
    assert ("Um comité que decide" in text, PORTUGUESE_BODY in text) == (False, False)
    # No French title for the chapter: its original.
    assert text.count("Governance") == 2
    assert sorted(GuideEdition.objects.values_list("language", flat=True)) == ["fr", "pt"]


def test_front_matter_running_title_and_metadata_are_in_the_pdfs_language(client, french_entry):
    reader = _reader(client.get("/guide/guide.pdf?lang=pt"))

    cover, contents, chapter_page = (_flat(page.extract_text()) for page in reader.pages)
    assert "Guia para a cooperação entre múltiplos parceiros" in cover
    assert "Publicado sob a licença Creative Commons" in cover
    assert "Guide for multi-partnership cooperation" not in _text(reader)
    assert "Índice" in contents
    # The running title at the top of the chapters' pages (none on the cover).
    assert "Guia para a cooperação entre múltiplos parceiros" in chapter_page
    assert cover.count("Guia para a cooperação") == 1
    assert reader.metadata.title == "Guia para a cooperação entre múltiplos parceiros"
    assert reader.trailer["/Root"]["/Lang"] == "pt"

    french = _reader(client.get("/guide/guide.pdf?lang=fr"))
    assert "Sommaire" in _flat(french.pages[1].extract_text())
    assert french.metadata.title == "Guide de la coopération multipartenariale"


def test_an_entry_without_a_translation_is_the_original_with_its_language_named(client, french_entry):
    text = _text(_reader(client.get("/guide/guide.pdf?lang=en")))

    assert FRENCH_BODY in text
    assert "Written in French." in text


def test_a_translation_shows_its_translator_its_original_and_that_it_may_be_out_of_date(client, french_entry):
    _translate(french_entry, language="en", title="A committee that decides", body="Each meeting ends with a decision.")
    french_entry.body = FRENCH_BODY + " Toujours."
    french_entry.version += 1
    french_entry.save()

    text = _text(_reader(client.get("/guide/guide.pdf?lang=en")))

    assert "Each meeting ends with a decision." in text
    assert "Translated by" in text
    assert "Translated from French." in text
    assert "This translation may be out of date: the original changed since." in text


def test_language_asked_for_is_one_of_the_sites_else_the_readers(client, french_entry):
    _translate(french_entry)

    asked = client.get("/guide/guide.pdf?lang=pt", headers={"accept-language": "fr"})
    assert asked["Content-Language"] == "pt"
    assert PORTUGUESE_BODY in _text(_reader(asked))
    for bad in ("xx", "PT", "pt-br", "<script>", "", "fr&lang=pt"):
        response = client.get("/guide/guide.pdf", {"lang": bad}, headers={"accept-language": "fr"})
        assert response["Content-Language"] == "fr", bad
        assert "Sommaire" in _text(_reader(response))
    repeated = client.get("/guide/guide.pdf?lang=xx&lang=pt", headers={"accept-language": "fr"})
    assert repeated.status_code == 200
    assert sorted(GuideEdition.objects.values_list("language", flat=True)) == ["fr", "pt"]


def test_preparing_page_tries_the_same_language_again(client):
    from django.core.cache import cache

    cache.set(services.PDF_QUEUED.format("pt"), 1)

    response = client.get("/guide/guide.pdf?lang=pt")

    assert response.status_code == 503
    assert 'href="/guide/guide.pdf?lang=pt"' in response.content.decode()


def test_fingerprint_of_a_language_changes_with_its_translations_only(french_entry, chapter):
    before = {code: pdf.guide_fingerprint(language=code) for code in ("pt", "es")}

    translation = _translate(french_entry, state=S.ACCEPTED)
    assert {code: pdf.guide_fingerprint(language=code) for code in ("pt", "es")} == before

    translation.state = S.PUBLISHED
    translation.save()
    published = pdf.guide_fingerprint(language="pt")
    assert published != before["pt"]
    assert pdf.guide_fingerprint(language="es") == before["es"]

    translation.body = PORTUGUESE_BODY + " Sempre."
    translation.save()
    edited = pdf.guide_fingerprint(language="pt")
    assert edited not in (before["pt"], published)

    chapter_translation = chapter.translations.get(language="pt")
    chapter_translation.introduction = "Quem decide?"
    chapter_translation.save()
    assert pdf.guide_fingerprint(language="pt") not in (before["pt"], published, edited)
    ChapterTranslation.objects.create(chapter=chapter, language="es", title="Gobernanza")
    assert pdf.guide_fingerprint(language="es") != before["es"]


def test_publishing_a_translation_builds_a_new_pdf_in_its_language(
    client, editor, french_entry, settings, django_capture_on_commit_callbacks
):
    settings.GUIDE_PDF_PREBUILD = True
    client.get("/guide/guide.pdf?lang=pt")
    first = GuideEdition.objects.get(language="pt")
    assert FRENCH_BODY in _stored_text(first)
    translation = _translate(french_entry, state=S.ACCEPTED)

    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(contribution=translation, to=S.PUBLISHED, by=editor)

    newest = selectors.current_guide_edition(language="pt")
    assert newest.pk != first.pk
    assert newest.fingerprint == pdf.guide_fingerprint(language="pt")
    text = _stored_text(newest)
    assert (PORTUGUESE_BODY in text, FRENCH_BODY in text) == (True, False)


def test_an_editor_edits_a_chapters_translation_in_the_admin_and_a_new_pdf_is_built(
    staff_editor, french_entry, chapter, settings, django_capture_on_commit_callbacks
):
    settings.GUIDE_PDF_PREBUILD = True
    visitor = Client()
    visitor.get("/guide/guide.pdf?lang=pt")
    chapter_translation = chapter.translations.get(language="pt")
    admin = Client()
    admin.force_login(staff_editor)
    form = {
        "title": chapter.title,
        "slug": chapter.slug,
        "introduction": chapter.introduction,
        "language": chapter.language,
        "order": chapter.order,
        "translations-TOTAL_FORMS": "1",
        "translations-INITIAL_FORMS": "1",
        "translations-0-id": chapter_translation.pk,
        "translations-0-chapter": chapter.pk,
        "translations-0-language": "pt",
        "translations-0-title": "Governação partilhada",
        "translations-0-introduction": "Quem decide, e como.",
        "contributions-TOTAL_FORMS": "1",
        "contributions-INITIAL_FORMS": "1",
        "contributions-0-id": french_entry.pk,
        "contributions-0-chapter": chapter.pk,
        "contributions-0-order": french_entry.order,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/admin/guide/chapter/{chapter.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    newest = selectors.current_guide_edition(language="pt")
    assert GuideEdition.objects.filter(language="pt").count() == 2
    assert "Governação partilhada" in _stored_text(newest)


def test_reading_a_part_runs_the_same_queries_at_1_and_10_entries(chapter, django_assert_num_queries):
    originals = [ContributionFactory(chapter=chapter, state=S.PUBLISHED, language="fr") for _ in range(10)]
    for original in originals:
        _translate(original)

    for ids in ([originals[0].pk], [o.pk for o in originals]):
        with django_assert_num_queries(3):  # the originals with their credits, their translations, co-authors
            entries = selectors.pdf_entries(ids=ids, language="pt")
        assert [e.shown.language for e in entries] == ["pt"] * len(ids)
        assert [e.original.pk for e in entries] == ids
    with django_assert_num_queries(4):
        contents = selectors.pdf_contents(language="pt")
    assert [title for _pk, title in contents[0][1]] == ["Um comité que decide"] * 10
    assert contents[0][0].shown_title == "Governação"


def test_table_of_contents_offers_the_pdf_in_the_other_languages(client):
    html = client.get("/guide/", headers={"accept-language": "pt"}).content.decode()

    for code, name in (("en", "English"), ("fr", "français"), ("es", "español")):
        assert f'href="/guide/guide.pdf?lang={code}" hreflang="{code}" lang="{code}" download>{name}</a>' in html
    assert 'href="/guide/guide.pdf?lang=pt"' not in html
