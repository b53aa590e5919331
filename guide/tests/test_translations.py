"""Entries know their language; members offer translations, readers read their language."""

import pytest

from community.tests.factories import UserFactory
from guide import selectors, services
from guide.enums import ContributionKind, ContributionState
from guide.models import Chapter, ChapterTranslation, Contribution

from .factories import ChapterFactory, ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState


def _french_original(**kwargs):
    return ContributionFactory(
        state=S.PUBLISHED,
        language="fr",
        title="Un comité qui décide",
        body="Chaque réunion se termine par **une décision**.",
        **kwargs,
    )


def _translation(original, *, language="pt", state=S.PUBLISHED, **kwargs):
    return ContributionFactory(
        chapter=original.chapter,
        kind=original.kind,
        state=state,
        language=language,
        translation_of=original,
        original_version=original.version,
        title="Um comité que decide",
        body="Cada reunião termina com **uma decisão**.",
        **kwargs,
    )


def test_a_contribution_is_written_in_its_authors_language_by_default(member):
    member.preferred_language = "pt"
    member.save(update_fields=["preferred_language"])
    chapter = ChapterFactory()

    created = services.contribution_create(
        author=member, kind=ContributionKind.TESTIMONY, title="T", body="B", chapter=chapter, licence_consent=True
    )

    assert Contribution.objects.get(pk=created.pk).language == "pt"


def test_member_offers_a_translation_prefilled_with_the_original(member_client, member):
    original = _french_original()

    page = member_client.get(f"/guide/contribute/?translate={original.pk}", HTTP_ACCEPT_LANGUAGE="en")
    form = page.context["form"]
    assert form.initial["title"] == "Un comité qui décide"
    assert form.initial["body"] == "Chaque réunion se termine par **une décision**."
    assert form.initial["language"] == "en"
    assert form.initial["translation_of"] == original

    response = member_client.post(
        "/guide/contribute/",
        {
            "kind": original.kind,
            "title": "A committee that decides",
            "chapter": original.chapter_id,
            "body": "Each meeting ends with **a decision**.",
            "language": "en",
            "translation_of": original.pk,
            "credit": "name",
            "licence_consent": "on",
            "submit": "1",
        },
    )

    assert response.status_code == 302
    translation = Contribution.objects.get(translation_of=original)
    assert (translation.author, translation.language, translation.state, translation.original_version) == (
        member,
        "en",
        S.SUBMITTED,
        original.version,
    )
    assert list(original.translations.all()) == [translation]


def test_a_translation_into_the_originals_language_is_refused(member_client):
    original = _french_original()

    response = member_client.post(
        "/guide/contribute/",
        {
            "kind": original.kind,
            "title": "Encore",
            "chapter": original.chapter_id,
            "body": "Pareil.",
            "language": "fr",
            "translation_of": original.pk,
            "credit": "name",
            "licence_consent": "on",
            "submit": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["language"] == [
        "A translation must be in another language than the original."
    ]
    assert Contribution.objects.filter(translation_of=original).count() == 0


def test_an_unpublished_entry_cannot_be_translated(member):
    draft = ContributionFactory(state=S.DRAFT, language="fr")

    with pytest.raises(services.TranslationError):
        services.contribution_create(
            author=member,
            kind=draft.kind,
            title="T",
            body="B",
            chapter=draft.chapter,
            licence_consent=True,
            language="pt",
            translation_of=draft,
        )
    assert Contribution.objects.filter(translation_of=draft).count() == 0


def test_a_portuguese_visitor_reads_the_portuguese_translation_of_a_french_entry(client):
    original = _french_original()
    translation = _translation(original)

    html = client.get(f"/guide/{original.chapter.slug}/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()

    assert '<h3 class="h6 fw-bold mb-1" lang="pt">Um comité que decide</h3>' in html
    assert "Un comité qui décide" not in html
    assert f'href="?lang=fr#entry-{original.pk}" hreflang="fr"' in html
    assert translation.author.display_name in html


def test_a_reader_without_a_translation_reads_the_original_with_its_language_named(client):
    original = _french_original()
    _translation(original)

    html = client.get(f"/guide/{original.chapter.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<h3 class="h6 fw-bold mb-1" lang="fr">Un comité qui décide</h3>' in html
    assert "Written in French." in html
    assert f'href="?lang=pt#entry-{original.pk}" hreflang="pt"' in html


def test_a_translation_is_out_of_date_once_the_original_changes(client):
    original = _french_original()
    _translation(original)
    Contribution.objects.filter(pk=original.pk).update(version=original.version + 1)

    html = client.get(f"/guide/{original.chapter.slug}/?lang=pt").content.decode()

    assert "This translation may be out of date" in html


def test_updating_the_translation_follows_the_originals_current_version(member):
    original = _french_original()
    translation = _translation(original, author=member, state=S.DRAFT)
    Contribution.objects.filter(pk=original.pk).update(version=5)

    services.contribution_update(contribution=translation, by=member, version=translation.version, body="Novo.")

    assert Contribution.objects.get(pk=translation.pk).original_version == 5


def test_translations_are_not_counted_as_entries_of_their_own():
    original = _french_original()
    _translation(original)
    _translation(original, language="en")

    chapter = next(c for c in selectors.chapters_with_counts(language="en") if c.pk == original.chapter_id)

    assert chapter.published_count == 1
    assert list(selectors.chapter_published_entries(chapter=original.chapter)) == [original]


def test_chapter_title_and_introduction_in_the_readers_language(client):
    chapter = ChapterFactory(title="Governance", slug="governance")
    ChapterTranslation.objects.create(chapter=chapter, language="pt", title="Governação", introduction="Decidir.")

    html = client.get("/guide/governance/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()

    assert '<h1 class="h3" lang="pt">Governação</h1>' in html
    assert '<div class="prose lead-intro mb-4" lang="pt"><p>Decidir.</p></div>' in html


def test_chapter_page_query_count_does_not_grow_with_translations(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(slug):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/guide/{slug}/", HTTP_ACCEPT_LANGUAGE="pt").status_code == 200
        return len(ctx.captured_queries)

    one, ten = ChapterFactory(slug="one"), ChapterFactory(slug="ten")
    _translation(_french_original(chapter=one))
    for _ in range(10):
        _translation(_french_original(chapter=ten))
    client.get("/guide/one/")

    assert count("one") == count("ten")


def test_the_demo_guide_has_french_and_portuguese_entries_and_translations_idempotently():
    UserFactory.create_batch(4)
    for slug in (
        "governance",
        "stimulating-links-between-partners",
        "data-protection-and-gdpr",
        "onboarding-new-colleagues",
    ):
        Chapter.objects.create(slug=slug, title=slug)
    from guide.seed import seed_guide_languages

    class Out:
        def write(self, text):
            pass

    seed_guide_languages(Out())
    seed_guide_languages(Out())

    originals = Contribution.objects.filter(translation_of__isnull=True)
    assert sorted(originals.values_list("language", flat=True)) == ["fr", "fr", "pt", "pt"]
    assert sorted(Contribution.objects.filter(translation_of__isnull=False).values_list("language", flat=True)) == [
        "en",
        "fr",
        "pt",
    ]
    assert ChapterTranslation.objects.filter(chapter__slug="governance").count() == 3
